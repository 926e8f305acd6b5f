//! Persistence for Warta over one code path for both engines: SQLite (the embedded default, one
//! file in the data dir) and PostgreSQL (for sites that outgrow one machine). Queries are written
//! once in the SQL both engines share and run through sqlx's `Any` driver; each engine has its
//! own migrations folder because their DDL differs. On an SQLite file the article page's query
//! also runs on the caller's thread ([`DirectReader`]), with the same SQL and row types.
//!
//! Functions take a connection (or a transaction, which derefs to one) so the caller decides the
//! transaction boundary.

pub mod accounts;
pub mod ads;
pub mod alerts;
pub mod articles;
pub mod changes;
pub mod channels;
pub mod comments;
mod database;
mod direct;
mod error;
pub mod housekeeping;
pub mod images;
pub mod membership;
pub mod newsletters;
pub mod newsroom;
pub mod settings;
pub mod stories;
pub mod taxonomy;
#[cfg(feature = "testing")]
pub mod testing;
pub mod videos;

pub use database::{Engine, Store};
pub use direct::{DirectReader, Reader};
pub use error::StoreError;
pub use sqlx::AnyConnection as Connection;
pub use sqlx::Error as SqlxError;

/// A connection borrowed from the store's pool.
pub type PoolConnection = sqlx::pool::PoolConnection<sqlx::Any>;

/// A transaction on the store's pool.
pub type Transaction = sqlx::Transaction<'static, sqlx::Any>;
