-- Uploaded images, addressed by a hash of their bytes so a URL never changes meaning and can be
-- cached for a year. `widths` lists the resized variants written beside the original.
CREATE TABLE images (
    key TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    widths TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

-- The hero image with its caption and credit, and the search-engine overrides of the headline
-- and summary.
ALTER TABLE articles ADD COLUMN hero_image TEXT REFERENCES images (key);
ALTER TABLE articles ADD COLUMN hero_caption TEXT;
ALTER TABLE articles ADD COLUMN hero_credit TEXT;
ALTER TABLE articles ADD COLUMN seo_title TEXT;
ALTER TABLE articles ADD COLUMN seo_description TEXT;

-- Sections in the order the navigation shows them, with a line for their page.
ALTER TABLE sections ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sections ADD COLUMN description TEXT;

-- Site settings an admin changes from the browser; they override the configuration file.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
