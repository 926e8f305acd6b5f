//! Opening one new SQLite file from two stores at once, as two nodes (or a server and an
//! import) starting together do.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use warta_store::{Store, testing};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_stores_open_a_new_file_together() {
    // Without the migration lock both ran the first migration and one failed ("table ...
    // already exists") in about half of such starts.
    for _ in 0..10 {
        let db = testing::sqlite();
        let (first, second) = tokio::join!(Store::open(&db.url), Store::open(&db.url));
        let (first, second) = (first.expect("first store"), second.expect("second store"));
        let mut conn = first.pool().acquire().await.unwrap();
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert!(applied > 0);
        drop(conn);
        first.close().await;
        second.close().await;
    }
}
