-- When a live update was last corrected; open pages replace its text when this changes.
ALTER TABLE story_updates ADD COLUMN edited_at BIGINT;
