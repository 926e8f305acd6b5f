//! Video over HTTP: an upload is checked by its bytes, stored and served with range requests;
//! a YouTube embed is only a link until the reader clicks; video pages carry `VideoObject`
//! data; articles recommend videos of their section.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{Engine, Server, Site, add_users, attrs, editor, signed_in, texts};
use reqwest::multipart::{Form, Part};

/// The start of a WebM file (the EBML magic) and enough bytes to page through.
fn webm() -> Vec<u8> {
    let mut bytes = vec![
        0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81,
    ];
    bytes.extend((0..40_000u32).map(|n| (n % 251) as u8));
    bytes
}

async fn upload(
    http: &reqwest::Client,
    server: &Server,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let html = http
        .get(server.url("/redaksi/video"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = attrs(&html, "input[name=csrf]", "value").remove(0);
    let mut form = Form::new().text("csrf", csrf);
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    http.post(server.url("/redaksi/video"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn video(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    let server = site.serve(&[]);
    let writer = signed_in(&server, "writer").await;
    let contributor = signed_in(&server, "contributor").await;
    let status = contributor
        .get(server.url("/redaksi/video"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 403, "contributors do not publish video");

    // Not a video: refused by its bytes, with what was typed kept.
    let refused = upload(
        &writer,
        &server,
        &[("title", "Banjir Rob Semarang"), ("duration", "1:30")],
        Some(("banjir.webm", b"<html>bukan video</html>".to_vec())),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert_eq!(
        texts(&html, "#e-file"),
        ["berkas harus berupa video MP4 atau WebM"]
    );
    assert_eq!(attrs(&html, "#v-title", "value"), ["Banjir Rob Semarang"]);
    // A section or story that is not there (deleted since the form opened) is named, not a 500.
    let refused = upload(
        &writer,
        &server,
        &[
            ("title", "Banjir Rob Semarang"),
            ("duration", "1:30"),
            ("embed_url", "https://youtu.be/dQw4w9WgXcQ"),
            ("section", "9999"),
            ("story", "abc"),
        ],
        None,
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert_eq!(texts(&html, "#e-section").len(), 1, "{html}");
    assert_eq!(texts(&html, "#e-story").len(), 1, "{html}");

    // A section to relate the video to an article.
    let editor_http = signed_in(&server, "editor").await;
    let (csrf, version) = editor(&editor_http, &server, "/redaksi/tulis")
        .await
        .unwrap();
    let saved = editor_http
        .post(server.url("/redaksi/tulis"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("action", "publish"),
            ("headline", "Tanggul Laut Semarang Jebol Lagi"),
            ("body", "Air laut kembali masuk ke permukiman."),
            ("section", "Regional"),
            ("tags", "Banjir Rob"),
            ("authors", "Orang editor"),
            ("zone", "WIB"),
            ("published_at", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let desk = writer
        .get(server.url("/redaksi/video"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let section_ids = attrs(&desk, "#v-section option", "value");
    let section_names = texts(&desk, "#v-section option");
    let regional = section_ids[section_names.iter().position(|n| n == "Regional").unwrap()].clone();

    // A typo elsewhere does not cost the file: the refused form keeps it on the server, and
    // the form sent again without choosing it publishes the file received the first time.
    let bytes = webm();
    let mistyped = upload(
        &writer,
        &server,
        &[
            ("title", "Banjir Rob Semarang"),
            ("description", "Air pasang merendam jalan utama."),
            ("duration", "1:3o"),
            ("tags", "banjir rob"),
            ("section", regional.as_str()),
        ],
        Some(("banjir.webm", bytes.clone())),
    )
    .await;
    assert_eq!(mistyped.status(), 422);
    let html = mistyped.text().await.unwrap();
    assert_eq!(texts(&html, "#e-duration").len(), 1, "{html}");
    assert!(texts(&html, "#h-file")[0].starts_with("Berkas video sudah diterima (40 KB)"));
    let kept = attrs(&html, "input[name=kept]", "value").remove(0);
    let forged = upload(
        &writer,
        &server,
        &[
            ("title", "Lain"),
            ("duration", "1:30"),
            ("kept", "../../warta.db"),
        ],
        None,
    )
    .await;
    assert_eq!(
        forged.status(),
        422,
        "a kept token names only a staging file"
    );
    // The token is the writer's own: another member of the newsroom can neither publish nor
    // drop the file with it.
    let other = signed_in(&server, "editor").await;
    for fields in [
        &[
            ("title", "Lain"),
            ("duration", "1:30"),
            ("kept", kept.as_str()),
        ][..],
        &[("title", ""), ("kept", kept.as_str()), ("drop_kept", "1")][..],
    ] {
        let borrowed = upload(&other, &server, fields, None).await;
        assert_eq!(borrowed.status(), 422);
        let html = borrowed.text().await.unwrap();
        assert!(attrs(&html, "input[name=kept]", "value").is_empty());
    }
    let uploaded = upload(
        &writer,
        &server,
        &[
            ("title", "Banjir Rob Semarang"),
            ("description", "Air pasang merendam jalan utama."),
            ("duration", "1:30"),
            ("tags", "banjir rob"),
            ("section", regional.as_str()),
            ("kept", kept.as_str()),
        ],
        None,
    )
    .await;
    assert_eq!(uploaded.status(), 303);
    let page_path = uploaded.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(page_path, "/video/banjir-rob-semarang");
    let (status, page) = server.text(&page_path).await;
    assert_eq!(status, 200);
    let src = attrs(&page, "video source", "src").remove(0);
    assert!(
        src.starts_with("/media/video/") && src.ends_with(".webm"),
        "{src}"
    );
    assert_eq!(attrs(&page, "video source", "type"), ["video/webm"]);
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type='application/ld+json']").remove(0))
            .unwrap();
    assert_eq!(ld["@type"], "VideoObject");
    assert_eq!(ld["duration"], "PT1M30S");
    assert_eq!(ld["contentUrl"], format!("http://warta.test{src}"));

    // Range requests, as a player seeking through the file makes them.
    let http = reqwest::Client::new();
    let part = http
        .get(server.url(&src))
        .header("range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 1000-1999/{}", bytes.len()).as_str()
    );
    assert_eq!(part.headers()["content-type"], "video/webm");
    assert_eq!(part.bytes().await.unwrap().as_ref(), &bytes[1000..2000]);
    let whole = http.get(server.url(&src)).send().await.unwrap();
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.bytes().await.unwrap().len(), bytes.len());

    // An embed: a plain link to YouTube until clicked, the player from youtube-nocookie.com.
    let embedded = upload(
        &writer,
        &server,
        &[
            ("title", "Wawancara Wali Kota Soal Tanggul"),
            ("duration", "4:05"),
            ("embed_url", "https://youtu.be/dQw4w9WgXcQ"),
            ("section", regional.as_str()),
        ],
        None,
    )
    .await;
    assert_eq!(embedded.status(), 303);
    let (_, page) = server.text("/video/wawancara-wali-kota-soal-tanggul").await;
    assert!(!page.contains("<iframe"), "no player before the click");
    assert_eq!(
        attrs(&page, "a[data-embed]", "href"),
        ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
    );
    assert_eq!(
        attrs(&page, "a[data-embed]", "data-embed"),
        ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"]
    );
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type='application/ld+json']").remove(0))
            .unwrap();
    assert_eq!(
        ld["embedUrl"],
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    );
    assert_eq!(texts(&page, "#more-videos"), ["Video lainnya"]);

    // The article of the same section recommends both, the one sharing its tag first; the
    // list page has them too.
    let (_, sitemap) = server.text("/sitemap/kanal.xml").await;
    assert!(sitemap.contains("<loc>http://warta.test/video/banjir-rob-semarang</loc>"));
    let (_, list) = server.text("/video").await;
    assert_eq!(texts(&list, ".videos strong").len(), 2);
    let article = saved.headers()["location"].to_str().unwrap().to_owned();
    let edit = editor_http
        .get(server.url(&article))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let public = attrs(&edit, "a.public-link", "href");
    let path = public
        .first()
        .cloned()
        .unwrap_or_else(|| attrs(&edit, "a[href^='/read/']", "href").remove(0));
    let (_, article_page) = server.text(&path).await;
    assert_eq!(
        texts(&article_page, "#video-picks-title"),
        ["Video rekomendasi"]
    );
    assert_eq!(
        texts(&article_page, ".video-picks .videos strong"),
        ["Banjir Rob Semarang", "Wawancara Wali Kota Soal Tanggul"]
    );

    // Removing the uploaded video removes its page and its file; writers may not remove.
    let desk = editor_http
        .get(server.url("/redaksi/video"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = attrs(&desk, "input[name=csrf]", "value").remove(0);
    let actions = attrs(&desk, "form[action$='/hapus']", "action");
    let titles = texts(&desk, "table td:first-child a");
    let upload_action = actions[titles
        .iter()
        .position(|t| t == "Banjir Rob Semarang")
        .unwrap()]
    .clone();
    let refused = writer
        .post(server.url(&upload_action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let removed = editor_http
        .post(server.url(&upload_action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 303);
    assert_eq!(server.text("/video/banjir-rob-semarang").await.0, 404);
    assert_eq!(
        http.get(server.url(&src)).send().await.unwrap().status(),
        404
    );
}

#[tokio::test]
async fn video_on_sqlite() {
    video(Engine::Sqlite).await;
}

#[tokio::test]
async fn video_on_postgres() {
    video(Engine::Postgres).await;
}
