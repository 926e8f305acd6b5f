-- Articles only members read in full; others get the lead and an invitation.
ALTER TABLE articles ADD COLUMN members_only BIGINT NOT NULL DEFAULT 0;
