//! The acceptance path: import the seed page into an empty data dir with the CLI, serve
//! it, and find every part of the article on the page and in the API — on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{Engine, Site, attrs, seed_path, texts};

const HEADLINE: &str =
    "Hubungan Korea Utara dan Donetsk, Wilayah Ukraina yang Diduduki Rusia, Kian Mesra";
const SITE_CHROME: [&str; 9] = [
    "tanpa iklan",
    "Simak breaking news",
    "WhatsApp Channel",
    "Video rekomendasi",
    "Video lainnya",
    "Komentar",
    "Close Ads",
    "Login untuk",
    "Pastikan kamu sudah install",
];

async fn seed_page_end_to_end(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    let seed = seed_path();
    let output = site.import(&[&seed]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Importing the same page again updates it instead of adding a second article.
    let again = site.import(&[&seed]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 created, 1 updated"));

    let server = site.serve(&[]);
    let (status, list) = server.json("/api/v1/articles").await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "one article after two imports");
    let api = &items[0];
    let url = api["url"].as_str().unwrap();
    assert_eq!(
        url,
        "/read/2022/08/18/hubungan-korea-utara-dan-donetsk-wilayah-ukraina-yang-diduduki-rusia-kian-mesra"
    );

    let (status, html) = server.text(url).await;
    assert_eq!(status, 200);
    assert_eq!(texts(&html, "h1"), vec![HEADLINE]);
    assert_eq!(
        texts(&html, ".byline-time time"),
        vec!["18/08/2022, 14:00 WIB"]
    );
    assert_eq!(
        texts(&html, ".credits dd a[rel=author]"),
        vec!["Tito Hilmawan Reditya"]
    );
    assert_eq!(
        attrs(&html, ".credits dd a[rel=author]", "href"),
        vec!["/penulis/tito-hilmawan-reditya"]
    );
    assert_eq!(
        texts(&html, ".credits div:nth-child(2) dd"),
        vec!["Guardian"]
    );
    assert_eq!(texts(&html, ".credits dt"), vec!["Penulis", "Sumber"]);
    assert_eq!(texts(&html, ".dateline"), vec!["KYIV, Warta -"]);

    let paragraphs = texts(&html, ".body > p:not(.baca-juga)");
    assert_eq!(paragraphs.len(), 14, "{paragraphs:#?}");
    assert!(paragraphs[0].starts_with("KYIV, Warta - Korea Utara dan wilayah Donetsk"));
    assert!(paragraphs[13].starts_with("Kim dilaporkan mengirim surat balasan"));
    assert_eq!(texts(&html, ".body > h2").len(), 1);
    let related = texts(&html, ".body > p.baca-juga");
    assert_eq!(related.len(), 4);
    assert!(related[3].starts_with("Baca juga: Putin Kecam Hegemoni AS"));
    let body = texts(&html, ".body").join(" ");
    for chrome in SITE_CHROME {
        assert!(
            !body.contains(chrome),
            "site chrome {chrome:?} is in the article"
        );
    }

    // Metadata for machines.
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        vec![format!("http://warta.test{url}")]
    );
    assert_eq!(
        attrs(&html, "meta[property='og:type']", "content"),
        vec!["article"]
    );
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&html, "script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], HEADLINE);
    assert_eq!(ld["datePublished"], "2022-08-18T14:00:00+07:00");
    assert_eq!(ld["author"][0]["name"], "Tito Hilmawan Reditya");

    // The API says the same.
    let (_, one) = server
        .json(&format!(
            "/api/v1/articles/{}",
            api["slug"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one["headline"], HEADLINE);
    assert_eq!(one["published_at"], "2022-08-18T14:00:00+07:00");
    assert_eq!(one["updated_at"], serde_json::Value::Null);
    assert_eq!(one["authors"][0]["name"], "Tito Hilmawan Reditya");
    assert_eq!(one["source"]["name"], "Guardian");
    assert_eq!(one["dateline"], "KYIV");
    assert_eq!(one["related"].as_array().unwrap().len(), 4);
    assert_eq!(
        one["related"][0]["url"],
        serde_json::Value::Null,
        "no such article stored yet"
    );
    assert!(
        one["body_html"]
            .as_str()
            .unwrap()
            .contains("Baca juga: Ukraina Terkini")
    );
}

#[tokio::test]
async fn seed_page_on_sqlite() {
    seed_page_end_to_end(Engine::Sqlite).await;
}

#[tokio::test]
async fn seed_page_on_postgres() {
    seed_page_end_to_end(Engine::Postgres).await;
}
