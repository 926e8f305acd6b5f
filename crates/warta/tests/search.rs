//! Search over HTTP on the demo newsroom: Indonesian word forms find each other on the page and
//! in the API, bad queries get a message (never a 500), a published article is findable within
//! a second and gone once unpublished, and article pages suggest related reading.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::time::{Duration, Instant};

use common::{Engine, Server, Site, add_users, attrs, signed_in, texts};

/// Waits until the index answers `q` with at least `want` results.
async fn wait_for(server: &Server, q: &str, want: u64) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let (status, json) = server.json(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(status, 200, "{json}");
        if json["total"].as_u64().unwrap() >= want || started.elapsed() > Duration::from_secs(20) {
            return json;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn searching(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    let server = site.serve(&["--demo"]);
    wait_for(&server, "futsal", 1).await;

    // Word forms: the stem joins them.
    let json = wait_for(&server, "mengungsi", 1).await;
    let headlines: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["headline_html"].as_str().unwrap())
        .collect();
    assert!(
        headlines
            .iter()
            .any(|h| h.contains("<mark>Pengungsi</mark>")),
        "mengungsi finds pengungsi: {headlines:?}"
    );
    let (_, json) = server.json("/api/v1/search?q=membangun").await;
    assert!(
        json["total"].as_u64().unwrap() >= 5,
        "membangun finds pembangunan: {json}"
    );

    // The page: highlighted results, a count, filters and newest-first.
    let (status, html) = server
        .text("/cari?q=banjir&kanal=regional&urut=terbaru")
        .await;
    assert_eq!(status, 200);
    let count = texts(&html, ".search-count").remove(0);
    assert!(count.ends_with("hasil"), "{count}");
    let times = attrs(&html, ".results time", "datetime");
    assert!(!times.is_empty());
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    assert!(
        texts(&html, ".results .kicker")
            .iter()
            .all(|k| k == "Regional"),
        "section filter"
    );
    assert!(html.contains("<mark>"));

    // The author filter, from the form's list of bylines.
    let (_, flood) = server.json("/api/v1/search?q=banjir&limit=1").await;
    let url = flood["items"][0]["url"].as_str().unwrap().to_owned();
    let (_, article) = server
        .json(&format!(
            "/api/v1/articles/{}",
            url.rsplit('/').next().unwrap()
        ))
        .await;
    let author = article["authors"][0]["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let (_, html) = server
        .text(&format!("/cari?q=banjir&penulis={author}"))
        .await;
    assert_eq!(
        attrs(&html, "#s-penulis option[selected]", "value"),
        std::slice::from_ref(&author)
    );
    assert!(!texts(&html, ".results li").is_empty());
    let (_, json) = server
        .json(&format!("/api/v1/search?q=banjir&author={author}"))
        .await;
    assert!(json["total"].as_u64().unwrap() >= 1, "{json}");
    let (_, html) = server.text("/cari?q=banjir&penulis=tidak-ada").await;
    assert_eq!(texts(&html, ".search-count"), ["0 hasil"]);

    // Did you mean, and answers to odd queries.
    let (status, html) = server.text("/cari?q=pengungsii%20banjr").await;
    assert_eq!(status, 200);
    assert_eq!(texts(&html, ".did-you-mean a"), ["pengungsi banjir"]);
    // The suggestion keeps what the reader typed around the word, and the filters.
    let (_, html) = server
        .text("/cari?q=%22pengungsii%20banjr%22%20-gempa&urut=terbaru")
        .await;
    assert_eq!(
        texts(&html, ".did-you-mean a"),
        ["\"pengungsi banjir\" -gempa"]
    );
    assert_eq!(
        attrs(&html, ".did-you-mean a", "href"),
        ["/cari?q=%22pengungsi%20banjir%22%20%2Dgempa&urut=terbaru"]
    );
    let long = "a".repeat(201);
    for (query, message) in [
        ("%22kerja%20sama", "Tanda kutip tidak berpasangan"),
        (long.as_str(), "paling banyak 200 karakter"),
        ("yang%20dan%20di", "kata umum"),
    ] {
        let (status, html) = server.text(&format!("/cari?q={query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            texts(&html, ".form-error").join(" ").contains(message),
            "{query}"
        );
        let (status, json) = server.json(&format!("/api/v1/search?q={query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            json["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("parameter \"q\"")
        );
    }
    for odd in ["%28%28%28", "%3A%3A%2A%2A", "AND%20OR", "-", "%5B%7B%5E~"] {
        let (status, _) = server.text(&format!("/cari?q={odd}")).await;
        assert!(status == 200 || status == 400, "{odd}: {status}");
    }
    let (status, html) = server.text("/cari").await;
    assert_eq!(status, 200, "the empty form");
    assert_eq!(texts(&html, "h1"), ["Cari berita"]);
    assert_eq!(attrs(&html, "meta[name=description]", "content").len(), 0);
    let (_, html) = server.text("/cari?q=banjir").await;
    assert_eq!(texts(&html, "h1"), ["Hasil pencarian “banjir”"]);
    assert!(texts(&html, "title")[0].starts_with("Hasil pencarian “banjir” - "));
    // Past the last page: not found, like every list, not a count over "no results".
    assert_eq!(server.text("/cari?q=banjir&page=50").await.0, 404);
    // Queries as readers type them: a reduplicated word finds its root, a dash standing alone
    // is punctuation, "AND NOT" is NOT, a dangling operator is ignored.
    let total = |q: &'static str| {
        let server = &server;
        async move {
            let (_, found) = server.json(&format!("/api/v1/search?q={q}")).await;
            found["total"].as_u64().unwrap()
        }
    };
    let desa = total("desa").await;
    assert!(desa > 0);
    assert_eq!(total("desa-desa").await, desa);
    assert_eq!(total("desa%20-").await, desa);
    assert_eq!(total("desa%20AND").await, desa);
    assert_eq!(
        total("banjir%20AND%20NOT%20banjarmasin").await,
        total("banjir%20NOT%20banjarmasin").await
    );
    assert!(total("banjir%20NOT%20banjarmasin").await > 0);
    // The next page keeps the search and its filters.
    let (_, found) = server.json("/api/v1/search?q=desa").await;
    assert!(found["total"].as_u64().unwrap() > 10, "{found}");
    let (_, html) = server.text("/cari?q=desa&urut=terbaru").await;
    let next = attrs(&html, "a[rel=next]", "href").remove(0);
    assert_eq!(next, "/cari?q=desa&urut=terbaru&page=2");
    let (status, html) = server.text(&next).await;
    assert_eq!(status, 200);
    assert!(
        !texts(&html, ".results h2, .results h3").is_empty(),
        "{html}"
    );
    // A wrong filter is explained in the site's language.
    let (status, html) = server.text("/cari?q=banjir&urut=x").await;
    assert_eq!(status, 400);
    assert!(
        texts(&html, "main p")
            .iter()
            .any(|p| p.contains("harus \"terbaru\" atau \"relevansi\"")),
        "{html}"
    );
    let (status, json) = server
        .json("/api/v1/search?q=banjir&dari=kemarin&from=kemarin")
        .await;
    assert_eq!(status, 400, "{json}");

    // Paging: two pages of one, different articles.
    let (_, first) = server.json("/api/v1/search?q=banjir&limit=1").await;
    let (_, second) = server.json("/api/v1/search?q=banjir&limit=1&page=2").await;
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);

    // Publishing makes an article findable within a second; unpublishing removes it.
    let editor = signed_in(&server, "editor").await;
    let token = common::csrf(&editor, &server, "/redaksi/tulis").await;
    let response = editor
        .post(server.url("/redaksi/tulis"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "publish"),
            ("headline", "Zebrafish Ditemukan di Sungai Kapuas"),
            (
                "body",
                "Peneliti menemukan zebrafish di hulu Sungai Kapuas.",
            ),
            ("zone", "WIB"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let edit = response.headers()["location"].to_str().unwrap().to_owned();
    let started = Instant::now();
    let json = wait_for(&server, "zebrafish", 1).await;
    assert_eq!(json["total"], 1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let token = common::csrf(&editor, &server, &edit).await;
    let html = editor
        .get(server.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let version = attrs(&html, "input[name=version]", "value").remove(0);
    let response = editor
        .post(server.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("version", version.as_str()),
            ("action", "unpublish"),
            ("headline", "Zebrafish Ditemukan di Sungai Kapuas"),
            (
                "body",
                "Peneliti menemukan zebrafish di hulu Sungai Kapuas.",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let started = Instant::now();
    loop {
        let (_, json) = server.json("/api/v1/search?q=zebrafish").await;
        if json["total"] == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still found after unpublishing"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Related reading under an article: other stories, not the article itself, not its own links.
    let (_, home) = server.text("/").await;
    let flood = attrs(
        &home,
        "a[href^='/read/'][href*='banjir-kalimantan-terkini']",
        "href",
    )
    .remove(0);
    let (_, page) = server.text(&flood).await;
    let suggested = attrs(&page, ".read-also a", "href");
    assert!(
        !suggested.is_empty() && suggested.len() <= 4,
        "{suggested:?}"
    );
    assert!(!suggested.contains(&flood));
    let inline = attrs(&page, ".baca-juga a", "href");
    assert!(
        suggested.iter().all(|s| !inline.contains(s)),
        "no repeats of inline links"
    );
    assert!(
        suggested.iter().filter(|s| s.contains("banjir")).count() >= 1,
        "the same story comes first: {suggested:?}"
    );

    // The editor suggests "Baca juga" lines from the same index.
    let slug = flood.rsplit('/').next().unwrap();
    let (_, json) = server.json(&format!("/api/v1/articles/{slug}")).await;
    let html = editor
        .get(server.url(&format!("/redaksi/artikel/{}", json["id"])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines = texts(&html, "[data-suggestions] code");
    assert!(!lines.is_empty(), "suggestions in the editor");
    assert!(
        lines.iter().all(|l| l.starts_with("Baca juga: ")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn searching_on_sqlite() {
    searching(Engine::Sqlite).await;
}

#[tokio::test]
async fn searching_on_postgres() {
    searching(Engine::Postgres).await;
}

#[test]
fn analyze_prints_each_word_and_its_token() {
    let out = std::process::Command::new(common::BIN)
        .args([
            "analyze",
            "Menguntungkan bagi negara-negara yang bekerja sama",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Menguntungkan -> untung\nbagi -> (stop word)\nnegara -> negara\nnegara -> negara\n\
         yang -> (stop word)\nbekerja -> kerja\nsama -> sama\n"
    );
    let out = std::process::Command::new(common::BIN)
        .args([
            "analyze",
            "--stem-only",
            "mengatakan",
            "menteri",
            "keuntungan",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "kata\nmenteri\nuntung\n"
    );
}
