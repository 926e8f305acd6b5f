-- When a live update was last corrected; open pages replace its text when this changes.
ALTER TABLE story_updates ADD COLUMN edited_at BIGINT;
-- Counts every post, correction and deletion of a story's updates, so that an open timeline
-- rereads the updates only when this moved (any change on the site wakes it).
ALTER TABLE stories ADD COLUMN timeline_version BIGINT NOT NULL DEFAULT 0;
