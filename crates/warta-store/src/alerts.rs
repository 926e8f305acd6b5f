//! Breaking-news alerts (see `warta_core::alert`).

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use warta_core::alert::{Alert, NewAlert};

use crate::{StoreError, changes};

type Row = (i64, String, Option<String>, i64, i64, Option<i64>);

const COLUMNS: &str = "id, text, url, created_at, ends_at, ended_at";

fn alert((id, text, url, created_at, ends_at, ended_at): Row) -> Alert {
    let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or_default();
    Alert {
        id,
        text,
        url,
        created_at: at(created_at),
        ends_at: at(ends_at),
        ended_at: ended_at.map(at),
    }
}

/// Starts an alert (for an article when `article_id` is given) and bumps the change counter so
/// every node shows it.
pub async fn start(
    conn: &mut AnyConnection,
    new: &NewAlert,
    article_id: Option<i64>,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    // A new alert replaces the one on the banner: left running, the older one would come
    // back when the newer ended.
    sqlx::query("UPDATE alerts SET ended_at = $1 WHERE ended_at IS NULL AND ends_at > $1")
        .bind(now.timestamp())
        .execute(&mut *conn)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO alerts (text, url, article_id, created_by, created_at, ends_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&new.text)
    .bind(new.url.clone())
    .bind(article_id)
    .bind(user_id)
    .bind(now.timestamp())
    .bind(new.ends_at.timestamp())
    .fetch_one(&mut *conn)
    .await?;
    // Every channel gets the alert, sent by whichever node claims the delivery first.
    crate::channels::enqueue(conn, id, now).await?;
    // So does every reader who asked for breaking news by e-mail (for this section or all).
    crate::newsletters::queue_alert(conn, id, &new.text, article_id, user_id, now).await?;
    changes::bump(conn).await?;
    Ok(id)
}

/// Ends an alert now; false when it had already ended.
pub async fn end(
    conn: &mut AnyConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let ended = sqlx::query("UPDATE alerts SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
        .bind(id)
        .bind(now.timestamp())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if ended > 0 {
        changes::bump(conn).await?;
    }
    Ok(ended > 0)
}

/// Ends the live alerts of an article (when it is unpublished or its flag is cleared).
pub async fn end_for_article(
    conn: &mut AnyConnection,
    article_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let ended = sqlx::query(
        "UPDATE alerts SET ended_at = $2 WHERE article_id = $1 AND ended_at IS NULL AND ends_at > $2",
    )
    .bind(article_id)
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if ended > 0 {
        changes::bump(conn).await?;
    }
    Ok(())
}

/// The alert pages show now: the newest live one.
pub async fn live(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Option<Alert>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM alerts WHERE ended_at IS NULL AND ends_at > $1 \
         ORDER BY created_at DESC, id DESC LIMIT 1"
    );
    let row: Option<Row> = sqlx::query_as(&sql)
        .bind(now.timestamp())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(alert))
}

/// Whether an article has a live alert.
pub async fn live_for_article(
    conn: &mut AnyConnection,
    article_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM alerts WHERE article_id = $1 AND ended_at IS NULL AND ends_at > $2 LIMIT 1",
    )
    .bind(article_id)
    .bind(now.timestamp())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The latest alerts, live or not, for the newsroom's list.
pub async fn recent(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Alert>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM alerts ORDER BY created_at DESC, id DESC LIMIT $1");
    let rows: Vec<Row> = sqlx::query_as(&sql).bind(limit).fetch_all(conn).await?;
    Ok(rows.into_iter().map(alert).collect())
}

/// Where an alert links, if anywhere.
pub async fn link(conn: &mut AnyConnection, id: i64) -> Result<Option<String>, StoreError> {
    let url: Option<Option<String>> = sqlx::query_scalar("SELECT url FROM alerts WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(url.flatten())
}
