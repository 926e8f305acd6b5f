-- Indexes for the home page's reads, so that they cost the same with 30,000 articles as with
-- 30 (before them it took 170 ms on 30,000 generated articles, most of it in the
-- per-section query and the lead story's).

-- The lead story: only the few articles an editor ever made lead.
CREATE INDEX articles_by_lead ON articles (lead_at) WHERE lead_at IS NOT NULL;

-- A section's newest published articles: one range of the index per section.
DROP INDEX articles_by_section;
CREATE INDEX articles_by_section ON articles (section_id, status, published_at DESC, id DESC);

-- "Most read": the window's rows only, without visiting the table.
DROP INDEX article_views_by_hour;
CREATE INDEX article_views_by_hour ON article_views (hour, article_id, views);
