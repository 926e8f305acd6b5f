use warta_core::FieldError;

/// Everything the store can fail with. Database details are for logs, never for readers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From a read on the calling thread (`direct`).
    #[error("database error: {0}")]
    Direct(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The input broke a rule; each entry names the field.
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// The row to change does not exist (any more).
    #[error("not found")]
    NotFound,
    /// The lock that keeps two processes from setting up one SQLite file at once.
    #[error("cannot lock {path} while opening the database: {message}")]
    Lock { path: String, message: String },
    #[error("unsupported database URL {0:?}: expected sqlite:// or postgres://")]
    UnsupportedUrl(String),
    /// Work handed to a blocking thread did not finish (it panicked).
    #[error("{0}")]
    Task(String),
}
