//! What editors and admins manage besides articles, over HTTP: site settings (admins),
//! sections and tags (editors), and the newsroom list's filters. Each role is tried against
//! each of these routes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{Engine, ROLES, Server, Site, add_users, attrs, browser, csrf, signed_in, texts};

async fn post(
    http: &reqwest::Client,
    server: &Server,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = csrf(http, server, path).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    http.post(server.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn status_of(http: &reqwest::Client, server: &Server, path: &str) -> u16 {
    http.get(server.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn each_role_against_settings_sections_and_tags() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let routes = ["/redaksi/kanal", "/redaksi/tag", "/redaksi/situs"];
    let anonymous = browser();
    for path in routes {
        assert_eq!(status_of(&anonymous, &server, path).await, 303, "{path}");
        let refused = anonymous
            .post(server.url(path))
            .form(&[("csrf", "x"), ("name", "X")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 303, "POST {path} signed out");
    }
    // role -> GET and POST of kanal, tag, situs
    let expected = [
        ("reader", [403, 403, 403]),
        ("contributor", [403, 403, 403]),
        ("writer", [403, 403, 403]),
        ("editor", [200, 200, 403]),
        ("admin", [200, 200, 200]),
    ];
    assert_eq!(expected.map(|(r, _)| r), ROLES);
    for (role, want) in expected {
        let http = signed_in(&server, role).await;
        let mut got = [0u16; 3];
        for (i, path) in routes.iter().enumerate() {
            got[i] = status_of(&http, &server, path).await;
            // Refused GETs mean no token; a POST with a wrong token must still be refused
            // for the role, not for the token.
            let posted = http
                .post(server.url(path))
                .form(&[("csrf", "not-a-token"), ("name", "Coba")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            assert_eq!(posted, 403, "{role} POST {path}");
            let body = http
                .post(server.url(path))
                .form(&[("csrf", "not-a-token")])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let for_token = body.contains("Formulir ini sudah kedaluwarsa");
            assert_eq!(for_token, got[i] == 200, "{role} POST {path}: refused why?");
        }
        assert_eq!(got, want, "{role}");
    }
}

#[tokio::test]
async fn an_admin_renames_the_site_and_changes_its_zone_and_language() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let admin = signed_in(&server, "admin").await;

    // Bad input: every field named, everything typed kept.
    let response = post(
        &admin,
        &server,
        "/redaksi/situs",
        &[
            ("name", &"N".repeat(61)),
            ("tagline", &"t".repeat(161)),
            ("zone", "PST"),
            ("language", "fr"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(attrs(&html, "#f-name", "value"), ["N".repeat(61)]);
    assert_eq!(texts(&html, "#e-name"), ["paling banyak 60 karakter"]);
    assert_eq!(attrs(&html, "#f-tagline", "value"), ["t".repeat(161)]);
    assert_eq!(texts(&html, "#e-tagline"), ["paling banyak 160 karakter"]);
    assert_eq!(texts(&html, "#e-zone"), ["pilih WIB, WITA atau WIT"]);
    assert_eq!(texts(&html, "#e-language"), ["pilih id atau en"]);

    let response = post(
        &admin,
        &server,
        "/redaksi/situs",
        &[
            ("name", "Kabar Timur"),
            ("tagline", "News from the east of the archipelago."),
            ("zone", "WIT"),
            ("language", "en"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, html) = server.text("/").await;
    assert!(html.contains(r#"<html lang="en">"#));
    assert_eq!(texts(&html, "title"), ["Kabar Timur"]);
    // The tagline describes the home page and the site's feed, not a section's.
    let tagline = "News from the east of the archipelago.";
    assert_eq!(attrs(&html, "meta[name=description]", "content"), [tagline]);
    let (_, feed) = server.text("/rss.xml").await;
    assert!(
        feed.contains(&format!("<description>{tagline}</description>")),
        "{feed}"
    );
    let (_, feed) = server.text("/kanal/sains/rss.xml").await;
    assert!(!feed.contains(tagline));
    // New articles start in the site's zone.
    let editor = signed_in(&server, "editor").await;
    let form = editor
        .get(server.url("/redaksi/tulis"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(attrs(&form, "#f-zone option[selected]", "value"), ["WIT"]);
    // The settings survive a restart and beat the configuration file.
    drop(server);
    let server = site.serve(&[]);
    let (_, html) = server.text("/").await;
    assert_eq!(texts(&html, "title"), ["Kabar Timur"]);
    assert_eq!(attrs(&html, "meta[name=description]", "content"), [tagline]);
}

async fn sections_and_tags(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let editor = signed_in(&server, "editor").await;
    let page = editor
        .get(server.url("/redaksi/kanal"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id_of = |html: &str, slug: &str| {
        let label = format!("Nama kanal {slug}");
        let form = attrs(html, &format!("input[aria-label='{label}']"), "form").remove(0);
        form.trim_start_matches("s-").to_owned()
    };
    let internasional = id_of(&page, "internasional");
    let sains = id_of(&page, "sains");

    // Rename and describe a section, and move it to the front of the navigation.
    let response = post(
        &editor,
        &server,
        "/redaksi/kanal",
        &[
            ("id", &internasional),
            ("name", "Dunia"),
            ("description", "Kabar dari luar negeri."),
            ("position", "-1"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, home) = server.text("/").await;
    let nav = texts(&home, ".masthead nav a");
    assert_eq!(nav.first().map(String::as_str), Some("Dunia"), "{nav:?}");
    let (status, list) = server.text("/kanal/internasional").await;
    assert_eq!(status, 200, "the slug stays");
    assert_eq!(texts(&list, "h1"), ["Dunia"]);
    assert_eq!(
        texts(&list, ".list-description"),
        ["Kabar dari luar negeri."]
    );
    assert_eq!(
        attrs(&list, "meta[name=description]", "content"),
        ["Kabar dari luar negeri."]
    );

    // A name another section has is refused with the typed values kept.
    let response = post(
        &editor,
        &server,
        "/redaksi/kanal",
        &[
            ("id", &sains),
            ("name", "Dunia"),
            ("description", "Ketikan saya"),
            ("position", "2"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        texts(&html, ".form-error")
            .join(" ")
            .contains("Nama: kanal bernama")
    );
    assert_eq!(
        attrs(&html, "input[aria-label='Keterangan kanal sains']", "value"),
        ["Ketikan saya"]
    );

    // A section with articles cannot be deleted; a new, empty one can.
    let response = post(
        &editor,
        &server,
        "/redaksi/kanal",
        &[("id", &sains), ("action", "delete")],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("5 artikel ada di kanal ini")
    );
    let response = post(
        &editor,
        &server,
        "/redaksi/kanal",
        &[
            ("id", ""),
            ("name", "Gaya Hidup"),
            ("position", "x"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422, "a position must be a number");
    let html = response.text().await.unwrap();
    assert_eq!(attrs(&html, "#n-name", "value"), ["Gaya Hidup"]);
    let response = post(
        &editor,
        &server,
        "/redaksi/kanal",
        &[("id", ""), ("name", "Gaya Hidup"), ("action", "save")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let page = editor
        .get(server.url("/redaksi/kanal"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let gaya = id_of(&page, "gaya-hidup");
    let response = post(
        &editor,
        &server,
        "/redaksi/kanal",
        &[("id", &gaya), ("action", "delete")],
    )
    .await;
    assert_eq!(response.status(), 303);

    // Renaming a tag onto another merges them; deleting one removes it from articles.
    let tags = editor
        .get(server.url("/redaksi/tag?q=futsal"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let tag_id = |html: &str, slug: &str| {
        attrs(
            html,
            &format!("input[aria-label='Nama tag {slug}']"),
            "form",
        )
        .remove(0)
        .trim_start_matches("t-")
        .to_owned()
    };
    let futsal = tag_id(&tags, "futsal");
    // A refused rename comes back to the same search, the field marked and as typed.
    let response = post(
        &editor,
        &server,
        "/redaksi/tag",
        &[
            ("id", &futsal),
            ("name", " "),
            ("action", "rename"),
            ("q", "futsal"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert_eq!(attrs(&page, "#f-q", "value"), ["futsal"]);
    assert_eq!(
        attrs(
            &page,
            "input[aria-label='Nama tag futsal'][aria-invalid=true]",
            "value"
        ),
        [" "]
    );
    let response = post(
        &editor,
        &server,
        "/redaksi/tag",
        &[
            ("id", &futsal),
            ("name", "Piala Asia Futsal 2026"),
            ("action", "rename"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("digabung")
    );
    assert_eq!(server.text("/tag/futsal").await.0, 404);
    let (_, merged) = server.text("/tag/piala-asia-futsal-2026").await;
    assert_eq!(texts(&merged, "main article h2, main article h3").len(), 5);
    let tags = editor
        .get(server.url("/redaksi/tag?q=beras"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let beras = tag_id(&tags, "beras");
    let response = post(
        &editor,
        &server,
        "/redaksi/tag",
        &[("id", &beras), ("action", "delete")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(server.text("/tag/beras").await.0, 404);
    let response = post(
        &editor,
        &server,
        "/redaksi/tag",
        &[("id", &beras), ("action", "delete")],
    )
    .await;
    assert_eq!(response.status(), 404, "already gone");

    // The newsroom list filters by section and by author.
    let desk = editor
        .get(server.url("/redaksi?kanal=sains"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let sections: Vec<String> = texts(&desk, "tbody tr td:nth-child(3)");
    assert_eq!(sections.len(), 5, "{sections:?}");
    assert!(sections.iter().all(|s| s == "Sains"));
    let desk = editor
        .get(server.url("/redaksi?penulis=ilham-saputra"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(texts(&desk, "tbody tr").len(), 5);
}

#[tokio::test]
async fn sections_and_tags_on_sqlite() {
    sections_and_tags(Engine::Sqlite).await;
}

#[tokio::test]
async fn sections_and_tags_on_postgres() {
    sections_and_tags(Engine::Postgres).await;
}
