//! A site set to English speaks English on the reader's pages: the comment thread and its
//! form, the ads, the newsletter sign-up, the membership plans, the videos and a running
//! story's page, an editor's correction note. The articles
//! themselves stay in the language they were written in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{Engine, Site, add_users, attrs, edit_form, fetch, post_form, signed_in, texts};

/// The demo's article with a sidebar and in-article ad slot and open comments.
const ARTICLE: &str =
    "/read/2026/11/26/kajian-iklim-ungkap-musim-kemarau-di-nusa-tenggara-kian-memanjang";

/// Interface words of the Indonesian catalogue that must not reach an English reader.
const INDONESIAN: [&str; 20] = [
    "Berita lewat surel",
    "Tutup iklan",
    "Kirim balasan",
    "Balasan untuk",
    "Laporkan",
    "Video rekomendasi",
    "Video lainnya",
    "Pilih paket",
    "Langganan saya",
    "Alamat surel",
    "Kembali ke artikel",
    "Berlangganan",
    "Belum ada",
    "Masuk untuk",
    "Kabar terkini",
    "Semua bagian",
    "Topik terkini",
    " komentar",
    "Seri:",
    "Koreksi:",
];

/// The page's text outside the article body (written in Indonesian) and scripts.
fn interface_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let skip = scraper::Selector::parse("article .body, script, style").expect("selector");
    let skipped: Vec<_> = document.select(&skip).map(|e| e.id()).collect();
    document
        .root_element()
        .descendants()
        .filter(|node| node.ancestors().all(|a| !skipped.contains(&a.id())))
        .filter_map(|node| node.value().as_text().map(|t| t.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_english(path: &str, html: &str) {
    let text = interface_text(html);
    for word in INDONESIAN {
        assert!(!text.contains(word), "{word:?} on {path}: {text}");
    }
}

#[tokio::test]
async fn an_english_site_speaks_english_to_readers() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let mut command = site.command();
    command.env("WARTA_LANGUAGE", "en");
    let server = site.serve_with(command, &["--demo"]);
    let admin = signed_in(&server, "admin").await;
    let (status, _) = post_form(
        &admin,
        &server,
        "/redaksi/iklan",
        "create",
        &[
            ("name", "Kopi"),
            ("slot", "sidebar"),
            ("image_url", "/favicon.svg"),
            ("link_url", "https://kopi.example"),
            ("alt", "Kopi"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _) = post_form(
        &admin,
        &server,
        "/redaksi/langganan",
        "plan",
        &[
            ("name", "Lintas Kabar+"),
            ("price", "49.000"),
            ("period", "monthly"),
        ],
    )
    .await;
    assert_eq!(status, 303);

    // A reader comments; the thread and its forms are in English, and so is a refusal.
    let reader = signed_in(&server, "reader").await;
    let html = fetch(&reader, &server, ARTICLE).await;
    assert_eq!(
        texts(&html, ".credits dt")[0],
        "Authors",
        "two names under one label"
    );
    // The newsroom's door speaks the site's language to a reader.
    let response = reader.get(server.url("/redaksi")).send().await.unwrap();
    assert_eq!(response.status(), 403);
    let refused = response.text().await.unwrap();
    assert!(
        refused.contains("The newsroom is for contributors, writers, editors and admins."),
        "{refused}"
    );
    let token = attrs(&html, ".comment-form input[name=csrf]", "value").remove(0);
    let article = attrs(&html, ".comment-form input[name=article_id]", "value").remove(0);
    let post = |body: &'static str| {
        reader
            .post(server.url("/komentar"))
            .form(&[
                ("csrf", token.as_str()),
                ("article_id", article.as_str()),
                ("body", body),
            ])
            .send()
    };
    let refused = post("   ").await.unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert_eq!(texts(&refused, "#e-body"), ["Write your comment first."]);
    assert_eq!(texts(&refused, "label[for=f-body]"), ["Comment"]);
    assert_english("/komentar (refused)", &refused);
    let stale = reader
        .post(server.url("/komentar"))
        .form(&[
            ("csrf", "stale"),
            ("article_id", article.as_str()),
            ("body", "Hi"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 403);
    let stale = stale.text().await.unwrap();
    assert_eq!(
        texts(&stale, "#e-body"),
        [
            "The form expired, so nothing was sent. What you typed is below: check it and send it again."
        ]
    );
    assert_eq!(texts(&stale, "#f-body"), ["Hi"]);
    assert_english("/komentar (stale form)", &stale);
    assert_eq!(post("Good reporting.").await.unwrap().status(), 303);
    let html = fetch(&reader, &server, ARTICLE).await;
    assert_eq!(texts(&html, ".comment-actions a"), ["Edit"]);
    assert_eq!(texts(&html, ".ad-close"), ["Close ad"]);
    assert_english(ARTICLE, &html);
    let other = signed_in(&server, "writer").await;
    let html = fetch(&other, &server, ARTICLE).await;
    assert_eq!(texts(&html, ".reply summary"), ["Reply"]);
    assert_eq!(texts(&html, ".comment-actions button"), ["Report"]);
    assert_english(ARTICLE, &html);

    for (path, heading) in [
        ("/buletin", "News by e-mail"),
        ("/langganan", "Subscribe to Lintas Kabar+"),
        ("/video", "Videos"),
    ] {
        let html = fetch(&reader, &server, path).await;
        assert_eq!(texts(&html, "h1"), [heading], "{path}");
        assert_english(path, &html);
    }
    let html = fetch(&reader, &server, "/").await;
    assert_eq!(
        texts(&html, ".running-stories strong"),
        ["Running stories:"]
    );
    assert_english("/", &html);
    let html = fetch(&reader, &server, "/kanal/sains").await;
    assert!(
        texts(&html, ".comment-count").contains(&"1 comment".to_owned()),
        "{html}"
    );
    assert_english("/kanal/sains", &html);
    let series = "/topik/rangkuman-banjir-kalimantan-selatan";
    let html = fetch(&reader, &server, series).await;
    assert_eq!(texts(&html, ".list-head .kicker"), ["Series"]);
    assert!(
        texts(&html, "#timeline").is_empty(),
        "a series without updates shows no empty timeline"
    );
    assert_english(series, &html);
    let running = "/topik/banjir-kalimantan-terkini";
    let timeline = fetch(&reader, &server, running).await;
    assert_eq!(texts(&timeline, "#timeline"), ["Latest updates"]);
    assert_eq!(attrs(&timeline, "[data-live]", "data-key-label"), ["Key"]);
    assert_english(running, &timeline);
    let instalment = attrs(&html, ".instalments a", "href").remove(0);
    let html = fetch(&reader, &server, &instalment).await;
    assert!(
        texts(&html, ".story-tag")[0].starts_with("Series: "),
        "{html}"
    );
    assert_english(&instalment, &html);
    let html = fetch(&reader, &server, "/akun/langganan").await;
    assert_eq!(texts(&html, "h1"), ["My membership"]);
    assert_english("/akun/langganan", &html);
    let html = fetch(&common::client(), &server, "/langganan").await;
    assert_eq!(texts(&html, ".plan-list .price"), ["Rp49.000 per month"]);
    assert_english("/langganan (signed out)", &html);

    // An editor's correction note is labelled in the site's language.
    let (_, article) = server
        .json(&format!(
            "/api/v1/articles/{}",
            ARTICLE.rsplit('/').next().unwrap()
        ))
        .await;
    let desk = format!("/redaksi/artikel/{}", article["id"]);
    let editor = signed_in(&server, "editor").await;
    let mut form = edit_form(&fetch(&editor, &server, &desk).await);
    form.push(("action".into(), "publish".into()));
    form.push((
        "correction".into(),
        "The rainfall figure was corrected.".into(),
    ));
    let saved = editor
        .post(server.url(&desk))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let html = fetch(&reader, &server, ARTICLE).await;
    assert_eq!(
        texts(&html, ".correction"),
        ["Correction: The rainfall figure was corrected."]
    );
    assert_english(ARTICLE, &html);
}
