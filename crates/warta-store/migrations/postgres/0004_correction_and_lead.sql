-- A correction note shown under an article, and the editor's choice of lead story (the most
-- recently chosen published article leads the home page).
ALTER TABLE articles ADD COLUMN correction TEXT;
ALTER TABLE articles ADD COLUMN lead_at BIGINT;
