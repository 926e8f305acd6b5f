-- Readers who asked for e-mail: breaking news and daily or weekly digests, all sections
-- (section_id 0) or chosen ones. Nothing is sent before the address is confirmed.
CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL UNIQUE,
    confirmed_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE subscriptions (
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list TEXT NOT NULL,
    section_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (subscriber_id, list, section_id)
);
CREATE INDEX subscriptions_by_list ON subscriptions (list, section_id);

-- One message to a list: a digest (drafted, edited, then sent) or a breaking-news alert.
-- edition names an automatic draft ("daily:2026-11-28:0") so two nodes never draft it twice.
CREATE TABLE mailings (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL,
    section_id BIGINT NOT NULL DEFAULT 0,
    edition TEXT UNIQUE,
    subject TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    article_ids TEXT NOT NULL DEFAULT '',
    alert_id BIGINT REFERENCES alerts (id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    queued_at BIGINT,
    sent_at BIGINT
);
CREATE INDEX mailings_by_time ON mailings (created_at DESC);

-- One row per recipient of a mailing, made when it is queued. A row is claimed ('sending')
-- before the SMTP conversation and marked 'sent' after it, so a restart never repeats one; a
-- row left 'sending' by a killed process becomes 'interrupted' rather than being sent again.
CREATE TABLE mailing_sends (
    mailing_id BIGINT NOT NULL REFERENCES mailings (id) ON DELETE CASCADE,
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    error TEXT,
    sent_at BIGINT,
    PRIMARY KEY (mailing_id, subscriber_id)
);
CREATE INDEX mailing_sends_pending ON mailing_sends (status, mailing_id);
