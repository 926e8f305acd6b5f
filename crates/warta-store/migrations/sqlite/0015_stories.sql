-- Running stories ("Ukraina Terkini") and series with numbered instalments ("Rangkuman Hari
-- Ke-175"). A series is a story with a start date: an instalment's number is the days from it.
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    series_start TEXT,
    instalment_label TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);

-- Short timestamped updates on a story's timeline; key events are marked.
CREATE TABLE story_updates (
    id INTEGER PRIMARY KEY,
    story_id BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    key_event BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX story_updates_by_story ON story_updates (story_id, id DESC);

-- An article belongs to at most one story.
CREATE TABLE story_articles (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE
);
CREATE INDEX story_articles_by_story ON story_articles (story_id);
