-- The newsroom finds articles by any part of a headline ("banjir", "rob di"). A LIKE over the
-- table read every headline, growing with the archive; a trigram index on the lower-cased
-- headline answers the same LIKE from the index. pg_trgm ships with PostgreSQL's contrib
-- modules and is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX articles_headline_trigrams ON articles USING gin (LOWER(headline) gin_trgm_ops);
