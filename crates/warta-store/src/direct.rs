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
//! blocks the async worker it runs on for the query's few microseconds: under WAL a reader
//! does not wait for the writer (only the busy timeout's rare case of a WAL being recovered).

use std::{
    path::{Path, PathBuf},
    sync::{Mutex, PoisonError},
    time::Duration,
};

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// Idle connections kept for reuse; more are opened under load and closed afterwards.
const KEEP_IDLE: usize = 8;

/// Read-only connections to the store's SQLite file, used on the caller's thread.
#[derive(Debug)]
pub struct DirectReader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl DirectReader {
    /// A reader for the database file at `path`; fails if it cannot be read.
    pub(crate) fn open(path: &Path) -> Result<DirectReader, StoreError> {
        let reader = DirectReader {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
        };
        let first = reader.connect()?;
        reader.put_back(first);
        Ok(reader)
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            // No SQLite mutex: a connection is only ever used by one thread at a time.
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Refuses writes (they belong in the pool's transactions); waits out a checkpoint.
        conn.pragma_update(None, "query_only", true)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        Ok(conn)
    }

    fn put_back(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < KEEP_IDLE {
            idle.push(conn);
        }
    }

    /// Closes the idle connections, so that closing the store lets SQLite checkpoint.
    pub(crate) fn close(&self) {
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

/// A row type read the same way from sqlx's `Any` rows and from [`DirectReader`]'s: one list
/// of fields, in the order the query selects them, so the two cannot drift apart.
macro_rules! row {
    ($(#[$meta:meta])* struct $name:ident { $($field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(sqlx::FromRow)]
        struct $name { $($field: $ty,)* }

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
            const COLUMNS: usize = [$(stringify!($field)),*].len();
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

    /// A WAL database with one row, and a reader on it (the guard removes the folder).
    fn reader() -> (DirectReader, crate::testing::TestDb) {
        let (dir, guard) = crate::testing::temp_dir();
        let path = dir.join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (a INTEGER, b TEXT); \
             INSERT INTO t VALUES (1, 'satu');",
        )
        .unwrap();
        (DirectReader::open(&path).unwrap(), guard)
    }

    #[test]
    fn reads_but_refuses_to_write() {
        let (reader, _guard) = reader();
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
        let (reader, _guard) = reader();
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
