//! Reader comments (see `warta_core::comment`): posting, the thread under an article, the
//! author's own changes, reports, and what moderators see and do.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use warta_core::comment::CommentStatus;

use crate::{Store, StoreError, changes, direct};

direct::row! {
    /// A comment with its author's name.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CommentRow {
        pub id: i64,
        pub article_id: i64,
        pub parent_id: Option<i64>,
        pub user_id: i64,
        pub author: String,
        pub body: String,
        pub status: String,
        pub created_at: i64,
        pub edited_at: Option<i64>,
        pub reports: i64,
    }
}

const COLUMNS: &str = "c.id, c.article_id, c.parent_id, c.user_id, u.name AS author, c.body, \
     c.status, c.created_at, c.edited_at, \
     (SELECT COUNT(*) FROM comment_reports r WHERE r.comment_id = c.id) AS reports";

/// Why a comment cannot be posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The article is not live, or its comments are closed.
    Closed,
    /// The reader is banned from commenting.
    Banned,
    /// Replies go one level deep, under a visible comment of the same article.
    BadParent,
    /// A moderator hid the comment; its author may not change it.
    Hidden,
}

/// Whether comments are open on a live article: `None` when there is no such article.
pub async fn open_on(
    conn: &mut AnyConnection,
    article_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<bool>, StoreError> {
    let row: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT comments_closed_at FROM articles WHERE id = $1 AND status = 'published' \
         AND published_at <= $2",
    )
    .bind(article_id)
    .bind(now.timestamp())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|closed| closed.is_none()))
}

/// Posts a comment (visible, or pending under pre-moderation).
pub async fn post(
    conn: &mut AnyConnection,
    article_id: i64,
    parent_id: Option<i64>,
    user_id: i64,
    body: &str,
    status: CommentStatus,
    now: DateTime<Utc>,
) -> Result<Result<i64, Refused>, StoreError> {
    if open_on(conn, article_id, now).await? != Some(true) {
        return Ok(Err(Refused::Closed));
    }
    let banned: Option<Option<i64>> =
        sqlx::query_scalar("SELECT comment_banned_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    if banned.flatten().is_some() {
        return Ok(Err(Refused::Banned));
    }
    if let Some(parent) = parent_id {
        let ok: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM comments WHERE id = $1 AND article_id = $2 AND parent_id IS NULL \
             AND status = 'visible'",
        )
        .bind(parent)
        .bind(article_id)
        .fetch_optional(&mut *conn)
        .await?;
        if ok.is_none() {
            return Ok(Err(Refused::BadParent));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (article_id, parent_id, user_id, body, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(article_id)
    .bind(parent_id)
    .bind(user_id)
    .bind(body)
    .bind(status.as_str())
    .bind(now.timestamp())
    .fetch_one(&mut *conn)
    .await?;
    if status == CommentStatus::Visible {
        changes::bump(conn).await?;
    }
    Ok(Ok(id))
}

/// One page of an article's visible threads (oldest first) with all their visible replies,
/// plus whether another page follows. One query: the page's top-level comments (and one
/// more, to know whether another page follows) with the replies to them.
pub async fn thread(
    conn: &mut AnyConnection,
    article_id: i64,
    per_page: i64,
    page: i64,
) -> Result<(Vec<CommentRow>, bool), StoreError> {
    let rows: Vec<CommentRow> = sqlx::query_as(thread_sql())
        .bind(article_id)
        .bind(per_page + 1)
        .bind(offset(per_page, page))
        .fetch_all(conn)
        .await?;
    Ok(page_of(rows, per_page))
}

/// [`thread`] from the store: on an SQLite file read on this thread ([`crate::DirectReader`]),
/// on PostgreSQL through a pooled connection.
pub async fn thread_in(
    store: &Store,
    article_id: i64,
    per_page: i64,
    page: i64,
) -> Result<(Vec<CommentRow>, bool), StoreError> {
    let direct = direct::try_read(store, |conn| {
        let params = rusqlite::named_params! {
            "$1": article_id,
            "$2": per_page + 1,
            "$3": offset(per_page, page),
        };
        conn.prepare_cached(thread_sql())?
            .query_map(params, |row| CommentRow::read_direct(row, 0))?
            .collect::<rusqlite::Result<Vec<_>>>()
    });
    if let Some(read) = direct {
        return Ok(page_of(read?, per_page));
    }
    let mut conn = store.pool().acquire().await?;
    thread(&mut conn, article_id, per_page, page).await
}

fn thread_sql() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "WITH top AS (SELECT t.id FROM comments t \
               WHERE t.article_id = $1 AND t.parent_id IS NULL AND (t.status = 'visible' \
                 OR (t.status = 'deleted' AND EXISTS (SELECT 1 FROM comments r \
                   WHERE r.parent_id = t.id AND r.status = 'visible'))) \
               ORDER BY t.created_at, t.id LIMIT $2 OFFSET $3) \
             SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.user_id \
             WHERE c.article_id = $1 AND (c.id IN (SELECT id FROM top) \
               OR (c.parent_id IN (SELECT id FROM top) AND c.status = 'visible')) \
             ORDER BY c.created_at, c.id"
        )
    });
    &SQL
}

fn offset(per_page: i64, page: i64) -> i64 {
    (page - 1).max(0) * per_page
}

/// The page's rows, top-level comments first, without the one past the page (read to learn
/// whether another page follows) and its replies.
fn page_of(rows: Vec<CommentRow>, per_page: i64) -> (Vec<CommentRow>, bool) {
    let (mut top, replies): (Vec<CommentRow>, Vec<CommentRow>) =
        rows.into_iter().partition(|c| c.parent_id.is_none());
    let more = top.len() as i64 > per_page;
    let past = more.then(|| top.pop().map(|c| c.id)).flatten();
    top.extend(replies.into_iter().filter(|r| r.parent_id != past));
    (top, more)
}

/// One comment.
pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<CommentRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.user_id WHERE c.id = $1"
    );
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?)
}

/// The author's new text.
///
/// Refused on the terms a new comment is: a reader banned or an article closed since the
/// comment was posted stops its edits too, and a comment a moderator hid stays as it was.
pub async fn edit(
    conn: &mut AnyConnection,
    id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, StoreError> {
    let found: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT c.article_id, c.status, u.comment_banned_at FROM comments c \
         JOIN users u ON u.id = c.user_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((article_id, status, banned)) = found else {
        return Err(StoreError::NotFound);
    };
    if banned.is_some() {
        return Ok(Err(Refused::Banned));
    }
    if status == CommentStatus::Hidden.as_str() {
        return Ok(Err(Refused::Hidden));
    }
    if open_on(conn, article_id, now).await? != Some(true) {
        return Ok(Err(Refused::Closed));
    }
    sqlx::query("UPDATE comments SET body = $2, edited_at = $3 WHERE id = $1")
        .bind(id)
        .bind(body)
        .bind(now.timestamp())
        .execute(&mut *conn)
        .await?;
    changes::bump(conn).await?;
    Ok(Ok(()))
}

/// Removes a comment. One that others replied to leaves its place behind ("deleted", without
/// text or reports) so their replies stay, with their context; a placeholder goes once its
/// last reply does.
pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<bool, StoreError> {
    let parent: Option<Option<i64>> =
        sqlx::query_scalar("SELECT parent_id FROM comments WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(parent) = parent else {
        return Ok(false);
    };
    // Only a visible comment leaves its place: replies under a hidden or waiting one are out
    // of the thread already and go with it (a placeholder would bring them back).
    let kept = sqlx::query(
        "UPDATE comments SET status = 'deleted', body = '', edited_at = NULL WHERE id = $1 \
         AND status = 'visible' AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = $1)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let sql = if kept > 0 {
        "DELETE FROM comment_reports WHERE comment_id = $1"
    } else {
        "DELETE FROM comments WHERE id = $1"
    };
    sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    if let Some(parent) = parent {
        sqlx::query(
            "DELETE FROM comments WHERE id = $1 AND status = 'deleted' \
             AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = $1)",
        )
        .bind(parent)
        .execute(&mut *conn)
        .await?;
    }
    changes::bump(conn).await?;
    Ok(true)
}

/// A reader's report; reporting twice counts once.
pub async fn report(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO comment_reports (comment_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (comment_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(user_id)
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// A moderator's decision: visible (approve) or hidden.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    status: CommentStatus,
) -> Result<bool, StoreError> {
    // A placeholder stays one: a moderator's stale page must not bring back an empty comment,
    // nor hide the replies under it.
    let changed =
        sqlx::query("UPDATE comments SET status = $2 WHERE id = $1 AND status <> 'deleted'")
            .bind(id)
            .bind(status.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if changed > 0 {
        sqlx::query("DELETE FROM comment_reports WHERE comment_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        changes::bump(conn).await?;
    }
    Ok(changed > 0)
}

/// What moderators work through: pending comments and reported visible ones, oldest first.
pub async fn queue(conn: &mut AnyConnection, limit: i64) -> Result<Vec<CommentRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.user_id \
         WHERE c.status = 'pending' OR (c.status = 'visible' AND EXISTS \
               (SELECT 1 FROM comment_reports r WHERE r.comment_id = c.id)) \
         ORDER BY c.created_at, c.id LIMIT $1"
    );
    Ok(sqlx::query_as(&sql).bind(limit).fetch_all(conn).await?)
}

/// Bans (or unbans) a reader from commenting; a ban also hides their waiting comments.
pub async fn set_banned(
    conn: &mut AnyConnection,
    user_id: i64,
    banned: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET comment_banned_at = $2 WHERE id = $1")
        .bind(user_id)
        .bind(banned.then_some(now.timestamp()))
        .execute(&mut *conn)
        .await?;
    if banned {
        sqlx::query(
            "UPDATE comments SET status = 'hidden' WHERE user_id = $1 AND status = 'pending'",
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Readers banned from commenting, most recently banned first: (id, name, email, banned at).
pub async fn banned(
    conn: &mut AnyConnection,
) -> Result<Vec<(i64, String, String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name, email, comment_banned_at FROM users \
         WHERE comment_banned_at IS NOT NULL ORDER BY comment_banned_at DESC, id",
    )
    .fetch_all(conn)
    .await?)
}

/// Whether an article's comments are closed.
pub async fn closed(conn: &mut AnyConnection, article_id: i64) -> Result<bool, StoreError> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT comments_closed_at FROM articles WHERE id = $1")
            .bind(article_id)
            .fetch_optional(conn)
            .await?;
    Ok(at.flatten().is_some())
}

/// Opens or closes an article's comments.
pub async fn set_closed(
    conn: &mut AnyConnection,
    article_id: i64,
    closed: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE articles SET comments_closed_at = $2 WHERE id = $1")
        .bind(article_id)
        .bind(closed.then_some(now.timestamp()))
        .execute(&mut *conn)
        .await?;
    changes::bump(conn).await
}
