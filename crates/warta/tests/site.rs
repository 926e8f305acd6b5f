//! The demo site over HTTP: every page type, errors, redirects, the cache and compression.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::time::{Duration, Instant};

use common::{Engine, Site, attrs, client, texts};

/// The article page's `<main>`, for snapshots (stable: demo dates and base URL are fixed).
fn main_of(html: &str) -> String {
    let start = html.find("<main").unwrap();
    let end = html.find("</main>").unwrap();
    html[start..end + "</main>".len()].to_owned()
}

#[tokio::test]
async fn demo_site_pages() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);

    // Home: a lead story, the latest, a block per section; one h1; lang=id.
    let (status, home) = server.text("/").await;
    assert_eq!(status, 200);
    assert!(home.starts_with("<!doctype html>\n<html lang=\"id\">"));
    assert_eq!(texts(&home, "h1").len(), 1);
    assert_eq!(texts(&home, "title"), vec!["Lintas Kabar"]);
    assert_eq!(texts(&home, ".lead h3").len(), 1);
    assert_eq!(texts(&home, ".latest .card").len(), 9);
    let sections = texts(&home, ".section-block > h2");
    assert_eq!(
        sections,
        [
            "Ekonomi",
            "Internasional",
            "Nasional",
            "Olahraga",
            "Regional",
            "Sains",
            "Teknologi"
        ]
    );
    assert_eq!(texts(&home, "nav[aria-label] li").len(), 7);

    // Section page, paged.
    let (status, section) = server.text("/kanal/olahraga").await;
    assert_eq!(status, 200);
    assert_eq!(texts(&section, "h1"), vec!["Olahraga"]);
    assert_eq!(texts(&section, ".card").len(), 7);
    assert_eq!(
        attrs(&section, "nav a[aria-current=page]", "href"),
        vec!["/kanal/olahraga"]
    );
    let (status, _) = server.text("/kanal/olahraga?page=2").await;
    assert_eq!(status, 404, "past the last page");

    // Tag and author pages.
    let (status, tag) = server.text("/tag/banjir-kalimantan-terkini").await;
    assert_eq!(status, 200);
    assert_eq!(texts(&tag, ".card").len(), 6);
    let (status, author) = server.text("/penulis/fajar-nugroho").await;
    assert_eq!(status, 200);
    assert!(!texts(&author, ".card").is_empty());
    // Each offers its own feed beside the site's, and the feed is there.
    for (html, feed) in [
        (&section, "/kanal/olahraga/rss.xml"),
        (&tag, "/tag/banjir-kalimantan-terkini/rss.xml"),
        (&author, "/penulis/fajar-nugroho/rss.xml"),
    ] {
        let offered = attrs(html, "link[rel=alternate]", "href");
        assert!(offered.iter().any(|href| href == feed), "{offered:?}");
        assert_eq!(server.text(feed).await.0, 200, "{feed}");
    }

    // An article with resolved and unresolved "Baca juga" references.
    let (_, list) = server.json("/api/v1/articles?limit=100").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 38);
    assert_eq!(list["next"], serde_json::Value::Null);
    let unresolved = items
        .iter()
        .find(|a| {
            a["related"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["url"].is_null())
        })
        .expect("the demo has an unresolved reference");
    let (status, page) = server.text(unresolved["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let related = texts(&page, ".baca-juga");
    let linked = texts(&page, ".baca-juga a");
    assert!(
        related.len() > linked.len(),
        "unresolved references show as text"
    );

    // Every linked reference leads to a page.
    for href in attrs(&page, ".baca-juga a", "href") {
        assert_eq!(server.text(&href).await.0, 200, "{href}");
    }
    // Share links carry the canonical URL.
    let canonical = attrs(&page, "link[rel=canonical]", "href").remove(0);
    let encoded = canonical.replace(':', "%3A").replace('/', "%2F");
    for href in attrs(&page, ".share a", "href") {
        assert!(href.contains(&encoded) || href == canonical, "{href}");
    }
}

#[tokio::test]
async fn article_page_snapshot() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);
    server.wait_for_index("futsal").await;
    let (_, list) = server
        .json("/api/v1/articles?tag=piala-asia-futsal-2026&limit=1")
        .await;
    let url = list["items"][0]["url"].as_str().unwrap().to_owned();
    let (_, html) = server.text(&url).await;
    insta::assert_snapshot!("article_main", main_of(&html));
    let (_, html) = server.text("/kanal/sains").await;
    insta::assert_snapshot!("section_main", main_of(&html));
}

#[tokio::test]
async fn errors_are_pages_or_json_never_internals() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);

    let (status, html) = server.text("/read/2026/11/20/tidak-ada").await;
    assert_eq!(status, 404);
    assert_eq!(texts(&html, "h1"), vec!["Halaman tidak ditemukan"]);
    assert_eq!(
        attrs(&html, "meta[name=robots]", "content"),
        vec!["noindex"]
    );
    let (status, _) = server.text("/tidak/ada/sama/sekali").await;
    assert_eq!(status, 404);
    // A trailing slash goes to the address without it, never to another site.
    let http = common::client();
    for (path, to) in [
        ("/kanal/sains/", Some("/kanal/sains")),
        ("/kanal/sains//?page=2", Some("/kanal/sains?page=2")),
        ("//contoh.com/", None),
        ("/%5Ccontoh.com/", Some("/%5Ccontoh.com")),
    ] {
        let response = http.get(server.url(path)).send().await.unwrap();
        match to {
            Some(to) => {
                assert_eq!(response.status(), 308, "{path}");
                assert_eq!(response.headers()["location"], to, "{path}");
            }
            None => assert_eq!(response.status(), 404, "{path}"),
        }
    }

    for bad in [
        "/kanal/sains?page=abc",
        "/kanal/sains?page=0",
        "/kanal/sains?page=100000",
    ] {
        let (status, html) = server.text(bad).await;
        assert_eq!(status, 400, "{bad}");
        // The reader's page speaks the site's language.
        assert!(
            texts(&html, "main p")
                .iter()
                .any(|p| p.contains("harus bilangan bulat dari 1 sampai 1000")),
            "{bad}: {html}"
        );
    }
    // What axum cannot read at all (an id that is not a number) is the site's page too.
    let (status, html) = server.text("/redaksi/artikel/abc").await;
    assert_eq!(status, 400);
    assert!(
        texts(&html, "main p")
            .iter()
            .any(|p| p.contains("tidak dapat dibaca")),
        "{html}"
    );
    // A method a page does not take: the site's page, with what it allows.
    let response = common::client()
        .post(server.url("/cari"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert!(
        response.headers()["allow"]
            .to_str()
            .unwrap()
            .contains("GET")
    );
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "h1").len(), 1, "{html}");
    assert!(
        texts(&html, "main p")
            .iter()
            .any(|p| p.contains("tidak menerima permintaan seperti ini")),
        "{html}"
    );
    // The API answers the same mistake in English.
    let (status, body) = server.json("/api/v1/articles?page=abc").await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "parameter \"page\" must be a whole number from 1 to 1000, got \"abc\""
    );
    let long = format!("/kanal/sains?q={}", "x".repeat(5000));
    assert_eq!(server.text(&long).await.0, 400);

    let (status, body) = server.json("/api/v1/articles/tidak-ada").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["status"], 404);
    let (status, body) = server.json("/api/v1/articles?limit=500").await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"limit\"")
    );
    let (status, body) = server.json("/api/v1/articles?tag=a&section=b").await;
    assert_eq!(status, 400, "{body}");
    // A misspelt filter is an error, not the unfiltered list.
    let (status, body) = server.json("/api/v1/articles?sectoin=sains").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "unknown parameter \"sectoin\"; accepted: section, tag, author, limit, page, cursor"
    );
    let (status, _) = server.json("/api/v1/search?q=banjir&sectoin=sains").await;
    assert_eq!(status, 400);
    // Campaign trackers ask for nothing and are no error.
    let (status, _) = server.json("/api/v1/articles?limit=1&utm_source=nl").await;
    assert_eq!(status, 200);
    // An id written with a leading zero is not that id.
    let (_, first) = server.json("/api/v1/articles?limit=1").await;
    let id = first["items"][0]["id"].as_i64().unwrap();
    assert_eq!(server.json(&format!("/api/v1/articles/{id}")).await.0, 200);
    assert_eq!(server.json(&format!("/api/v1/articles/0{id}")).await.0, 404);
    assert_eq!(server.json("/api/v1/articles/-5").await.0, 400);
    let (status, _) = server.json("/api/v1/articles/Not%20A%20Slug").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn wrong_dates_and_api_paging() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);
    let (_, first) = server.json("/api/v1/articles?limit=5").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 5);
    let next = first["next"].as_str().unwrap().to_owned();
    let (_, second) = server.json(&next).await;
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);
    // No answer is sniffed into something else: JSON, feeds, scripts, errors.
    for path in [
        "/api/v1/articles?limit=1",
        "/rss.xml",
        "/robots.txt",
        "/api/v1/nothing",
    ] {
        let response = client().get(server.url(path)).send().await.unwrap();
        assert_eq!(
            response.headers()["x-content-type-options"],
            "nosniff",
            "{path}"
        );
    }
    let (_, numbered) = server.json("/api/v1/articles?limit=5&page=2").await;
    assert_eq!(
        numbered["items"], second["items"],
        "page 2 is what next gives"
    );

    // Following `next` walks the whole archive, filtered or not, in order, each article once.
    let ids = |page: &serde_json::Value| -> Vec<i64> {
        let items = page["items"].as_array().unwrap();
        items.iter().map(|a| a["id"].as_i64().unwrap()).collect()
    };
    for filter in ["", "&section=nasional"] {
        let (_, all) = server
            .json(&format!("/api/v1/articles?limit=100{filter}"))
            .await;
        assert!(all["next"].is_null());
        let mut walked = Vec::new();
        let mut next = Some(format!("/api/v1/articles?limit=3{filter}"));
        while let Some(url) = next {
            let (status, page) = server.json(&url).await;
            assert_eq!(status, 200, "{url}: {page}");
            walked.extend(ids(&page));
            next = page["next"].as_str().map(str::to_owned);
            if let Some(next) = &next {
                assert!(next.contains("cursor=") && next.contains(filter), "{next}");
            }
        }
        assert!(ids(&all).len() > 3, "more than one page ({filter})");
        assert_eq!(walked, ids(&all), "{filter}");
    }
    for bad in ["cursor=kemarin", "cursor=1_2_3", "cursor=1_2&page=2"] {
        let (status, body) = server.json(&format!("/api/v1/articles?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("cursor")
        );
    }

    let slug = first["items"][0]["slug"].as_str().unwrap();
    let url = first["items"][0]["url"].as_str().unwrap();
    let response = client()
        .get(server.url(&format!("/read/2001/01/01/{slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], url);

    let (_, by_section) = server
        .json("/api/v1/articles?section=sains&limit=100")
        .await;
    assert!(
        by_section["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["section"] == "Sains")
    );
}

#[tokio::test]
async fn cached_pages_are_compressed_and_revalidated() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);
    let http = client();
    let plain = http.get(server.url("/")).send().await.unwrap();
    let etag = plain.headers()["etag"].clone();
    let identity = plain.bytes().await.unwrap();

    let br = http
        .get(server.url("/"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "Accept-Encoding");
    // A strong ETag names one representation: each encoding has its own.
    let br_etag = br.headers()["etag"].clone();
    assert_ne!(br_etag, etag);
    let compressed = br.bytes().await.unwrap();
    assert!(
        compressed.len() * 4 < identity.len(),
        "{} vs {}",
        compressed.len(),
        identity.len()
    );

    let gz = http
        .get(server.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let gz_etag = gz.headers()["etag"].clone();
    assert!(gz_etag != etag && gz_etag != br_etag);

    let not_modified = http
        .get(server.url("/"))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), 304);
    assert_eq!(not_modified.headers()["etag"], etag);
    // A cache holding the brotli copy that now asks for gzip: still the same page.
    let not_modified = http
        .get(server.url("/"))
        .header("if-none-match", br_etag)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), 304);
    assert_eq!(not_modified.headers()["etag"], gz_etag);

    // Pages rendered for one request (search, forms, errors, signed-in readers) are compressed
    // for it too; the tracking parameters of a shared link do not make a page of their own.
    for path in ["/cari?q=banjir", "/masuk", "/tidak-ada"] {
        let plain = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(plain.headers().get("content-encoding"), None, "{path}");
        let plain = plain.bytes().await.unwrap();
        let gz = http
            .get(server.url(path))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(gz.headers()["content-encoding"], "gzip", "{path}");
        let gz = gz.bytes().await.unwrap();
        let mut decoder = flate2::read::GzDecoder::new(gz.as_ref());
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut decoder, &mut out).unwrap();
        assert!(gz.len() * 2 < out.len(), "{path}");
        // Each render has its own form token; the page is the same size give or take.
        assert!(out.len().abs_diff(plain.len()) < 200, "{path}");
    }
    let tracked = http
        .get(server.url("/?utm_source=wa&fbclid=IwAR0abc"))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(tracked.status(), 304, "the same page as / itself");
}

/// The cache stands before the router, which answers HEAD without a body: a HEAD that misses
/// must not leave a bodiless page for the GETs after it.
#[tokio::test]
async fn a_head_request_leaves_the_cached_page_whole() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);
    let http = client();
    let head = http.head(server.url("/")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    let length = head.headers()["content-length"].clone();
    assert!(head.bytes().await.unwrap().is_empty());

    let page = http.get(server.url("/")).send().await.unwrap();
    assert_eq!(page.headers()["content-length"], length);
    let page = page.bytes().await.unwrap();
    assert!(
        page.len() > 5_000,
        "the home page, whole: {} bytes",
        page.len()
    );
    assert_eq!(length.to_str().unwrap(), page.len().to_string());

    let cached = http.head(server.url("/")).send().await.unwrap();
    assert_eq!(cached.headers()["content-length"], length);
    assert!(cached.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_import_by_another_process_shows_within_a_second() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);
    let (_, before) = server.text("/").await; // fills the cache
    assert!(!before.contains("Kapal Riset Baruna Jaya Kembali Berlayar"));

    let file = site.data_dir.join("baru.json");
    std::fs::write(
        &file,
        r#"{"headline": "Kapal Riset Baruna Jaya Kembali Berlayar", "published_at": "2026-11-27T23:00:00+07:00",
            "section": "Sains", "authors": [{"name": "Sekar Ayuningtyas"}],
            "body_markdown": "Kapal riset berangkat dari Ambon pagi ini.\n\nBaca juga: Konferensi Iklim Asia Pasifik Hasilkan Komitmen Pendanaan Baru"}"#,
    )
    .unwrap();
    let output = site.import(&[&file]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let imported = Instant::now();
    loop {
        let (_, home) = server.text("/").await;
        if home.contains("Kapal Riset Baruna Jaya Kembali Berlayar") {
            break;
        }
        assert!(
            imported.elapsed() < Duration::from_secs(1),
            "the new article did not show within a second"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_bad_file_writes_nothing_and_names_the_problem() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let dir = &site.data_dir;
    let good = dir.join("good.json");
    // With the byte order mark Windows editors put first.
    std::fs::write(&good, "\u{feff}[{\"headline\": \"Satu\", \"slug\": \"2026\", \"published_at\": \"2026-11-01T10:00:00+07:00\", \"body_markdown\": \"Isi.\"}]").unwrap();
    // Lines ended by CR alone (old Mac editors).
    let old_mac = dir.join("old-mac.txt");
    std::fs::write(
        &old_mac,
        "Kabar Lama\rSitus - 02/11/2026, 10:00 WIB\r\rIsi kabar.\r",
    )
    .unwrap();
    let half_bad = dir.join("half.json");
    std::fs::write(
        &half_bad,
        r#"{"items": [
            {"headline": "Dua", "published_at": "2026-11-02T10:00:00+07:00", "body_markdown": "Isi."},
            {"headline": "Tiga", "published_at": "2026-11-03T10:00:00+07:00", "body_markdown": "  "}]}"#,
    )
    .unwrap();
    let mistyped = dir.join("mistyped.json");
    std::fs::write(
        &mistyped,
        "[\n  {\"headline\": \"Empat\", \"published_at\": \"2026-11-04T10:00:00+07:00\", \"body_markdown\": \"Isi.\"},\n  {\"headline\": \"Lima\",\n   \"published_at\": 2026}\n]",
    )
    .unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\n  \"items\": [\n    {\"headline\": }\n]}").unwrap();
    let page = dir.join("page.txt");
    std::fs::write(
        &page,
        "Judul Saja\n\nParagraf tanpa waktu terbit di atasnya sama sekali.\n",
    )
    .unwrap();

    let latin = dir.join("latin.txt");
    // Windows-1252: an e with an acute accent is the single byte 0xE9.
    std::fs::write(&latin, b"Judul\n\nKaf\xe9 di pojok jalan.\n").unwrap();

    let output = site.import(&[
        &good, &half_bad, &mistyped, &broken, &page, &latin, &old_mac,
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("good.json: ok (1 created"), "{stderr}");
    assert!(stderr.contains("old-mac.txt: ok (1 created"), "{stderr}");
    assert!(
        stderr
            .contains("half.json: article 2 (line 3, \"Tiga\"): body_markdown: the body is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "mistyped.json: line 4: article 2: invalid type: integer `2026`, expected an RFC 3339"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken.json: line 3: invalid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("page.txt: line 3: expected the publish time"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "latin.txt: line 3: expected UTF-8 text, found byte 0xE9 at column 4 (save the file as UTF-8)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("5 file(s) failed"), "{stderr}");

    let server = site.serve(&[]);
    let (_, list) = server.json("/api/v1/articles").await;
    let headlines: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["headline"].clone())
        .collect();
    assert_eq!(
        headlines,
        vec!["Kabar Lama", "Satu"],
        "nothing of the failed files was written"
    );
    // A slug of digits alone is still a slug.
    let (status, one) = server.json("/api/v1/articles/2026").await;
    assert_eq!(
        (status, &one["headline"]),
        (200, &serde_json::json!("Satu"))
    );
}

#[tokio::test]
async fn export_and_import_round_trip() {
    let source = Site::new(Engine::Sqlite).await.unwrap();
    // A data dir without a database (a node of a PostgreSQL site, DATABASE_URL forgotten):
    // said so, not an empty list from a new file.
    let refused = source.command().arg("export").output().unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("no database here: set DATABASE_URL"),
        "{said}"
    );
    assert!(!source.data_dir.join("warta.db").exists());
    drop(source.serve(&["--demo"]));
    let first = source.command().arg("export").output().unwrap();
    assert!(first.status.success());
    let file = source.data_dir.join("export.json");
    std::fs::write(&file, &first.stdout).unwrap();

    let target = Site::new(Engine::Sqlite).await.unwrap();
    let output = target.import(&[&file]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("38 created"));
    let second = target.command().arg("export").output().unwrap();

    let strip_ids = |bytes: &[u8]| {
        let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        for item in value["items"].as_array_mut().unwrap() {
            item.as_object_mut().unwrap().remove("id");
        }
        value
    };
    let exported = strip_ids(&first.stdout);
    assert!(
        exported["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["story"]["series_start"].is_string()),
        "the demo's series goes out with its articles"
    );
    assert_eq!(exported, strip_ids(&second.stdout));
}

/// Records without a slug are known by headline and time; a clash of long slugs still gives
/// slugs that round-trip; a photo the site does not hold is left out, not the article.
#[tokio::test]
async fn json_import_keeps_different_articles_apart() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let headline = "Pemerintah Provinsi Umumkan Rencana Pembangunan Jaringan Irigasi \
                    Baru untuk Ribuan Hektare Sawah di Kabupaten Pesisir";
    let file = site.data_dir.join("dua.json");
    let record = |published: &str, hero: bool| {
        let mut record = serde_json::json!({
            "headline": headline,
            "published_at": published,
            "body_markdown": "Isi laporan.",
        });
        if hero {
            record["hero"] =
                serde_json::json!({"image": "0123456789abcdef01234567", "caption": "Sawah."});
        } else {
            record["members_only"] = serde_json::json!(true);
        }
        record
    };
    std::fs::write(
        &file,
        serde_json::to_string(&serde_json::json!([
            record("2026-11-01T08:00:00+07:00", false),
            record("2026-11-02T08:00:00+07:00", true),
        ]))
        .unwrap(),
    )
    .unwrap();
    let output = site.import(&[&file]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("2 created, 0 updated"), "{said}");
    assert!(
        said.contains("article 2 (") && said.contains("imported without its photo"),
        "{said}"
    );

    let exported = site.command().arg("export").output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    let slugs: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len(), 2);
    assert!(slugs.iter().all(|s| s.len() <= 80), "{slugs:?}");
    assert!(slugs[1].ends_with("-2"), "{slugs:?}");
    assert_eq!(list["items"][0]["members_only"], true);
    assert!(list["items"][1].get("members_only").is_none());
    let again = Site::new(Engine::Sqlite).await.unwrap();
    let copy = again.data_dir.join("export.json");
    std::fs::write(&copy, &exported.stdout).unwrap();
    let output = again.import(&[&copy]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("2 created"), "{said}");
    let server = again.serve(&[]);
    let (status, _) = server.json(&format!("/api/v1/articles/{}", slugs[1])).await;
    assert_eq!(status, 200);
    let (_, locked) = server.json(&format!("/api/v1/articles/{}", slugs[0])).await;
    assert_eq!(locked["members_only"], true, "members-only came along");
    assert_eq!(locked["body_markdown"], "");
}

#[tokio::test]
async fn imported_articles_join_their_story_which_is_set_up_once() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let article = |headline: &str, published: &str| {
        serde_json::json!({
            "headline": headline,
            "published_at": published,
            "section": "Internasional",
            "body_markdown": "Isi laporan.",
            "story": {
                "title": "Banjir Pesisir Terkini",
                "summary": "Laporan harian banjir pesisir.",
                "series_start": "2026-11-01",
                "instalment_label": "Hari Ke-",
            },
        })
    };
    let first = site.data_dir.join("satu.json");
    let second = site.data_dir.join("dua.json");
    std::fs::write(
        &first,
        article("Air Mulai Surut", "2026-11-02T09:00:00+07:00").to_string(),
    )
    .unwrap();
    std::fs::write(
        &second,
        article("Warga Kembali ke Rumah", "2026-11-05T09:00:00+07:00").to_string(),
    )
    .unwrap();
    assert!(site.import(&[&first]).status.success());
    assert!(site.import(&[&second]).status.success());

    let server = site.serve(&[]);
    let (status, story) = server.text("/topik/banjir-pesisir-terkini").await;
    assert_eq!(status, 200);
    assert!(story.contains("Air Mulai Surut") && story.contains("Warga Kembali ke Rumah"));
    let (_, one) = server.json("/api/v1/articles/warga-kembali-ke-rumah").await;
    assert_eq!(one["story"]["slug"], "banjir-pesisir-terkini");
    assert_eq!(one["story"]["series_start"], "2026-11-01");
    assert_eq!(one["story"]["instalment"], "Hari Ke-5");

    // A story the record cannot set up fails its file, article and all.
    let bad = site.data_dir.join("buruk.json");
    let mut record = article("Tanggul Diperkuat", "2026-11-06T09:00:00+07:00");
    record["story"]["title"] = serde_json::json!("");
    std::fs::write(&bad, record.to_string()).unwrap();
    let output = site.import(&[&bad]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("story: title"), "{stderr}");
    assert_eq!(
        server.text("/api/v1/articles/tanggul-diperkuat").await.0,
        404
    );
}

#[tokio::test]
async fn a_scheduled_article_appears_when_its_time_comes() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);
    let due = chrono::Utc::now() + chrono::Duration::seconds(3);
    let file = site.data_dir.join("terjadwal.json");
    let article = serde_json::json!({
        "headline": "Jadwal Kapal Feri Lebaran Diumumkan",
        "published_at": due.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).to_rfc3339(),
        "section": "Nasional",
        "body_markdown": "Jadwal lengkap diumumkan hari ini.",
    });
    std::fs::write(&file, article.to_string()).unwrap();
    assert!(site.import(&[&file]).status.success());

    let (_, home) = server.text("/").await;
    assert!(!home.contains("Jadwal Kapal Feri"), "not before its time");
    loop {
        let (_, home) = server.text("/").await;
        if home.contains("Jadwal Kapal Feri") {
            break;
        }
        let late = chrono::Utc::now() - due;
        assert!(
            late < chrono::Duration::seconds(1),
            "not shown within a second of its time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_script_has_a_content_addressed_url_cached_for_a_year() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&["--demo"]);
    let (_, home) = server.text("/").await;
    let src = attrs(&home, "script[src]", "src").remove(0);
    assert!(
        src.starts_with("/assets/site-") && src.ends_with(".js"),
        "{src}"
    );
    let response = client().get(server.url(&src)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(server.text("/assets/site-000000000000.js").await.0, 404);
}
