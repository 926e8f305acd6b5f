//! The site's change counter: every write transaction bumps it, and page caches compare it to
//! know when what they hold may be stale, whichever process made the change.

use sqlx::AnyConnection;

use crate::StoreError;

/// Bumps the counter inside the caller's transaction, so it commits with the change.
pub async fn bump(conn: &mut AnyConnection) -> Result<(), StoreError> {
    sqlx::query("UPDATE site_changes SET version = version + 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// The counter's current value.
pub async fn version(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    let version: i64 = sqlx::query_scalar("SELECT version FROM site_changes WHERE id = 1")
        .fetch_one(conn)
        .await?;
    Ok(version)
}
