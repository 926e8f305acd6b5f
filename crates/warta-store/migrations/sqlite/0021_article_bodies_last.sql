-- The article's bodies move to the end of its row.
--
-- SQLite stores a row's columns in the order of the table's definition and spills what does
-- not fit on its page (about 4 KB) into overflow pages. The bodies came sixth, so on a real
-- article (a few KB of Markdown and as much again of HTML) status, published_at, zone and
-- section_id sat in the overflow chain: every list (home, section, tag, author, the feeds)
-- walked two or three overflow pages per row to read a date. With the bodies last, a list reads
-- only the row's first page; the article page still reads the bodies it shows.
--
-- There is no way to reorder columns in place, and rebuilding the table (create, copy, drop,
-- rename) would fire the ON DELETE actions of every table that references articles, because
-- foreign keys cannot be switched off inside the migration's transaction. So the bodies are
-- copied into new columns, which ALTER TABLE ADD COLUMN puts last, and the old ones dropped:
-- DROP COLUMN rewrites every row without them.

ALTER TABLE articles ADD COLUMN body_markdown_last TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN body_html_last TEXT NOT NULL DEFAULT '';
UPDATE articles SET body_markdown_last = body_markdown, body_html_last = body_html,
    body_markdown = '', body_html = '';
ALTER TABLE articles DROP COLUMN body_markdown;
ALTER TABLE articles DROP COLUMN body_html;
ALTER TABLE articles RENAME COLUMN body_markdown_last TO body_markdown;
ALTER TABLE articles RENAME COLUMN body_html_last TO body_html;
