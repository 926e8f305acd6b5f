//! Feeds, sitemaps and robots.txt over HTTP, checked by real consumers: Python's feedparser
//! reads every feed without complaint (`scripts/check-feeds.py`), the sitemaps follow the
//! sitemap and Google News formats, and feeds answer conditional requests with 304.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::process::Command;

use common::{Engine, Site, client};

fn check_feeds_script() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check-feeds.py")
}

/// Whether Python's feedparser is importable; in CI it must be (scripts/test-all installs it).
fn feedparser_available() -> bool {
    let found = ["python3", "/usr/bin/python3"].iter().any(|python| {
        Command::new(python)
            .args(["-c", "import feedparser"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !found && std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("python3-feedparser is required in CI");
    }
    if !found {
        eprintln!("skipping: python3-feedparser is not installed");
    }
    found
}

fn run_checker(args: &[String]) {
    let out = Command::new("python3")
        .arg(check_feeds_script())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn feeds_and_sitemaps_pass_their_consumers() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    // A story from an hour ago, so the Google News sitemap has something to list.
    let fresh = site.data_dir.join("fresh.json");
    let an_hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    std::fs::write(
        &fresh,
        serde_json::json!({"items": [{
            "headline": "Gempa Kecil Guncang Ternate <Tanpa> Kerusakan & Korban",
            "published_at": an_hour_ago,
            "body_markdown": "Gempa bermagnitudo 4,1 terasa singkat.",
            "authors": [{"name": "Ani Lestari"}],
            "section": "Regional",
            "tags": ["Gempa"]
        }]})
        .to_string(),
    )
    .unwrap();
    assert!(site.import(&[&fresh]).status.success());
    let server = site.serve(&["--demo"]);

    let (status, robots) = server.text("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Disallow: /redaksi"));
    assert!(robots.contains("Sitemap: http://warta.test/sitemap.xml"));

    let (_, rss) = server.text("/rss.xml").await;
    assert!(
        rss.contains(
            "<title>Gempa Kecil Guncang Ternate &#60;Tanpa&#62; Kerusakan &#38; Korban</title>"
        ),
        "escaped"
    );
    assert!(rss.contains("<dc:creator>Ani Lestari</dc:creator>"));
    // Items are known by the article's id, which a rename (a new address) does not change.
    assert!(
        rss.contains("<guid isPermaLink=\"false\">tag:warta.test,2026:artikel-"),
        "{rss}"
    );
    assert!(rss.contains("<category>Gempa</category>"));
    let (_, news) = server.text("/sitemap/berita.xml").await;
    assert!(
        news.contains("<news:title>Gempa Kecil Guncang Ternate"),
        "{news}"
    );
    assert_eq!(news.matches("<url>").count(), 1, "only the last 48 hours");
    assert_eq!(server.text("/sitemap/artikel-2.xml").await.0, 404);

    // The index dates each file by its last change, not by the moment it was asked for.
    let lastmods = |xml: &str| -> Vec<String> {
        xml.split("<lastmod>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</lastmod>").map(|(at, _)| at.to_owned()))
            .collect()
    };
    let (_, index) = server.text("/sitemap.xml").await;
    let (_, file) = server.text("/sitemap/artikel-1.xml").await;
    let newest_in_file = lastmods(&file).into_iter().max().unwrap();
    assert!(
        index.contains(&format!(
            "<loc>http://warta.test/sitemap/artikel-1.xml</loc><lastmod>{newest_in_file}</lastmod>"
        )),
        "{index}"
    );
    let (_, kanal) = server.text("/sitemap/kanal.xml").await;
    let news_published: Vec<String> = news
        .split("<news:publication_date>")
        .skip(1)
        .filter_map(|rest| rest.split_once('<').map(|(at, _)| at.to_owned()))
        .collect();
    assert_eq!(
        lastmods(&kanal)[0],
        news_published[0],
        "the home page changed when the newest article came out"
    );
    assert_eq!(server.text("/kanal/tidak-ada/rss.xml").await.0, 404);

    // Atom wants an author for entries without bylines: the site is the feed's.
    let (_, atom) = server.text("/atom.xml").await;
    let head = atom.split("<entry>").next().unwrap();
    assert!(head.contains("<author><name>"), "{head}");

    // Conditional requests: the ETag or Last-Modified (when it was rendered) of the last
    // response gives a 304.
    let http = client();
    let first = http.get(server.url("/rss.xml")).send().await.unwrap();
    assert_eq!(
        first.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    let etag = first.headers()["etag"].clone();
    let modified = first.headers()["last-modified"].clone();
    let again = http
        .get(server.url("/rss.xml"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["vary"], "Accept-Encoding");
    let modified_then = modified.clone();
    let again = http
        .get(server.url("/rss.xml"))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let stale = http
        .get(server.url("/rss.xml"))
        .header("if-modified-since", "Mon, 01 Jan 2024 00:00:00 GMT")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
    // An article dated before the newest, imported while the server runs, changes the feed:
    // a client's date from before the change gets the new feed, not a 304.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, newest) = server.json("/api/v1/articles?limit=1").await;
    let before =
        chrono::DateTime::parse_from_rfc3339(newest["items"][0]["published_at"].as_str().unwrap())
            .unwrap()
            - chrono::Duration::hours(1);
    let older = site.data_dir.join("older.json");
    std::fs::write(
        &older,
        serde_json::json!({"items": [{
            "headline": "Dermaga Baru Ternate Mulai Dipakai",
            "published_at": before.to_rfc3339(),
            "body_markdown": "Kapal pertama bersandar pagi ini.",
            "section": "Regional"
        }]})
        .to_string(),
    )
    .unwrap();
    assert!(site.import(&[&older]).status.success());
    let mut changed = String::new();
    for _ in 0..50 {
        changed = server.text("/rss.xml").await.1;
        if changed.contains("Dermaga Baru Ternate") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(changed.contains("Dermaga Baru Ternate"), "{changed}");
    let after = http
        .get(server.url("/rss.xml"))
        .header("if-modified-since", modified_then)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200, "the feed changed since");

    if !feedparser_available() {
        return;
    }
    let mut feeds = Vec::new();
    for scope in ["", "/kanal/regional", "/tag/gempa", "/penulis/ani-lestari"] {
        for file in ["rss.xml", "atom.xml"] {
            feeds.push(server.url(&format!("{scope}/{file}")));
        }
    }
    run_checker(&feeds);
    let mut sitemaps = vec!["--sitemap".to_owned()];
    for path in [
        "/sitemap.xml",
        "/sitemap/artikel-1.xml",
        "/sitemap/kanal.xml",
        "/sitemap/berita.xml",
    ] {
        sitemaps.push(server.url(path));
    }
    run_checker(&sitemaps);
}
