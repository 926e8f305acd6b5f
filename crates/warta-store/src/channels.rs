//! Breaking-news channels and their deliveries: one delivery per channel per alert, claimed by
//! one node at a time, retried with backoff, kept as a log.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Channel {
    pub id: i64,
    /// "webhook" or "telegram".
    pub kind: String,
    pub name: String,
    /// The webhook's URL, or the Telegram Bot API's origin.
    pub url: String,
    /// The webhook's signing secret, or the Telegram bot token.
    pub secret: String,
    pub chat_id: Option<String>,
    pub active: i64,
}

/// A delivery to make now, with what it carries.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Due {
    pub id: i64,
    pub attempts: i64,
    pub kind: String,
    pub url: String,
    pub secret: String,
    pub chat_id: Option<String>,
    pub alert_id: i64,
    pub text: String,
    pub link: Option<String>,
    pub created_at: i64,
}

/// A delivery for the log.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Delivery {
    pub id: i64,
    pub channel: String,
    pub alert: String,
    pub status: String,
    pub attempts: i64,
    pub last_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

pub async fn add(
    conn: &mut AnyConnection,
    kind: &str,
    name: &str,
    url: &str,
    secret: &str,
    chat_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO channels (kind, name, url, secret, chat_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind)
    .bind(name)
    .bind(url)
    .bind(secret)
    .bind(chat_id.map(str::to_owned))
    .bind(now.timestamp())
    .fetch_one(conn)
    .await?)
}

pub async fn set_active(
    conn: &mut AnyConnection,
    id: i64,
    active: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE channels SET active = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::from(active))
        .execute(conn)
        .await?
        .rows_affected();
    Ok(done > 0)
}

pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Channel>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, kind, name, url, secret, chat_id, active FROM channels ORDER BY id",
    )
    .fetch_all(conn)
    .await?)
}

/// One pending delivery per active channel for a new alert (in the alert's transaction).
pub async fn enqueue(
    conn: &mut AnyConnection,
    alert_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO deliveries (channel_id, alert_id, status, next_attempt_at, created_at) \
         SELECT id, $1, 'pending', $2, $2 FROM channels WHERE active = 1",
    )
    .bind(alert_id)
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims the deliveries due now for `lease` seconds, so no other node sends them meanwhile.
pub async fn claim_due(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    lease: i64,
    limit: i64,
) -> Result<Vec<Due>, StoreError> {
    let t = now.timestamp();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT d.id FROM deliveries d JOIN channels c ON c.id = d.channel_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND c.active = 1 \
         AND (d.claimed_until IS NULL OR d.claimed_until < $1) ORDER BY d.next_attempt_at, d.id LIMIT $2",
    )
    .bind(t)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut due = Vec::with_capacity(ids.len());
    for id in ids {
        // Whoever flips the lease first owns the delivery.
        let won = sqlx::query(
            "UPDATE deliveries SET claimed_until = $2 WHERE id = $1 \
             AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(id)
        .bind(t + lease)
        .bind(t)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if won == 0 {
            continue;
        }
        let row: Option<Due> = sqlx::query_as(
            "SELECT d.id, d.attempts, c.kind, c.url, c.secret, c.chat_id, a.id AS alert_id, \
             a.text, a.url AS link, a.created_at \
             FROM deliveries d JOIN channels c ON c.id = d.channel_id JOIN alerts a ON a.id = d.alert_id \
             WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        due.extend(row);
    }
    Ok(due)
}

/// Records an attempt: delivered, or failed with the next try at `retry_at` (none: give up).
pub async fn record(
    conn: &mut AnyConnection,
    id: i64,
    delivered: bool,
    code: Option<i64>,
    error: Option<&str>,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let status = match (delivered, retry_at) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    sqlx::query(
        "UPDATE deliveries SET status = $2, attempts = attempts + 1, last_code = $3, last_error = $4, \
         next_attempt_at = $5, claimed_until = NULL, delivered_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(code)
    .bind(error.map(str::to_owned))
    // Rounded up to the next whole second, so the wait is never shorter than asked.
    .bind(retry_at.map_or(now.timestamp(), |t| {
        t.timestamp() + i64::from(t.timestamp_subsec_nanos() > 0)
    }))
    .bind(delivered.then_some(now.timestamp()))
    .execute(conn)
    .await?;
    Ok(())
}

/// The latest deliveries, newest first.
pub async fn log(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Delivery>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT d.id, c.name AS channel, a.text AS alert, d.status, d.attempts, d.last_code, \
         d.last_error, d.created_at FROM deliveries d JOIN channels c ON c.id = d.channel_id \
         JOIN alerts a ON a.id = d.alert_id ORDER BY d.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
