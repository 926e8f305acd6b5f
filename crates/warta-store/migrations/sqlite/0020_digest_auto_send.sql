-- When an automatic digest draft goes out by itself (Unix seconds): set at drafting when the
-- site sends digests automatically, cleared when an editor holds it for review.
ALTER TABLE mailings ADD COLUMN send_at BIGINT;
