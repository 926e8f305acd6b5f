//! "Terpopuler" over HTTP: views of article pages by readers (not crawlers, not scripts) are
//! counted in memory, written in batches, and shown as the most read of the last day and week
//! on the home page and on section pages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::time::Duration;

use common::{Engine, Site, texts};

const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";

async fn most_read(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    let mut command = site.command();
    command.env("WARTA_VIEWS_FLUSH_SECONDS", "1");
    let server = site.serve_with(command, &["--demo"]);
    let (_, home) = server.text("/").await;
    assert!(
        texts(&home, "#popular-title").is_empty(),
        "no views, no list"
    );

    let (_, list) = server.json("/api/v1/articles?section=sains&limit=2").await;
    let first = list["items"][0]["url"].as_str().unwrap().to_owned();
    let second = list["items"][1]["url"].as_str().unwrap().to_owned();
    let first_headline = list["items"][0]["headline"].as_str().unwrap().to_owned();
    let second_headline = list["items"][1]["headline"].as_str().unwrap().to_owned();
    let reader = reqwest::Client::builder()
        .user_agent(PHONE)
        .build()
        .unwrap();
    let crawler = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
        .build()
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            reader
                .get(server.url(&first))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    reader.get(server.url(&second)).send().await.unwrap();
    for _ in 0..10 {
        crawler.get(server.url(&second)).send().await.unwrap();
    }
    // A missing article is not a view.
    reader
        .get(server.url("/read/2026/11/20/tidak-ada"))
        .send()
        .await
        .unwrap();

    let mut day = Vec::new();
    for _ in 0..60 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, home) = server.text("/").await;
        day = texts(&home, ".popular-lists > div:first-child li");
        if day.len() >= 2 {
            break;
        }
    }
    assert_eq!(
        day,
        [first_headline.clone(), second_headline.clone()],
        "readers' order"
    );
    let (_, section) = server.text("/kanal/sains").await;
    assert_eq!(
        texts(&section, ".popular h3"),
        ["24 jam terakhir", "7 hari terakhir"]
    );
    assert_eq!(
        texts(&section, ".popular ol li").first(),
        Some(&first_headline)
    );
    let (_, other) = server.text("/kanal/olahraga").await;
    assert!(
        texts(&other, "#popular-title").is_empty(),
        "another section's views stay there"
    );
}

#[tokio::test]
async fn the_most_read_lists_follow_readers_not_crawlers_on_sqlite() {
    most_read(Engine::Sqlite).await;
}

#[tokio::test]
async fn the_most_read_lists_follow_readers_not_crawlers_on_postgres() {
    most_read(Engine::Postgres).await;
}
