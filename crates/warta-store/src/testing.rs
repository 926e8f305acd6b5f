//! Fresh databases for tests: a SQLite file in its own temporary folder, or a PostgreSQL
//! database created for the test and dropped afterwards.
//!
//! PostgreSQL is found at `WARTA_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/postgres`).
//! When it cannot be reached, tests skip with a message on a developer's machine and fail in CI
//! (`CI=true`), so a broken CI service can never pass as green.

#![allow(clippy::expect_used)]

use std::{
    path::PathBuf,
    sync::atomic::{AtomicU32, Ordering},
};

use sqlx::{Connection as _, Executor, PgConnection};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// One test's database; dropping it removes the database.
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name() -> String {
    format!(
        "warta_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_subsec_nanos()
    )
}

/// A temporary folder that is removed with the returned guard.
pub fn temp_dir() -> (PathBuf, TestDb) {
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).expect("create a temporary folder");
    let guard = TestDb {
        url: String::new(),
        cleanup: Cleanup::Dir(dir.clone()),
    };
    (dir, guard)
}

/// A new, empty SQLite database file.
pub fn sqlite() -> TestDb {
    let (dir, mut guard) = temp_dir();
    guard.url = format!("sqlite://{}", dir.join("warta.db").display());
    guard
}

/// The PostgreSQL server tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("WARTA_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A new, empty PostgreSQL database, or `None` (with a message) when no server answers outside CI.
pub async fn postgres() -> Option<TestDb> {
    let admin_url = postgres_admin_url();
    let mut admin = match PgConnection::connect(&admin_url).await {
        Ok(conn) => conn,
        Err(error) => {
            if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                panic!("PostgreSQL at {admin_url} is required in CI: {error}");
            }
            eprintln!("SKIPPED: PostgreSQL test, no server at {admin_url}: {error}");
            return None;
        }
    };
    let name = unique_name();
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    Some(TestDb {
        url: format!("{base}/{name}"),
        cleanup: Cleanup::Postgres { admin_url, name },
    })
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; a thread with its own runtime can block.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(runtime) = runtime {
                        runtime.block_on(async {
                            if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                                let _ = admin.execute(sql.as_str()).await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// SQLite's plan for `sql` on `conn`, its steps joined by "; ", for tests that pin a query to
/// its index. Parameters are left unbound (NULL): the plan does not depend on them.
pub fn query_plan(conn: &rusqlite::Connection, sql: &str) -> String {
    let explain = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"));
    let mut explain = explain.unwrap_or_else(|error| panic!("{error}: {sql}"));
    let mut rows = explain.raw_query();
    let mut steps = Vec::new();
    while let Ok(Some(row)) = rows.next() {
        steps.push(row.get::<_, String>(3).unwrap_or_default());
    }
    steps.join("; ")
}

/// A confirmed reader, Ani (ani@contoh.id), created at `now`: the account the store's tests of
/// sessions, comments and the sweep start from. Her id.
pub async fn reader(conn: &mut sqlx::AnyConnection, now: chrono::DateTime<chrono::Utc>) -> i64 {
    crate::accounts::create(
        conn,
        "Ani",
        "ani@contoh.id",
        "x",
        warta_core::account::Role::Reader,
        true,
        now,
    )
    .await
    .expect("create the reader")
}
