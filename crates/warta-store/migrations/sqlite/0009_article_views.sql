-- Page views per article per hour (Unix seconds / 3600), written in batches by each node, so
-- "most read" lists cover any window without storing every single view.
CREATE TABLE article_views (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    hour BIGINT NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_views_by_hour ON article_views (hour);
