//! Opening the database: pools, per-engine settings and migrations.

use std::{str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
};

use crate::{DirectReader, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine behind a connection, for the few statements each engine words its own way.
    pub fn of(conn: &sqlx::AnyConnection) -> Engine {
        if conn.backend_name() == "PostgreSQL" {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

/// The database behind the site: a pool plus the engine it talks to, and on an SQLite file
/// the reader that runs the hottest reads on the caller's thread.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    direct: Option<Arc<DirectReader>>,
}

impl Store {
    /// Connects to `url` (`sqlite://path` creates the file; `postgres://...`) and brings the
    /// schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let url = match engine {
            Engine::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let file =
            (engine == Engine::Sqlite && !url.contains(":memory:") && !url.contains("mode=memory"))
                .then(|| sqlx::sqlite::SqliteConnectOptions::from_str(&url))
                .transpose()?
                .map(|options| options.get_filename().to_owned());
        // sqlx locks migrations on PostgreSQL (an advisory lock) but not on SQLite, so two
        // processes starting together on a new file (two nodes, or a server and an import)
        // both ran the first migration and one stopped with "table ... already exists"; the
        // one switching the new file to WAL could also find it locked. On an SQLite file,
        // connecting and migrating therefore happen under a lock on a file beside the
        // database, and whoever waited finds the work done.
        let _opening = match &file {
            Some(file) => lock_file(opening_lock_path(file)).await?,
            None => None,
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(match engine {
                // SQLite allows one writer; readers scale with cores. Each connection has
                // a thread of its own: two per core kept the uncached article page's
                // throughput of eight on two cores and left 8 MB less resident after load.
                Engine::Sqlite => std::thread::available_parallelism()
                    .map_or(4, |cores| 2 * cores.get() as u32)
                    .clamp(4, 16),
                Engine::Postgres => 16,
            });
        let pool = match engine {
            Engine::Sqlite => {
                pool_options
                    // A connection to a local file cannot go stale; pinging it on every
                    // acquire would double the hops to its worker thread for each query.
                    .test_before_acquire(false)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers run beside the writer; FULL sync makes every
                            // acknowledged commit survive a crash of the process or the OS.
                            // The busy timeout comes first: switching a new file to WAL needs
                            // a lock that another process starting beside this one may hold.
                            conn.execute(
                                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                                 PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                            )
                            .await?;
                            conn.execute(format!("PRAGMA mmap_size = {MMAP_SIZE}").as_str())
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Engine::Postgres => pool_options.connect_with(options).await?,
        };
        let mut store = Store {
            pool,
            engine,
            direct: None,
        };
        store.migrate().await?;
        if let Some(file) = &file {
            store.direct = DirectReader::open(file)?.map(Arc::new);
        }
        Ok(store)
    }

    /// Brings the schema up to date (on an SQLite file, under the opening lock: see `open`).
    async fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&mut *conn).await?,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&mut *conn).await?,
        }
        Ok(())
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction for writes. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that reads and then writes fails with SQLITE_BUSY, without
    /// waiting, when another connection committed in between, and background writers (view
    /// counts, channel deliveries, the mail queue) commit all the time.
    pub async fn begin(&self) -> Result<crate::Transaction, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// Reads on the caller's thread, when the store is an SQLite file (see [`DirectReader`]).
    pub fn direct(&self) -> Option<&DirectReader> {
        self.direct.as_deref()
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Closes every connection; SQLite checkpoints its WAL on the last close.
    pub async fn close(&self) {
        if let Some(direct) = &self.direct {
            direct.close();
        }
        self.pool.close().await;
    }
}

/// How much of an SQLite file each connection reads through a memory map rather than its own
/// page cache (2 MB unless told). A tag's page on 30,000 articles reads a few hundred rows
/// scattered over the file; each connection's small cache missed and copied them in with a
/// read call each: 0.84 ms against 0.20 ms mapped. The map shares the operating system's
/// cache among all connections and processes and costs memory only for what is read.
pub(crate) const MMAP_SIZE: i64 = 1 << 30;

/// `warta.db` -> `warta.db-open-lock`, beside SQLite's own `-wal` and `-shm` files.
fn opening_lock_path(database: &std::path::Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-open-lock");
    std::path::PathBuf::from(name)
}

/// An exclusive advisory lock on `path` (created if missing), held until the file is dropped.
/// Waits on a blocking thread: another process holds it while it connects and migrates.
///
/// A lock file someone else created (a command run as root on the service's data dir) is
/// locked through a read-only handle, which `flock` allows; on a file system without locks
/// the store opens unlocked, as it did before the lock existed, with a warning.
async fn lock_file(path: std::path::PathBuf) -> Result<Option<std::fs::File>, StoreError> {
    use std::io::ErrorKind;
    let failed = |message: String| StoreError::Lock {
        path: path.display().to_string(),
        message,
    };
    let opened = path.clone();
    tokio::task::spawn_blocking(move || {
        let file = match std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&opened)
        {
            Err(error) if error.kind() == ErrorKind::PermissionDenied => {
                std::fs::File::open(&opened)?
            }
            other => other?,
        };
        match file.lock() {
            Ok(()) => Ok(Some(file)),
            Err(error) if error.kind() == ErrorKind::Unsupported => {
                tracing::warn!(path = %opened.display(), %error, "no file lock here; opening unlocked");
                Ok(None)
            }
            Err(error) => Err(error),
        }
    })
    .await
    .map_err(|e| failed(e.to_string()))?
    .map_err(|e| failed(e.to_string()))
}
