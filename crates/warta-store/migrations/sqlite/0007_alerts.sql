-- Breaking-news alerts: an article marked breaking, or a one-line alert with an optional link.
-- The newest alert that has not ended (by an editor, or by its time) is shown on every page.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    url TEXT,
    article_id BIGINT REFERENCES articles (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX alerts_live ON alerts (ended_at, ends_at);
