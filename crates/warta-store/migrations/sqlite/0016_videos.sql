-- Video items: an uploaded MP4/WebM file (under the media dir) or an embed of a known host,
-- which pages load only when the reader asks for it.
CREATE TABLE videos (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    duration_seconds BIGINT NOT NULL,
    poster_key TEXT REFERENCES images (key) ON DELETE SET NULL,
    file_path TEXT,
    file_type TEXT,
    file_bytes BIGINT,
    embed_host TEXT,
    embed_id TEXT,
    section_id BIGINT REFERENCES sections (id) ON DELETE SET NULL,
    story_id BIGINT REFERENCES stories (id) ON DELETE SET NULL,
    tags TEXT NOT NULL DEFAULT '',
    published_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX videos_by_time ON videos (published_at DESC, id DESC);
