//! Reads from the SQLite file on the calling thread, for the one page that must be fastest
//! without the page cache: the article.
//!
//! Why a second way in: sqlx runs each SQLite connection on a thread of its own, so a query
//! is a hop to that thread and back, and handing the connection back to the pool is another
//! (sqlx pings it on release). On two cores those hops and the wake-ups around them cost more
//! than the query and the render together. A read-only query on a local file takes
//! microseconds, so it runs right where the request is: on a connection of its own (WAL lets
//! it read beside the pool's writer), with its statements prepared once.
//!
//! Only reads go this way; every write stays on the pool and in its transactions. A read
//! blocks the async worker it runs on for the query's few microseconds. That holds only in
//! WAL mode, where a reader does not wait for the writer, so the reader is only made for a
//! file in WAL mode, and it waits at most [`BUSY_WAIT`] for the rare lock it cannot get (a
//! WAL being restarted or recovered) before the caller falls back to the pool.

use std::{
    path::{Path, PathBuf},
    sync::{
        Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use rusqlite::{Connection, ErrorCode, OpenFlags};
use sqlx::AnyConnection;

use crate::{Store, StoreError};

/// Idle connections kept for reuse; more are opened under load and closed afterwards.
const KEEP_IDLE: usize = 8;

/// Prepared statements kept per connection (rusqlite keeps 16 unless told).
const STATEMENTS_KEPT: usize = 64;

/// The longest a read blocks its thread for a lock before giving up (see the module's doc).
pub(crate) const BUSY_WAIT: Duration = Duration::from_millis(50);

/// Read-only connections to the store's SQLite file, used on the caller's thread.
#[derive(Debug)]
pub struct DirectReader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// Set when the store closes: connections are then closed after each read, not kept.
    closed: AtomicBool,
}

impl DirectReader {
    /// A reader for the database file at `path`, or none when the file is not in WAL mode
    /// (there a reader would wait for every write). Fails if the file cannot be read.
    pub(crate) fn open(path: &Path) -> Result<Option<DirectReader>, StoreError> {
        let reader = DirectReader {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        };
        let first = reader.connect()?;
        let mode: String = first.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%mode, "SQLite file not in WAL mode: every read goes through the pool");
            return Ok(None);
        }
        reader.put_back(first);
        Ok(Some(reader))
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            // No SQLite mutex: a connection is only ever used by one thread at a time.
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Refuses writes: they belong in the pool's transactions.
        conn.pragma_update(None, "query_only", true)?;
        conn.busy_timeout(BUSY_WAIT)?;
        conn.pragma_update(None, "mmap_size", crate::database::MMAP_SIZE)?;
        // Every page's statements stay prepared: lists alone have a dozen forms.
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        Ok(conn)
    }

    fn put_back(&self, conn: Connection) {
        if self.closed.load(Ordering::Acquire) {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < KEEP_IDLE {
            idle.push(conn);
        }
    }

    /// Closes the idle connections, and each busy one when its read ends, so that closing the
    /// store lets SQLite checkpoint. A read after this still works, on a connection of its own.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Runs `read` on an idle connection (or a new one) and keeps the connection for the next.
    pub(crate) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.connect()?,
        };
        let result = read(&conn);
        self.put_back(conn);
        Ok(result?)
    }
}

/// Runs `read` on the store's direct reader. `None` when the caller should read through the
/// pool instead: the store has no direct reader (PostgreSQL, a file outside WAL mode), or
/// the file stayed locked for [`BUSY_WAIT`].
pub(crate) fn try_read<T>(
    store: &Store,
    read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> Option<Result<T, StoreError>> {
    match store.direct()?.read(read) {
        Err(error) if busy(&error) => {
            tracing::warn!(%error, "direct read found the file locked; reading through the pool");
            None
        }
        read => Some(read),
    }
}

/// Whether `error` is SQLite's "database is locked": the read waited [`BUSY_WAIT`] in vain.
fn busy(error: &StoreError) -> bool {
    matches!(error, StoreError::Direct(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy))
}

/// A query parameter, bound alike whichever way the query is read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Int(i64),
    Text(&'a str),
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Param::Int(n) => n.to_sql(),
            Param::Text(text) => text.to_sql(),
        }
    }
}

/// A row type that both ways in can read (made by [`row!`]).
pub(crate) trait Row:
    Sized + Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>
{
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

/// Where a read runs: on a connection the caller holds (perhaps inside its transaction), or
/// from the store, which reads an SQLite file on the caller's thread ([`DirectReader`]) and
/// anything else through a pooled connection. Pages that only read take the store: each
/// pooled query is two thread hops, which on the home page's six queries cost more than the
/// queries.
pub enum Reader<'c> {
    Conn(&'c mut AnyConnection),
    Store(&'c Store),
    /// The store, through a pooled connection even where a direct read could go: for a read
    /// that may take long enough to hold up the other requests on this thread.
    Pool(&'c Store),
}

impl<'c> From<&'c mut AnyConnection> for Reader<'c> {
    fn from(conn: &'c mut AnyConnection) -> Self {
        Reader::Conn(conn)
    }
}

impl<'c> From<&'c mut sqlx::pool::PoolConnection<sqlx::Any>> for Reader<'c> {
    fn from(conn: &'c mut sqlx::pool::PoolConnection<sqlx::Any>) -> Self {
        Reader::Conn(conn)
    }
}

impl<'c> From<&'c mut crate::Transaction> for Reader<'c> {
    fn from(tx: &'c mut crate::Transaction) -> Self {
        Reader::Conn(tx)
    }
}

impl<'c> From<&'c Store> for Reader<'c> {
    fn from(store: &'c Store) -> Self {
        Reader::Store(store)
    }
}

impl<'c> Reader<'c> {
    /// This reader, but never on the caller's thread (see [`Reader::Pool`]).
    pub(crate) fn off_thread(self) -> Reader<'c> {
        match self {
            Reader::Store(store) => Reader::Pool(store),
            other => other,
        }
    }

    /// The rows of `sql`, whose parameters `$1`, `$2`, ... are `params` in order.
    pub(crate) async fn rows<R: Row>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<R>, StoreError> {
        match self {
            Reader::Conn(conn) => pooled(conn, sql, params).await,
            Reader::Store(store) => {
                let direct = try_read(store, |conn| {
                    // By name: SQLite numbers parameters in the order they appear.
                    let names: Vec<String> = (1..=params.len()).map(|n| format!("${n}")).collect();
                    let bound: Vec<(&str, &dyn rusqlite::ToSql)> = names
                        .iter()
                        .zip(params)
                        .map(|(name, param)| (name.as_str(), param as &dyn rusqlite::ToSql))
                        .collect();
                    conn.prepare_cached(sql)?
                        .query_map(&bound[..], R::read)?
                        .collect()
                });
                if let Some(read) = direct {
                    return read;
                }
                let mut conn = store.pool().acquire().await?;
                pooled(&mut conn, sql, params).await
            }
            Reader::Pool(store) => {
                let mut conn = store.pool().acquire().await?;
                pooled(&mut conn, sql, params).await
            }
        }
    }
}

async fn pooled<R: Row>(
    conn: &mut AnyConnection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Vec<R>, StoreError> {
    let mut query = sqlx::query_as::<_, R>(sql);
    for param in params {
        query = match *param {
            Param::Int(n) => query.bind(n),
            Param::Text(text) => query.bind(text),
        };
    }
    Ok(query.fetch_all(conn).await?)
}

/// A row type read the same way from sqlx's `Any` rows and from [`DirectReader`]'s: one list
/// of fields, in the order the query selects them, so the two cannot drift apart.
macro_rules! row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($(#[$fmeta:meta])* $fvis:vis $field:ident: $ty:ty,)* }
    ) => {
        $(#[$meta])*
        #[derive(sqlx::FromRow)]
        $vis struct $name { $($(#[$fmeta])* $fvis $field: $ty,)* }

        impl $name {
            /// Reads the row from `row`, starting at column `start`; the columns must carry
            /// the fields' names, in order.
            #[allow(unused_assignments)]
            fn read_direct(row: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<Self> {
                let mut column = start;
                $(
                    let $field = $crate::direct::column(row, column, stringify!($field))?;
                    column += 1;
                )*
                Ok($name { $($field,)* })
            }

            /// How many columns [`Self::read_direct`] reads.
            #[allow(dead_code)]
            const COLUMNS: usize = [$(stringify!($field)),*].len();
        }

        impl $crate::direct::Row for $name {
            fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Self::read_direct(row, 0)
            }
        }
    };
}
pub(crate) use row;

/// Column `index` of `row`, checked to be the one called `name`: a query whose columns moved
/// fails loudly instead of filling one field with another's value.
pub(crate) fn column<T: rusqlite::types::FromSql>(
    row: &rusqlite::Row<'_>,
    index: usize,
    name: &str,
) -> rusqlite::Result<T> {
    match row.as_ref().column_name(index) {
        Ok(found) if found == name => row.get(index),
        _ => Err(rusqlite::Error::InvalidColumnName(name.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// A WAL database with one row, a reader on it, the file's path and the guard that
    /// removes its folder.
    fn reader() -> (DirectReader, PathBuf, crate::testing::TestDb) {
        let (dir, guard) = crate::testing::temp_dir();
        let path = dir.join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (a INTEGER, b TEXT); \
             INSERT INTO t VALUES (1, 'satu');",
        )
        .unwrap();
        let reader = DirectReader::open(&path).unwrap().expect("a WAL file");
        (reader, path, guard)
    }

    #[test]
    fn no_reader_for_a_file_outside_wal_mode() {
        let (dir, _guard) = crate::testing::temp_dir();
        let path = dir.join("rollback.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (a INTEGER)")
            .unwrap();
        assert!(DirectReader::open(&path).unwrap().is_none());
    }

    #[test]
    fn a_lock_it_cannot_get_is_reported_as_busy_not_waited_out() {
        let (reader, path, _guard) = reader();
        // Another process holding the file exclusively (WAL's shared memory is not used then);
        // it can take the file only while the reader has no connection open.
        reader.idle.lock().unwrap().clear();
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .unwrap();
        let started = std::time::Instant::now();
        let read = reader.read(|c| c.query_row("SELECT a FROM t", [], |row| row.get::<_, i64>(0)));
        let error = read.expect_err("the file is locked");
        assert!(busy(&error), "{error:?}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "gave up after {BUSY_WAIT:?}"
        );
        holder.execute_batch("COMMIT").unwrap();
    }

    #[test]
    fn after_close_no_connection_is_kept() {
        let (reader, _path, _guard) = reader();
        reader.close();
        let one: i64 = reader
            .read(|c| c.query_row("SELECT a FROM t", [], |row| row.get(0)))
            .unwrap();
        assert_eq!(one, 1);
        assert!(reader.idle.lock().unwrap().is_empty());
    }

    #[test]
    fn reads_but_refuses_to_write() {
        let (reader, _path, _guard) = reader();
        let b: String = reader
            .read(|c| c.query_row("SELECT b FROM t WHERE a = ?1", [1], |row| row.get(0)))
            .unwrap();
        assert_eq!(b, "satu");
        let write = reader.read(|c| c.execute("INSERT INTO t VALUES (2, 'dua')", []));
        assert!(write.is_err(), "writes belong on the pool: {write:?}");
        let count: i64 = reader
            .read(|c| c.query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0)))
            .unwrap();
        assert_eq!(count, 1);
    }

    #[test]
    fn a_column_out_of_place_is_an_error_not_a_wrong_value() {
        let (reader, _path, _guard) = reader();
        let swapped = reader
            .read(|c| c.query_row("SELECT b, a FROM t", [], |row| column::<i64>(row, 0, "a")));
        assert!(
            matches!(
                swapped,
                Err(StoreError::Direct(rusqlite::Error::InvalidColumnName(ref name))) if name == "a"
            ),
            "{swapped:?}"
        );
        let right: i64 = reader
            .read(|c| c.query_row("SELECT b, a FROM t", [], |row| column(row, 1, "a")))
            .unwrap();
        assert_eq!(right, 1);
    }
}
