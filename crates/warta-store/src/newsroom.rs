//! The newsroom's view of articles: every status, owners, versions and revisions.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};
use warta_core::{ArticleDraft, article::Article, workflow::Status};

use crate::{
    StoreError,
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
    let pattern = filter
        .query
        .map(|q| format!("%{}%", q.to_lowercase().replace(['%', '_'], "")));
    let rows = sqlx::query_as::<_, DeskRow>(
        "SELECT a.id, a.headline, a.status, a.published_at, a.modified_at, s.name AS section, u.name AS owner \
           FROM articles a LEFT JOIN sections s ON s.id = a.section_id LEFT JOIN users u ON u.id = a.owner_id \
          WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR s.slug = $2) AND ($3 = 0 OR a.owner_id = $3) \
            AND ($4 = '' OR LOWER(a.headline) LIKE $4) \
            AND ($7 = '' OR EXISTS (SELECT 1 FROM article_authors aa JOIN people p ON p.id = aa.person_id \
                                     WHERE aa.article_id = a.id AND p.slug = $7)) \
          ORDER BY a.modified_at DESC, a.id DESC LIMIT $5 OFFSET $6",
    )
    .bind(filter.status.map_or("", Status::as_str))
    .bind(filter.section.unwrap_or(""))
    .bind(filter.owner.unwrap_or(0))
    .bind(pattern.unwrap_or_default())
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .bind(filter.author.unwrap_or(""))
    .fetch_all(conn)
    .await?;
    Ok(rows)
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

/// Published articles whose headline contains `words`, newest first: candidates for a
/// "Baca juga" line.
pub async fn find_headlines(
    conn: &mut AnyConnection,
    words: &str,
    limit: u32,
) -> Result<Vec<(String, String)>, StoreError> {
    let pattern = format!("%{}%", words.trim().to_lowercase().replace(['%', '_'], ""));
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT headline, slug, published_at, zone FROM articles \
          WHERE status = 'published' AND LOWER(headline) LIKE $1 \
          ORDER BY published_at DESC, id DESC LIMIT $2",
    )
    .bind(pattern)
    .bind(i64::from(limit))
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
