-- Articles and what hangs off them. Times are Unix seconds (UTC); zones are shown, not stored
-- in timestamps. Every table has an integer key so the same queries run on both engines.
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    headline TEXT NOT NULL,
    headline_key TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'published',
    published_at BIGINT NOT NULL,
    updated_at BIGINT,
    zone TEXT NOT NULL,
    dateline TEXT,
    source_name TEXT,
    source_url TEXT,
    section_id BIGINT REFERENCES sections (id),
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE INDEX articles_by_time ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_by_section ON articles (section_id, published_at DESC);
CREATE INDEX articles_by_headline ON articles (headline_key);

CREATE TABLE article_authors (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (article_id, person_id)
);
CREATE INDEX article_authors_by_person ON article_authors (person_id);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id);

-- "Baca juga" references as written; target_id is filled when an article with that headline
-- exists, now or later.
CREATE TABLE related_refs (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    headline TEXT NOT NULL,
    headline_key TEXT NOT NULL,
    target_id BIGINT REFERENCES articles (id) ON DELETE SET NULL,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX related_refs_by_headline ON related_refs (headline_key);

-- Slugs an article had before a rename, so old links redirect.
CREATE TABLE old_slugs (
    slug TEXT PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

-- One counter bumped by every write transaction; servers poll it to drop cached pages, which
-- also catches writes by other processes (the import command, other nodes).
CREATE TABLE site_changes (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO site_changes (id, version) VALUES (1, 0);
