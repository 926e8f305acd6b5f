//! Site settings as key/value pairs (see `warta_core::settings`).

use sqlx::AnyConnection;

use crate::{StoreError, changes};

/// Every stored setting.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<(String, String)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT key, value FROM settings ORDER BY key")
            .fetch_all(conn)
            .await?,
    )
}

/// Stores the pairs and bumps the change counter, so every node reloads them and drops pages
/// printed with the old values.
pub async fn set(conn: &mut AnyConnection, pairs: &[(&str, String)]) -> Result<(), StoreError> {
    for (key, value) in pairs {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(*key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    changes::bump(conn).await
}
