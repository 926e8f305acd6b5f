-- Ad campaigns an admin runs: a picture with a link, or an HTML snippet (sanitized unless the
-- admin allows third-party code), for one slot, optionally one section, with a weight and a
-- schedule. Impressions and clicks are counted per campaign and day.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slot TEXT NOT NULL,
    image_url TEXT,
    link_url TEXT,
    alt TEXT NOT NULL DEFAULT '',
    html TEXT,
    allow_scripts BIGINT NOT NULL DEFAULT 0,
    section TEXT,
    weight BIGINT NOT NULL DEFAULT 1,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE ad_stats (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    impressions BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day)
);
