//! The newsroom's view of articles: every status, owners, versions and revisions.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};
use warta_core::{ArticleDraft, article::Article, workflow::Status};

use crate::{
    Engine, StoreError,
    articles::{self, Saved},
};

/// An article as the editor opens it.
#[derive(Debug, Clone)]
pub struct Editable {
    pub article: Article,
    pub status: Status,
    pub version: i64,
    pub owner_id: Option<i64>,
    /// Chosen as a lead story.
    pub lead: bool,
}

/// Reads any article, whatever its status.
pub async fn editable(conn: &mut AnyConnection, id: i64) -> Result<Option<Editable>, StoreError> {
    let state: Option<(String, i64, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT status, version, owner_id, lead_at FROM articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((status, version, owner_id, lead_at)) = state else {
        return Ok(None);
    };
    let article = articles::any_by_id(conn, id).await?;
    Ok(article.map(|article| Editable {
        article,
        status: Status::parse(&status).unwrap_or(Status::Draft),
        version,
        owner_id,
        lead: lead_at.is_some(),
    }))
}

/// A save's outcome when someone else saved first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub current_version: i64,
}

/// Saves from the editor: a new article (`target` None) or a new version of `target` (id and
/// the version the editor opened). Refuses when the stored version moved on, so two editors
/// never silently overwrite each other. Records a revision. Run inside a transaction.
pub async fn save(
    conn: &mut AnyConnection,
    target: Option<(i64, i64)>,
    draft: &ArticleDraft,
    status: Status,
    by: i64,
    now: DateTime<Utc>,
) -> Result<Result<Saved, Conflict>, StoreError> {
    let existing = match target {
        None => None,
        Some((id, expected)) => {
            let row: Option<(String, i64)> =
                sqlx::query_as("SELECT slug, version FROM articles WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            match row {
                Some((_, version)) if version != expected => {
                    return Ok(Err(Conflict {
                        current_version: version,
                    }));
                }
                Some((slug, _)) => Some((id, slug)),
                None => {
                    return Err(StoreError::Invalid(vec![warta_core::FieldError::new(
                        "id",
                        "artikel itu tidak ada",
                        "no such article",
                    )]));
                }
            }
        }
    };
    let saved = articles::write(conn, existing, draft, status.as_str(), Some(by), now).await?;
    sqlx::query(
        "INSERT INTO article_revisions (article_id, version, status, saved_by, saved_at, headline, summary, body_markdown) \
         SELECT id, version, status, $2, $3, headline, summary, body_markdown FROM articles WHERE id = $1",
    )
    .bind(saved.id)
    .bind(by)
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?;
    // An article that leaves the site takes its breaking-news banner with it, whichever way
    // it was unpublished (editor, admin API).
    if status != Status::Published {
        crate::alerts::end_for_article(conn, saved.id, now).await?;
    }
    Ok(Ok(saved))
}

/// Which articles the newsroom list shows.
#[derive(Debug, Clone, Default)]
pub struct DeskFilter<'a> {
    pub status: Option<Status>,
    /// A section's slug.
    pub section: Option<&'a str>,
    /// A byline author's slug.
    pub author: Option<&'a str>,
    /// Only this owner's articles (contributors and writers see their own).
    pub owner: Option<i64>,
    /// Words in the headline.
    pub query: Option<&'a str>,
}

/// A row of the newsroom list.
#[derive(Debug, Clone, FromRow)]
pub struct DeskRow {
    pub id: i64,
    pub headline: String,
    pub status: String,
    pub published_at: i64,
    pub modified_at: i64,
    pub section: Option<String>,
    pub owner: Option<String>,
}

/// Articles by last change, newest first.
pub async fn desk(
    conn: &mut AnyConnection,
    filter: &DeskFilter<'_>,
    limit: u32,
    offset: u32,
) -> Result<Vec<DeskRow>, StoreError> {
    let sql = desk_sql(filter, Engine::of(conn));
    let mut query = sqlx::query_as::<_, DeskRow>(&sql)
        .bind(i64::from(limit))
        .bind(i64::from(offset));
    if let Some(status) = filter.status {
        query = query.bind(status.as_str());
    }
    if let Some(section) = filter.section {
        query = query.bind(section);
    }
    if let Some(owner) = filter.owner {
        query = query.bind(owner);
    }
    for word in filter.query.map(query_words).unwrap_or_default() {
        query = query.bind(headline_pattern(word));
    }
    if let Some(author) = filter.author {
        query = query.bind(author);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Most words of a newsroom search that each must be in the headline.
const MAX_QUERY_WORDS: usize = 8;

/// The words of a newsroom search, each to be found in the headline in any order ("banjir
/// kalimantan" finds "Kalimantan Dilanda Banjir"); `%` and `_` typed by the newsroom are taken
/// out rather than matching anything.
fn query_words(query: &str) -> Vec<&str> {
    query
        .split(|c: char| c.is_whitespace() || c == '%' || c == '_')
        .filter(|w| !w.is_empty())
        .take(MAX_QUERY_WORDS)
        .collect()
}

/// A LIKE pattern for headlines containing `words`, in any case; `%` and `_` are taken out
/// rather than matching anything.
fn headline_pattern(words: &str) -> String {
    format!("%{}%", words.trim().to_lowercase().replace(['%', '_'], ""))
}

/// The condition that an article's headline matches the LIKE pattern of `words` in
/// parameter `$n`: from the headline trigram index of each engine (migration 0023) instead of
/// every headline. On 30,000 articles a word in no headline took 38 ms to rule out by reading
/// them all, 0.04 ms from the index. Under three letters the index has no trigram to look up
/// and would list every headline; reading the newest first and stopping at a page is faster.
fn headline_match(engine: Engine, n: usize, words: &str) -> String {
    let letters = headline_pattern(words).chars().count() - 2;
    match engine {
        // The trigram tokenizer's LIKE ignores case.
        Engine::Sqlite if letters >= 3 => {
            format!("a.id IN (SELECT rowid FROM article_headlines WHERE headline LIKE ${n})")
        }
        // PostgreSQL's GIN index is on LOWER(headline) and its planner picks it when it helps.
        _ => format!("LOWER(a.headline) LIKE ${n}"),
    }
}

/// [`desk`]'s statement with a condition for each filter set (bound in this order after the
/// limit and offset), so that a status filter, the review queue above all, reads
/// `articles_by_status_modified` instead of every article.
fn desk_sql(filter: &DeskFilter<'_>, engine: Engine) -> String {
    let mut conditions = Vec::new();
    let mut next = 3;
    let mut param = || {
        let n = next;
        next += 1;
        n
    };
    if filter.status.is_some() {
        conditions.push(format!("a.status = ${}", param()));
    }
    if filter.section.is_some() {
        conditions.push(format!("s.slug = ${}", param()));
    }
    if filter.owner.is_some() {
        conditions.push(format!("a.owner_id = ${}", param()));
    }
    for word in filter.query.map(query_words).unwrap_or_default() {
        conditions.push(headline_match(engine, param(), word));
    }
    if filter.author.is_some() {
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM article_authors aa JOIN people p ON p.id = aa.person_id \
             WHERE aa.article_id = a.id AND p.slug = ${})",
            param()
        ));
    }
    let condition = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    format!(
        "SELECT a.id, a.headline, a.status, a.published_at, a.modified_at, s.name AS section, \
                u.name AS owner \
           FROM articles a LEFT JOIN sections s ON s.id = a.section_id \
           LEFT JOIN users u ON u.id = a.owner_id \
          {condition} ORDER BY a.modified_at DESC, a.id DESC LIMIT $1 OFFSET $2"
    )
}

/// One saved version.
#[derive(Debug, Clone, FromRow)]
pub struct Revision {
    pub version: i64,
    pub status: String,
    pub saved_at: i64,
    pub saved_by: Option<String>,
    pub headline: String,
}

/// An article's revisions, newest first.
pub async fn revisions(conn: &mut AnyConnection, id: i64) -> Result<Vec<Revision>, StoreError> {
    let rows = sqlx::query_as::<_, Revision>(
        "SELECT r.version, r.status, r.saved_at, u.name AS saved_by, r.headline \
           FROM article_revisions r LEFT JOIN users u ON u.id = r.saved_by \
          WHERE r.article_id = $1 ORDER BY r.version DESC",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// The text of one saved version.
#[derive(Debug, Clone, FromRow)]
pub struct RevisionText {
    pub version: i64,
    pub headline: String,
    pub summary: String,
    pub body_markdown: String,
}

/// One version of an article's text.
pub async fn revision(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
) -> Result<Option<RevisionText>, StoreError> {
    let row = sqlx::query_as::<_, RevisionText>(
        "SELECT version, headline, summary, body_markdown FROM article_revisions \
          WHERE article_id = $1 AND version = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Live articles whose headline contains `words`, newest first: candidates for a "Baca
/// juga" line. Scheduled ones are left out: their headlines are embargoed, even inside the
/// newsroom's picker, and a link to one would lead readers to a missing page until it airs.
pub async fn find_headlines(
    conn: &mut AnyConnection,
    words: &str,
    limit: u32,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, StoreError> {
    let sql = format!(
        "SELECT a.headline, a.slug, a.published_at, a.zone FROM articles a \
          WHERE a.status = 'published' AND a.published_at <= $3 AND {} \
          ORDER BY a.published_at DESC, a.id DESC LIMIT $2",
        headline_match(Engine::of(conn), 1, words)
    );
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(&sql)
        .bind(headline_pattern(words))
        .bind(i64::from(limit))
        .bind(now.timestamp())
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(headline, slug, at, zone)| {
            let at = DateTime::from_timestamp(at, 0).unwrap_or_default();
            let zone = warta_core::Zone::parse(&zone).unwrap_or_default();
            (headline, warta_core::article::article_path(&slug, at, zone))
        })
        .collect())
}

/// Deletes an article and everything hanging off it. True when it existed.
pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<bool, StoreError> {
    // References to it become unresolved text again rather than vanishing.
    sqlx::query("UPDATE related_refs SET target_id = NULL WHERE target_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM articles WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    crate::changes::bump(conn).await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// The newsroom list reads an index in its order, for all articles and for one status, so
    /// the first page costs the same with any number of articles (and of them changed in one
    /// second, as an import does).
    #[tokio::test]
    async fn the_desk_list_reads_in_index_order() {
        let db = crate::testing::sqlite();
        let store = crate::Store::open(&db.url).await.unwrap();
        let conn = rusqlite::Connection::open(db.url.trim_start_matches("sqlite://")).unwrap();
        let all =
            crate::testing::query_plan(&conn, &desk_sql(&DeskFilter::default(), Engine::Sqlite));
        assert!(
            all.starts_with("SCAN a USING INDEX articles_by_modified"),
            "{all}"
        );
        let review = DeskFilter {
            status: Some(Status::Review),
            ..DeskFilter::default()
        };
        let queue = crate::testing::query_plan(&conn, &desk_sql(&review, Engine::Sqlite));
        assert!(
            queue.starts_with("SEARCH a USING INDEX articles_by_status_modified (status=?)"),
            "{queue}"
        );
        for plan in [all, queue] {
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        }
        store.close().await;
    }

    /// A search by part of a headline asks the trigram index, not every headline; a search too
    /// short for trigrams reads the newest first.
    #[tokio::test]
    async fn the_desk_search_reads_the_headline_index() {
        let db = crate::testing::sqlite();
        let store = crate::Store::open(&db.url).await.unwrap();
        let conn = rusqlite::Connection::open(db.url.trim_start_matches("sqlite://")).unwrap();
        let search = DeskFilter {
            query: Some("banjir"),
            ..DeskFilter::default()
        };
        let plan = crate::testing::query_plan(&conn, &desk_sql(&search, Engine::Sqlite));
        assert!(
            plan.contains("VIRTUAL TABLE INDEX") && plan.contains("article_headlines"),
            "{plan}"
        );
        // Two letters: the newest headlines first, as the list reads without a search.
        let short = DeskFilter {
            query: Some("ba"),
            ..DeskFilter::default()
        };
        let plan = crate::testing::query_plan(&conn, &desk_sql(&short, Engine::Sqlite));
        assert!(
            plan.starts_with("SCAN a USING INDEX articles_by_modified"),
            "{plan}"
        );
        store.close().await;
    }
}
