//! The captured page in `shared/seed/` (another publisher's, so it is read from outside the
//! repository, never copied in) must import completely and without its site furniture.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::path::PathBuf;

use warta_core::{Zone, body, import::page_text};

/// The seed lives beside the repository: `<repo>/../shared/seed/`. `WARTA_SEED_DIR` overrides.
fn seed() -> String {
    let dir = std::env::var_os("WARTA_SEED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed"));
    let path = dir.join("article-page.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the seed page {} is needed by this test: {e}",
            path.display()
        )
    })
}

#[test]
fn seed_page_imports_every_part_of_the_article() {
    let page = page_text::parse(&seed()).unwrap();
    let d = page.draft;
    assert_eq!(
        d.headline,
        "Hubungan Korea Utara dan Donetsk, Wilayah Ukraina yang Diduduki Rusia, Kian Mesra"
    );
    assert_eq!(d.zone, Zone::Wib);
    assert_eq!(d.zone.stamp(d.published_at), "18/08/2022, 14:00 WIB");
    assert_eq!(d.authors, vec!["Tito Hilmawan Reditya"]);
    assert_eq!(d.source.as_ref().map(|s| s.name.as_str()), Some("Guardian"));
    assert_eq!(d.dateline.as_deref(), Some("KYIV"));
    assert_eq!(page.site_name.as_deref(), Some("Kompas.com"));

    let blocks: Vec<&str> = d.body_markdown.split("\n\n").collect();
    let related: Vec<&str> = blocks
        .iter()
        .filter_map(|b| body::related_headline(b))
        .collect();
    let headings: Vec<&&str> = blocks.iter().filter(|b| b.starts_with("## ")).collect();
    let paragraphs: Vec<&&str> = blocks
        .iter()
        .filter(|b| !b.starts_with("## ") && body::related_headline(b).is_none())
        .collect();
    assert_eq!(paragraphs.len(), 14, "{paragraphs:#?}");
    assert_eq!(headings.len(), 1, "{headings:#?}");
    assert!(headings[0].contains("Tenaga kerja Korea Utara dapat dikirim"));
    assert_eq!(related.len(), 4);
    assert!(related[0].starts_with("Ukraina Terkini: Kebocoran Amonia"));
    assert!(related[2].starts_with("Rangkuman Hari Ke-175"));
    assert!(paragraphs[0].starts_with("Korea Utara dan wilayah Donetsk"));
    assert!(paragraphs[13].starts_with("Kim dilaporkan mengirim surat balasan"));
    // Quotes stay as written.
    assert!(
        d.body_markdown
            .contains("“kerja sama bilateral yang sama-sama menguntungkan”")
    );

    let chrome = [
        "tanpa iklan",
        "Simak breaking news",
        "WhatsApp",
        "Video rekomendasi",
        "Komentar",
        "Close Ads",
        "Bagikan artikel",
        "Login untuk",
        "Oke",
    ];
    for line in chrome {
        assert!(
            !d.body_markdown.contains(line),
            "chrome line {line:?} reached the body"
        );
    }
}
