-- When an automatic digest draft goes out by itself (Unix seconds): set at drafting when the
-- site sends digests automatically, cleared when an editor holds it for review.
ALTER TABLE mailings ADD COLUMN send_at BIGINT;
-- The sender looks for due drafts every minute; only the few waiting have a time.
CREATE INDEX mailings_to_send ON mailings (send_at) WHERE send_at IS NOT NULL;
