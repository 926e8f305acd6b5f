//! Users, sessions and one-time tokens (e-mail verification, password reset). Secrets are
//! hashed by the caller; this module stores and compares hashes only.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};
use warta_core::{FieldError, account::Role};

use crate::{Store, StoreError, direct};

/// A signed-up person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub verified: bool,
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    email_verified_at: Option<i64>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            // An unknown role in the database grants nothing.
            role: Role::parse(&row.role).unwrap_or(Role::Reader),
            verified: row.email_verified_at.is_some(),
        }
    }
}

/// What a one-time token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify",
            Purpose::ResetPassword => "reset",
        }
    }
}

/// A new user. The address must be normalized ([`warta_core::account::normalize_email`]).
pub async fn create(
    conn: &mut AnyConnection,
    name: &str,
    email: &str,
    password_hash: &str,
    role: Role,
    verified: bool,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let result = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, role, email_verified_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(verified.then_some(now.timestamp()))
    .bind(now.timestamp())
    .fetch_one(conn)
    .await;
    match result {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Err(StoreError::Invalid(vec![FieldError::new(
                "email",
                "alamat ini sudah terdaftar",
                "this address is already registered",
            )]))
        }
        Err(error) => Err(error.into()),
    }
}

const USER_COLUMNS: &str = "id, email, name, role, email_verified_at";

/// The user with `email` and their password hash, for signing in.
pub async fn credentials(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<(User, String)>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1");
    let row: Option<(i64, String, String, String, Option<i64>, String)> = sqlx::query_as(&sql)
        .bind(email)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id, email, name, role, email_verified_at, hash)| {
        (
            User::from(UserRow {
                id,
                email,
                name,
                role,
                email_verified_at,
            }),
            hash,
        )
    }))
}

pub async fn by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(email)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(User::from))
}

/// Everyone, oldest account first.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY id");
    let rows: Vec<UserRow> = sqlx::query_as(&sql).fetch_all(conn).await?;
    Ok(rows.into_iter().map(User::from).collect())
}

/// Changes a role; false when no such user.
pub async fn set_role(
    conn: &mut AnyConnection,
    email: &str,
    role: Role,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE users SET role = $2 WHERE email = $1")
        .bind(email)
        .bind(role.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Replaces a password hash and cancels every reset link still out: a link mailed before the
/// change (perhaps to a mailbox someone else reads) must not undo it. The caller ends the
/// user's other sessions (see [`end_other_sessions`]): a stolen session must die with the old
/// password.
pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: i64,
    password_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id)
        .bind(password_hash)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2")
        .bind(user_id)
        .bind(Purpose::ResetPassword.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends every session of the user except `keep` (the one that asked, if any).
pub async fn end_other_sessions(
    conn: &mut AnyConnection,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(())
}

/// The user with this id.
pub async fn mark_verified(
    conn: &mut AnyConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL",
    )
    .bind(user_id)
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a session whose secret hashes to `id_hash`.
pub async fn start_session(
    conn: &mut AnyConnection,
    id_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now.timestamp())
    .bind(expires.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives the session `old_hash` the secret hashing to `new_hash`, keeping its user and expiry;
/// returns the expiry (Unix seconds), or `None` when no such session is live at `now`.
pub async fn renew_session(
    conn: &mut AnyConnection,
    old_hash: &str,
    new_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "UPDATE sessions SET id_hash = $1 WHERE id_hash = $2 AND expires_at > $3 \
         RETURNING expires_at",
    )
    .bind(new_hash)
    .bind(old_hash)
    .bind(now.timestamp())
    .fetch_optional(conn)
    .await?)
}

direct::row! {
    /// A signed-in visitor as every request of theirs needs them.
    struct ViewerRow {
        id: i64,
        email: String,
        name: String,
        role: String,
        email_verified_at: Option<i64>,
        member: i64,
    }
}

/// Whom a request is from: a session (the cookie's hash) or, when sessions live in Redis, the
/// user Redis named.
#[derive(Debug, Clone, Copy)]
pub enum ViewerKey<'a> {
    Session(&'a str),
    User(i64),
}

/// The viewer's user and whether a membership of theirs runs at `now`: one query, read on
/// this thread from an SQLite file (see [`crate::DirectReader`]), through the pool otherwise.
/// Every page a signed-in reader opens asks this first, and members read without the page
/// cache, so it must cost no more than a read.
pub async fn viewer_in(
    store: &Store,
    key: ViewerKey<'_>,
    now: DateTime<Utc>,
) -> Result<Option<(User, bool)>, StoreError> {
    let sql = viewer_sql(key);
    let direct = direct::try_read(store, |conn| {
        use rusqlite::OptionalExtension;
        let key: &dyn rusqlite::ToSql = match &key {
            ViewerKey::Session(hash) => hash,
            ViewerKey::User(id) => id,
        };
        // By name: sqlx numbers `$N` itself, SQLite numbers parameters as they appear.
        let params = rusqlite::named_params! { "$1": key, "$2": now.timestamp() };
        conn.prepare_cached(sql)?
            .query_row(params, |row| ViewerRow::read_direct(row, 0))
            .optional()
    });
    let row = match direct {
        Some(read) => read?,
        None => {
            let query = sqlx::query_as::<_, ViewerRow>(sql);
            let query = match key {
                ViewerKey::Session(hash) => query.bind(hash.to_owned()),
                ViewerKey::User(id) => query.bind(id),
            };
            let mut conn = store.pool().acquire().await?;
            query
                .bind(now.timestamp())
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    Ok(row.map(|row| {
        let member = row.member > 0;
        let user = User::from(UserRow {
            id: row.id,
            email: row.email,
            name: row.name,
            role: row.role,
            email_verified_at: row.email_verified_at,
        });
        (user, member)
    }))
}

fn viewer_sql(key: ViewerKey<'_>) -> &'static str {
    // The membership test matches `membership::Membership::active`.
    const COLUMNS: &str = "SELECT u.id, u.email, u.name, u.role, u.email_verified_at, \
         (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id AND m.until > $2) AS member";
    static BY_SESSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2"
        )
    });
    static BY_USER: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("{COLUMNS} FROM users u WHERE u.id = $1"));
    match key {
        ViewerKey::Session(_) => &BY_SESSION,
        ViewerKey::User(_) => &BY_USER,
    }
}

pub async fn end_session(conn: &mut AnyConnection, id_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a one-time token for `user_id`.
pub async fn issue_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    purpose: Purpose,
    expires: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(expires.timestamp())
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses up a token: the user it belongs to, once, while it has not expired.
pub async fn redeem_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE account_tokens SET used_at = $3 \
          WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now.timestamp())
    .fetch_optional(conn)
    .await?;
    Ok(user)
}

/// An API key as its owner sees it (never the key itself, which is shown once).
#[derive(Debug, Clone, FromRow)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Stores a new key (its hash) for `user_id`.
pub async fn create_api_key(
    conn: &mut AnyConnection,
    user_id: i64,
    name: &str,
    key_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO api_keys (user_id, name, key_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(key_hash)
    .bind(now.timestamp())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// A user's keys that still work.
pub async fn api_keys(conn: &mut AnyConnection, user_id: i64) -> Result<Vec<ApiKey>, StoreError> {
    let rows = sqlx::query_as::<_, ApiKey>(
        "SELECT id, name, created_at, last_used_at FROM api_keys \
          WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// Revokes one of the user's keys; false when there is no such key of theirs.
pub async fn revoke_api_key(
    conn: &mut AnyConnection,
    user_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The owner of a live key, noting that it was used.
pub async fn api_key_user(
    conn: &mut AnyConnection,
    key_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>, StoreError> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.role, u.email_verified_at \
           FROM api_keys k JOIN users u ON u.id = k.user_id \
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
    )
    .bind(key_hash)
    .fetch_optional(&mut *conn)
    .await?;
    if row.is_some() {
        sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE key_hash = $1")
            .bind(key_hash)
            .bind(now.timestamp())
            .execute(conn)
            .await?;
    }
    Ok(row.map(User::from))
}
