//! Running stories and series: the story itself, its live updates, and which articles belong
//! to it. Every write bumps the change counter, so pages and open live timelines on every node
//! follow.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AnyConnection;
use warta_core::{FieldError, story::StoryInput};

use crate::{
    StoreError, changes,
    direct::{self, Param, Reader},
};

direct::row! {
    /// A story as stored.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Story {
        pub id: i64,
        pub slug: String,
        pub title: String,
        pub summary: String,
        /// `YYYY-MM-DD` for a series.
        pub series_start: Option<String>,
        pub instalment_label: String,
        pub modified_at: i64,
    }
}

impl Story {
    /// Day 1 of a series.
    pub fn start(&self) -> Option<NaiveDate> {
        self.series_start
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    }

    pub fn path(&self) -> String {
        format!("/topik/{}", self.slug)
    }
}

direct::row! {
    /// One live update.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Update {
        pub id: i64,
        pub story_id: i64,
        pub body: String,
        pub key_event: i64,
        pub created_at: i64,
        /// When the update was last corrected.
        pub edited_at: Option<i64>,
        /// Who posted it (none once their account is gone).
        pub created_by: Option<i64>,
    }
}

const STORY_COLUMNS: &str = "id, slug, title, summary, series_start, instalment_label, modified_at";

const UPDATE_COLUMNS: &str = "id, story_id, body, key_event, created_at, edited_at, created_by";

/// Creates the story (`id` None) or changes it; a slug another story has is refused.
pub async fn save(
    conn: &mut AnyConnection,
    id: Option<i64>,
    input: &StoryInput,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let clash: Option<i64> =
        sqlx::query_scalar("SELECT id FROM stories WHERE slug = $1 AND id <> $2")
            .bind(&input.slug)
            .bind(id.unwrap_or(0))
            .fetch_optional(&mut *conn)
            .await?;
    if clash.is_some() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "slug",
            format!("alamat /topik/{} sudah dipakai cerita lain", input.slug),
            format!(
                "another story already has the address /topik/{}",
                input.slug
            ),
        )]));
    }
    let start = input.series_start.map(|d| d.format("%Y-%m-%d").to_string());
    let id = match id {
        Some(id) => {
            let changed = sqlx::query(
                "UPDATE stories SET slug = $2, title = $3, summary = $4, series_start = $5, \
                 instalment_label = $6, modified_at = $7 WHERE id = $1",
            )
            .bind(id)
            .bind(&input.slug)
            .bind(&input.title)
            .bind(&input.summary)
            .bind(start)
            .bind(&input.instalment_label)
            .bind(now.timestamp())
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO stories (slug, title, summary, series_start, instalment_label, \
                 created_at, modified_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(&input.slug)
            .bind(&input.title)
            .bind(&input.summary)
            .bind(start)
            .bind(&input.instalment_label)
            .bind(now.timestamp())
            .fetch_one(&mut *conn)
            .await?
        }
    };
    changes::bump(conn).await?;
    Ok(id)
}

pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Story>, StoreError> {
    let sql = format!("SELECT {STORY_COLUMNS} FROM stories ORDER BY modified_at DESC, id DESC");
    Ok(sqlx::query_as(&sql).fetch_all(conn).await?)
}

pub async fn by_slug<'c>(
    from: impl Into<Reader<'c>>,
    slug: &str,
) -> Result<Option<Story>, StoreError> {
    let sql = format!("SELECT {STORY_COLUMNS} FROM stories WHERE slug = $1");
    let rows: Vec<Story> = from.into().rows(&sql, &[Param::Text(slug)]).await?;
    Ok(rows.into_iter().next())
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Story>, StoreError> {
    let sql = format!("SELECT {STORY_COLUMNS} FROM stories WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?)
}

/// The story an article belongs to.
pub async fn of_article<'c>(
    from: impl Into<Reader<'c>>,
    article_id: i64,
) -> Result<Option<Story>, StoreError> {
    let sql = format!(
        "SELECT {STORY_COLUMNS} FROM stories WHERE id = \
         (SELECT story_id FROM story_articles WHERE article_id = $1)"
    );
    let rows: Vec<Story> = from.into().rows(&sql, &[Param::Int(article_id)]).await?;
    Ok(rows.into_iter().next())
}

/// Puts an article in a story, moves it to another, or (`None`) takes it out.
pub async fn set_article(
    conn: &mut AnyConnection,
    article_id: i64,
    story_id: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM story_articles WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    if let Some(story_id) = story_id {
        sqlx::query("INSERT INTO story_articles (article_id, story_id) VALUES ($1, $2)")
            .bind(article_id)
            .bind(story_id)
            .execute(&mut *conn)
            .await?;
    }
    changes::bump(conn).await
}

/// Posts a live update; returns its id.
pub async fn add_update(
    conn: &mut AnyConnection,
    story_id: i64,
    body: &str,
    key_event: bool,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO story_updates (story_id, body, key_event, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(story_id)
    .bind(body)
    .bind(i64::from(key_event))
    .bind(user)
    .bind(now.timestamp())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE stories SET modified_at = $2, timeline_version = timeline_version + 1 \
         WHERE id = $1",
    )
    .bind(story_id)
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?;
    changes::bump(conn).await?;
    Ok(id)
}

/// One update of the story, if it has that one.
pub async fn update(
    conn: &mut AnyConnection,
    story_id: i64,
    id: i64,
) -> Result<Option<Update>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {UPDATE_COLUMNS} FROM story_updates WHERE id = $1 AND story_id = $2"
    ))
    .bind(id)
    .bind(story_id)
    .fetch_optional(conn)
    .await?)
}

/// Corrects an update's text and whether it is a key event; false when the story has no such
/// update. Its place in the timeline stays; open pages replace it.
pub async fn edit_update(
    conn: &mut AnyConnection,
    story_id: i64,
    id: i64,
    body: &str,
    key_event: bool,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE story_updates SET body = $3, key_event = $4, edited_at = $5 \
         WHERE id = $1 AND story_id = $2",
    )
    .bind(id)
    .bind(story_id)
    .bind(body)
    .bind(i64::from(key_event))
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    bump_if(conn, story_id, done).await
}

/// Removes an update posted by mistake.
pub async fn delete_update(
    conn: &mut AnyConnection,
    story_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM story_updates WHERE id = $1 AND story_id = $2")
        .bind(id)
        .bind(story_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    bump_if(conn, story_id, done).await
}

/// After an edit or delete that touched `rows` of the story's updates: moves the story's
/// timeline version and bumps the change counter when it touched any; whether it did.
async fn bump_if(conn: &mut AnyConnection, story_id: i64, rows: u64) -> Result<bool, StoreError> {
    if rows > 0 {
        sqlx::query("UPDATE stories SET timeline_version = timeline_version + 1 WHERE id = $1")
            .bind(story_id)
            .execute(&mut *conn)
            .await?;
        changes::bump(conn).await?;
    }
    Ok(rows > 0)
}

/// How many times the story's updates were posted, corrected or deleted: an open timeline
/// compares it before reading the updates again.
pub async fn timeline_version(conn: &mut AnyConnection, story_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT timeline_version FROM stories WHERE id = $1")
            .bind(story_id)
            .fetch_optional(conn)
            .await?
            .unwrap_or(0),
    )
}

/// The newest `limit` updates, newest first.
pub async fn updates<'c>(
    from: impl Into<Reader<'c>>,
    story_id: i64,
    limit: i64,
) -> Result<Vec<Update>, StoreError> {
    let sql = format!(
        "SELECT {UPDATE_COLUMNS} FROM story_updates WHERE story_id = $1 ORDER BY id DESC LIMIT $2"
    );
    from.into()
        .rows(&sql, &[Param::Int(story_id), Param::Int(limit)])
        .await
}

/// Stories with at least one live article, most recently active first: what the home page
/// offers readers. Active means the later of the story's own change (an edit, a live update)
/// and its newest live article, which a scheduled article reaches with no write at all; that
/// time comes back as `modified_at`.
pub async fn with_articles<'c>(
    from: impl Into<Reader<'c>>,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Story>, StoreError> {
    let sql = "SELECT id, slug, title, summary, series_start, instalment_label, \
         CASE WHEN newest > modified_at THEN newest ELSE modified_at END AS modified_at \
         FROM (SELECT st.*, (SELECT MAX(a.published_at) FROM story_articles sa \
               JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = st.id \
               AND a.status = 'published' AND a.published_at <= $1) AS newest \
               FROM stories st) active \
         WHERE newest IS NOT NULL \
         ORDER BY 7 DESC, id DESC LIMIT $2";
    from.into()
        .rows(sql, &[Param::Int(now.timestamp()), Param::Int(limit)])
        .await
}

/// The stories of several articles at once, as (article id, story).
pub async fn of_articles<'c>(
    from: impl Into<Reader<'c>>,
    article_ids: &[i64],
) -> Result<Vec<(i64, Story)>, StoreError> {
    let mut found = Vec::new();
    if article_ids.is_empty() {
        return Ok(found);
    }
    // Parameters, not the ids in the text: the statement is the same for every page of a
    // size, so a connection keeps it prepared.
    let placeholders = crate::articles::placeholders(1, article_ids.len());
    let sql = format!(
        "SELECT sa.article_id, st.id, st.slug, st.title, st.summary, st.series_start, \
         st.instalment_label, st.modified_at FROM story_articles sa \
         JOIN stories st ON st.id = sa.story_id WHERE sa.article_id IN ({placeholders})"
    );
    let params: Vec<Param<'_>> = article_ids.iter().map(|id| Param::Int(*id)).collect();
    let rows: Vec<StoryOfArticle> = from.into().rows(&sql, &params).await?;
    for row in rows {
        found.push((
            row.article_id,
            Story {
                id: row.id,
                slug: row.slug,
                title: row.title,
                summary: row.summary,
                series_start: row.series_start,
                instalment_label: row.instalment_label,
                modified_at: row.modified_at,
            },
        ));
    }
    Ok(found)
}

direct::row! {
    struct StoryOfArticle {
        article_id: i64,
        id: i64,
        slug: String,
        title: String,
        summary: String,
        series_start: Option<String>,
        instalment_label: String,
        modified_at: i64,
    }
}
