//! Rows that have outlived their use: expired sessions and one-time tokens, and newsletter
//! sign-ups never confirmed. Nothing reads the first two again, and an address that was never
//! confirmed gave no consent to be kept.

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;

use crate::StoreError;

/// How long a newsletter sign-up waits for its confirmation before it is forgotten: the
/// confirmation link works this long.
pub const UNCONFIRMED_KEPT: Duration = Duration::days(7);

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub tokens: u64,
    pub sign_ups: u64,
}

impl Swept {
    pub fn is_empty(&self) -> bool {
        *self == Swept::default()
    }
}

/// Removes what has expired by `now`, one statement per kind. Any node may run it at any
/// time: a second sweep finds nothing.
pub async fn sweep(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<Swept, StoreError> {
    let now_s = now.timestamp();
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_s)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let tokens = sqlx::query("DELETE FROM account_tokens WHERE expires_at <= $1")
        .bind(now_s)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    // Their lists go with them (ON DELETE CASCADE); an unconfirmed address was never sent to.
    let sign_ups =
        sqlx::query("DELETE FROM subscribers WHERE confirmed_at IS NULL AND created_at <= $1")
            .bind((now - UNCONFIRMED_KEPT).timestamp())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    Ok(Swept {
        sessions,
        tokens,
        sign_ups,
    })
}
