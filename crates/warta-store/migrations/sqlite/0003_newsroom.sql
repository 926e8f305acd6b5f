-- The newsroom: who owns an article, a version for optimistic locking, and a revision per save
-- (with the status it left the article in, who saved it and when).
ALTER TABLE articles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN owner_id BIGINT REFERENCES users (id);
CREATE INDEX articles_by_modified ON articles (modified_at DESC);

CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    saved_by BIGINT REFERENCES users (id),
    saved_at BIGINT NOT NULL,
    headline TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_markdown TEXT NOT NULL
);
CREATE INDEX article_revisions_by_article ON article_revisions (article_id, version);
