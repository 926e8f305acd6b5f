-- Sitemaps list the live articles in id order, with their times: from this index alone, not
-- the table. On 30,000 articles the sitemap index took 76 ms (reading every row and sorting it
-- by id) and a file of 10,000 articles 134 ms; with this index 17 ms and, its ids first, 23 ms.
CREATE INDEX articles_for_sitemaps ON articles (status, id, published_at, updated_at);
