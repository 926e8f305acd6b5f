//! Hero photos over HTTP: an editor uploads one with the article, the reader page offers its
//! resized variants in `srcset`, the files are served for a year, and a refused upload brings
//! the form back with everything typed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::io::Cursor;

use common::{Engine, Server, Site, add_users, attrs, editor, signed_in, texts};
use reqwest::multipart::{Form, Part};

/// A photo-like PNG (no transparency) of the given size.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 199) as u8])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The editor's form as a browser sends it, with `file` as the photo.
async fn form(
    http: &reqwest::Client,
    server: &Server,
    path: &str,
    headline: &str,
    file: Option<(&str, Vec<u8>)>,
) -> Form {
    let (csrf, version) = editor(http, server, path).await.unwrap();
    let mut form = Form::new()
        .text("csrf", csrf)
        .text("version", version)
        .text("action", "publish")
        .text("headline", headline.to_owned())
        .text("body", "Warga memadati alun-alun sejak pagi.")
        .text("section", "Regional")
        .text("authors", "Orang editor")
        .text("zone", "WIB")
        .text("hero_caption", "Warga di alun-alun kota, Senin pagi.")
        .text("hero_credit", "Dewi Lestari");
    if let Some((name, bytes)) = file {
        form = form.part("hero_file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    form
}

#[tokio::test]
async fn an_uploaded_photo_leads_the_article_in_every_width() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    // Photos in a folder of their own, as several nodes share one.
    let media = std::env::temp_dir().join(format!(
        "warta-media-{}",
        &warta_core::secret::token()[..12]
    ));
    let mut command = site.command();
    command.env("WARTA_MEDIA_DIR", &media);
    let server = site.serve_with(command, &[]);
    let http = signed_in(&server, "editor").await;

    let sent = form(
        &http,
        &server,
        "/redaksi/tulis",
        "Alun-Alun Penuh Warga",
        Some(("alun-alun.png", photo(1500, 1000))),
    )
    .await;
    let response = http
        .post(server.url("/redaksi/tulis"))
        .multipart(sent)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let edit_path = response.headers()["location"].to_str().unwrap().to_owned();

    let (status, html) = server.text("/").await;
    assert_eq!(status, 200);
    let href = attrs(&html, "main a[href^='/read/']", "href")
        .into_iter()
        .next()
        .unwrap();
    let (_, page) = server.text(&href).await;
    let srcset = attrs(&page, ".hero img", "srcset").remove(0);
    let urls: Vec<&str> = srcset
        .split(", ")
        .map(|c| c.split(' ').next().unwrap())
        .collect();
    assert_eq!(urls.len(), 4, "{srcset}");
    assert!(srcset.ends_with("/1280.jpg 1280w"), "{srcset}");
    assert_eq!(attrs(&page, ".hero img", "width"), ["1280"]);
    assert_eq!(attrs(&page, ".hero img", "height"), ["853"]);
    assert_eq!(
        attrs(&page, ".hero img", "alt"),
        ["Warga di alun-alun kota, Senin pagi."]
    );
    assert_eq!(
        texts(&page, ".hero figcaption .credit"),
        ["Foto: Dewi Lestari"]
    );
    let og = attrs(&page, "meta[property='og:image']", "content").remove(0);
    assert!(og.starts_with("http") && og.ends_with("/1280.jpg"), "{og}");
    assert!(
        page.contains(r#""image":["http"#),
        "JSON-LD names the image"
    );

    // Every variant is a JPEG of its width, cached for a year.
    let client = common::client();
    for (url, width) in urls.iter().zip([320u32, 640, 960, 1280]) {
        let response = client.get(server.url(url)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert_eq!(
            response.headers()["cache-control"],
            "max-age=31536000, immutable"
        );
        let bytes = response.bytes().await.unwrap();
        let picture = image::load_from_memory(&bytes).unwrap();
        assert_eq!(picture.width(), width, "{url}");
    }
    let probe = urls[0].replace("320.jpg", "../../etc/passwd");
    let response = client.get(server.url(&probe)).send().await.unwrap();
    assert_eq!(response.status(), 404);

    // The editor shows the photo it has and keeps it through a save without a new file.
    let (_, editor_html) = {
        let response = http.get(server.url(&edit_path)).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    };
    let key = attrs(&editor_html, "input[name=hero_image]", "value").remove(0);
    assert_eq!(key.len(), 24);
    assert!(
        media.join(&key).join("1280.jpg").is_file(),
        "in the media folder"
    );
    assert!(!site.data_dir.join("media").exists(), "not in the data dir");
    assert_eq!(attrs(&editor_html, "img.hero-preview", "src").len(), 1);
    let again = form(&http, &server, &edit_path, "Alun-Alun Penuh Warga", None)
        .await
        .text("hero_image", key.clone());
    let response = http
        .post(server.url(&edit_path))
        .multipart(again)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);

    // The API gives the hero and its largest variant.
    let (_, json) = server.json("/api/v1/articles?limit=1").await;
    assert_eq!(json["items"][0]["hero"]["image"], key.as_str());
    assert_eq!(json["items"][0]["hero"]["credit"], "Dewi Lestari");
    assert!(
        json["items"][0]["image_url"]
            .as_str()
            .unwrap()
            .ends_with("/1280.jpg")
    );
    drop(server);
    std::fs::remove_dir_all(&media).unwrap();
}

#[tokio::test]
async fn a_refused_upload_keeps_everything_typed() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&[]);
    let http = signed_in(&server, "writer").await;

    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "catatan.txt",
            b"bukan gambar".to_vec(),
            "berkas harus berupa foto JPEG, PNG atau WebP",
        ),
        (
            "rusak.png",
            photo(40, 40)[..80].to_vec(),
            "foto tidak dapat dibaca",
        ),
        (
            "besar.jpg",
            vec![0xFF; 13 * 1024 * 1024],
            "berkasnya 13 MB; paling besar 12 MB",
        ),
    ];
    for (name, bytes, message) in cases {
        let sent = form(
            &http,
            &server,
            "/redaksi/tulis",
            "Judul Yang Tidak Boleh Hilang",
            Some((name, bytes)),
        )
        .await;
        let response = http
            .post(server.url("/redaksi/tulis"))
            .multipart(sent)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{name}");
        let html = response.text().await.unwrap();
        let error = texts(&html, "#e-hero_file").join(" ");
        assert!(error.contains(message), "{name}: {error}");
        assert_eq!(
            attrs(&html, "input[name=headline]", "value"),
            ["Judul Yang Tidak Boleh Hilang"]
        );
        assert_eq!(
            attrs(&html, "input[name=hero_caption]", "value"),
            ["Warga di alun-alun kota, Senin pagi."]
        );
        assert_eq!(
            texts(&html, "textarea[name=body]"),
            ["Warga memadati alun-alun sejak pagi."]
        );
    }

    // A key nobody uploaded is refused by field.
    let (csrf, version) = editor(&http, &server, "/redaksi/tulis").await.unwrap();
    let response = http
        .post(server.url("/redaksi/tulis"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("action", "save"),
            ("headline", "Foto Yang Tidak Ada"),
            ("body", "Isi."),
            ("hero_image", "0123456789abcdef01234567"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        texts(&html, "#e-hero_image")
            .join(" ")
            .contains("tidak ada foto unggahan dengan kunci"),
        "{html}"
    );
}
