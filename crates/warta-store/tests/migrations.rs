//! Migrations that rewrite tables keep what the tables held.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::{borrow::Cow, path::Path};

use sqlx::{Connection as _, SqliteConnection, migrate::Migrator};
use warta_store::{Store, articles, testing};

/// Migration 0021 moves the bodies to the end of the article's row. It may not lose a body,
/// and it may not fire the `ON DELETE CASCADE` of the tables that hang off articles (which
/// rebuilding the table with DROP TABLE would have done).
#[tokio::test]
async fn moving_the_bodies_last_keeps_articles_and_what_hangs_off_them() {
    let db = testing::sqlite();
    let body = "Paragraf panjang tentang banjir di Kalimantan. ".repeat(200);
    {
        let mut conn = SqliteConnection::connect(&format!("{}?mode=rwc", db.url))
            .await
            .unwrap();
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut conn)
            .await
            .unwrap();
        let mut before = Migrator::new(Path::new("migrations/sqlite")).await.unwrap();
        let upto = before
            .migrations
            .iter()
            .position(|m| m.version == 21)
            .expect("migration 21");
        before.migrations = Cow::Owned(before.migrations[..upto].to_vec());
        before.run(&mut conn).await.unwrap();
        sqlx::raw_sql(&format!(
            "INSERT INTO sections (id, slug, name) VALUES (1, 'nasional', 'Nasional');
             INSERT INTO tags (id, slug, name) VALUES (1, 'banjir', 'Banjir');
             INSERT INTO articles (id, slug, headline, headline_key, summary, body_markdown,
                 body_html, status, published_at, zone, section_id, created_at, modified_at)
             VALUES (7, 'banjir-kalimantan', 'Banjir Kalimantan', 'banjir kalimantan',
                 'Ringkas.', '{body}', '<p>{body}</p>', 'published', 1700000000,
                 'Asia/Jakarta', 1, 1700000000, 1700000000);
             INSERT INTO article_tags (article_id, tag_id, position) VALUES (7, 1, 0);
             INSERT INTO old_slugs (slug, article_id) VALUES ('banjir-lama', 7);"
        ))
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }

    let store = Store::open(&db.url).await.expect("migrates");
    let mut conn = store.pool().acquire().await.unwrap();
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('articles')")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        columns[columns.len() - 2..],
        ["body_markdown", "body_html"],
        "{columns:?}"
    );
    let article = articles::any_by_id(&mut conn, 7)
        .await
        .unwrap()
        .expect("the article");
    assert_eq!(article.body_markdown, body);
    assert_eq!(article.body_html, format!("<p>{body}</p>"));
    assert_eq!(article.tags.len(), 1, "the tag survives");
    let old: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM old_slugs WHERE article_id = 7")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(old, 1, "the old slug survives");
    drop(conn);
    store.close().await;
}
