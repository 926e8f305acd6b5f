//! The newsroom over HTTP: who may open and change what (every role against every route), the
//! workflow from draft to published and back, scheduling, optimistic locking, and forms that
//! keep what was typed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{
    Engine, ROLES, Server, Site, add_users, attrs, browser, csrf, edit_form, editor, fetch,
    signed_in, texts,
};

async fn post_article(
    http: &reqwest::Client,
    server: &Server,
    path: &str,
    action: &str,
    headline: &str,
    published_at: &str,
) -> reqwest::Response {
    let (csrf, version) = editor(http, server, path).await.unwrap();
    http.post(server.url(path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("action", action),
            ("headline", headline),
            (
                "body",
                "Paragraf pertama berita.\n\nBaca juga: Judul Yang Belum Ada",
            ),
            ("section", "Nasional"),
            ("tags", "Uji, Redaksi"),
            ("authors", "Orang writer"),
            ("dateline", "JAKARTA"),
            ("zone", "WIB"),
            ("published_at", published_at),
        ])
        .send()
        .await
        .unwrap()
}

fn article_id(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "saved");
    response.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/redaksi/artikel/")
        .to_owned()
}

#[tokio::test]
async fn every_role_against_every_newsroom_route() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    // An article owned by the writer, in review.
    let writer = signed_in(&server, "writer").await;
    let owned = article_id(
        &post_article(
            &writer,
            &server,
            "/redaksi/tulis",
            "submit",
            "Milik Penulis",
            "",
        )
        .await,
    );
    let owned_path = format!("/redaksi/artikel/{owned}");

    // role -> (open /redaksi, open the editor, save a new draft, edit the writer's article, publish the writer's article)
    let expected: [(&str, [u16; 5]); 5] = [
        ("reader", [403, 403, 403, 403, 403]),
        ("contributor", [200, 200, 303, 403, 403]),
        ("writer", [200, 200, 303, 200, 303]),
        ("editor", [200, 200, 303, 200, 303]),
        ("admin", [200, 200, 303, 200, 303]),
    ];
    let anonymous = browser();
    assert_eq!(
        anonymous
            .get(server.url("/redaksi"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "signed out: to the sign-in page"
    );
    for (role, want) in expected {
        let http = signed_in(&server, role).await;
        let home = http
            .get(server.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let menu_link = !attrs(&home, ".account-menu a[href='/redaksi']", "href").is_empty();
        assert_eq!(
            menu_link,
            role != "reader",
            "{role}: Redaksi in the account menu"
        );
        let desk = http
            .get(server.url("/redaksi"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let open = match editor(&http, &server, "/redaksi/tulis").await {
            Ok(_) => 200,
            Err(status) => status,
        };
        let create = if open == 200 {
            post_article(
                &http,
                &server,
                "/redaksi/tulis",
                "save",
                &format!("Draf {role}"),
                "",
            )
            .await
            .status()
            .as_u16()
        } else {
            403
        };
        let edit = match editor(&http, &server, &owned_path).await {
            Ok(_) => 200,
            Err(status) => status,
        };
        let publish = if edit == 200 {
            post_article(&http, &server, &owned_path, "publish", "Milik Penulis", "")
                .await
                .status()
                .as_u16()
        } else {
            403
        };
        assert_eq!([desk, open, create, edit, publish], want, "{role}");
    }
    // A contributor may not publish even their own article.
    let contributor = signed_in(&server, "contributor").await;
    let theirs = article_id(
        &post_article(
            &contributor,
            &server,
            "/redaksi/tulis",
            "save",
            "Draf Kontributor",
            "",
        )
        .await,
    );
    let path = format!("/redaksi/artikel/{theirs}");
    let refused = post_article(
        &contributor,
        &server,
        &path,
        "publish",
        "Draf Kontributor Diubah",
        "",
    )
    .await;
    assert_eq!(refused.status(), 403);
    // Refused in the editor, with what was typed still in it.
    let page = refused.text().await.unwrap();
    assert!(
        page.contains(r#"value="Draf Kontributor Diubah""#),
        "{page}"
    );
    assert!(page.contains("belum disimpan"), "{page}");
    assert_eq!(
        post_article(
            &contributor,
            &server,
            &path,
            "submit",
            "Draf Kontributor",
            ""
        )
        .await
        .status(),
        303
    );
}

async fn workflow(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let writer = signed_in(&server, "writer").await;
    let editor_http = signed_in(&server, "editor").await;
    let reader = browser();

    // Draft: not on the site.
    let id = article_id(
        &post_article(
            &writer,
            &server,
            "/redaksi/tulis",
            "save",
            "Jembatan Baru Diresmikan",
            "",
        )
        .await,
    );
    let path = format!("/redaksi/artikel/{id}");
    let (_, home) = server.text("/").await;
    assert!(!home.contains("Jembatan Baru Diresmikan"));

    // Review, then the editor publishes: on the home page within a second.
    assert_eq!(
        post_article(
            &writer,
            &server,
            &path,
            "submit",
            "Jembatan Baru Diresmikan",
            ""
        )
        .await
        .status(),
        303
    );
    let page = writer
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(texts(&page, ".status-line strong")[0].contains("review"));
    assert_eq!(
        post_article(
            &editor_http,
            &server,
            &path,
            "publish",
            "Jembatan Baru Diresmikan",
            ""
        )
        .await
        .status(),
        303
    );
    let mut shown = false;
    for _ in 0..20 {
        let home = reader
            .get(server.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if home.contains("Jembatan Baru Diresmikan") {
            shown = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        shown,
        "published articles reach the home page within a second"
    );

    // Every save is a revision, with who made it.
    let page = editor_http
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let revisions = texts(&page, ".revisions li");
    assert_eq!(revisions.len(), 3, "{revisions:?}");
    assert!(revisions[0].contains("Terbit") && revisions[0].contains("Orang editor"));

    // Two editors: the second save, from an older version, is refused and keeps its text.
    let (csrf_a, version_a) = editor(&writer, &server, &path).await.unwrap();
    let (csrf_b, version_b) = editor(&editor_http, &server, &path).await.unwrap();
    assert_eq!(version_a, version_b);
    let form = |csrf: &str, version: &str, headline: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("version".to_owned(), version.to_owned()),
            ("action".to_owned(), "publish".to_owned()),
            ("headline".to_owned(), headline.to_owned()),
            ("body".to_owned(), "Isi versi ini.".to_owned()),
            ("zone".to_owned(), "WIB".to_owned()),
            ("published_at".to_owned(), String::new()),
        ]
    };
    let first = writer
        .post(server.url(&path))
        .form(&form(&csrf_a, &version_a, "Versi Penulis"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let second = editor_http
        .post(server.url(&path))
        .form(&form(&csrf_b, &version_b, "Versi Editor"))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 409);
    let html = second.text().await.unwrap();
    assert_eq!(
        attrs(&html, "#f-headline", "value"),
        vec!["Versi Editor"],
        "the refused text is kept"
    );
    assert!(texts(&html, ".form-error")[0].contains("sudah disimpan orang lain"));

    // Compare the first version with the current one, and load the first back into the form.
    let (_, current) = editor(&writer, &server, &path).await.unwrap();
    let compare = writer
        .get(server.url(&format!("{path}/revisi?dari=1&ke={current}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        texts(&compare, ".diff .removed")[0],
        "Jembatan Baru Diresmikan"
    );
    assert_eq!(texts(&compare, ".diff .added")[0], "Versi Penulis");
    let restore = writer
        .get(server.url(&format!("{path}?pulihkan=1")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        attrs(&restore, "#f-headline", "value"),
        vec!["Jembatan Baru Diresmikan"]
    );
    assert_eq!(
        writer
            .get(server.url(&format!("{path}?pulihkan=99")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Invalid input: 422, every field kept, the problem named.
    let (csrf, version) = editor(&writer, &server, &path).await.unwrap();
    let bad = writer
        .post(server.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("action", "save"),
            ("headline", ""),
            ("body", "Teks tetap ada."),
            ("source_url", "ftp://x"),
            ("published_at", "kemarin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert_eq!(texts(&html, "#f-body"), vec!["Teks tetap ada."]);
    assert!(!texts(&html, "#e-published_at").is_empty());

    // Unpublish: gone from the site.
    assert_eq!(
        post_article(&writer, &server, &path, "unpublish", "Versi Penulis", "")
            .await
            .status(),
        303
    );
    let (_, list) = server.json("/api/v1/articles?limit=100").await;
    assert!(!list.to_string().contains("Versi Penulis"));

    // Scheduled: a future time keeps it off the site until then.
    let future = (chrono::Utc::now() + chrono::Duration::hours(3))
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let scheduled = article_id(
        &post_article(
            &writer,
            &server,
            "/redaksi/tulis",
            "publish",
            "Pengumuman Terjadwal",
            &future.format("%Y-%m-%dT%H:%M").to_string(),
        )
        .await,
    );
    let page = writer
        .get(server.url(&format!("/redaksi/artikel/{scheduled}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(texts(&page, ".status-line strong"), vec!["Terjadwal"]);
    let (_, list) = server.json("/api/v1/articles?limit=100").await;
    assert!(!list.to_string().contains("Pengumuman Terjadwal"));

    // The desk lists by last change; a writer sees only their own.
    let desk = writer
        .get(server.url("/redaksi?status=published"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        texts(&desk, "tbody tr td:first-child"),
        vec!["Pengumuman Terjadwal"]
    );
    let bad_filter = writer
        .get(server.url("/redaksi?status=hilang"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_filter.status(), 400);
}

#[tokio::test]
async fn workflow_on_sqlite() {
    workflow(Engine::Sqlite).await;
}

#[tokio::test]
async fn workflow_on_postgres() {
    workflow(Engine::Postgres).await;
}

#[tokio::test]
async fn the_baca_juga_picker_finds_stored_articles_for_the_newsroom_only() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let writer = signed_in(&server, "writer").await;
    let found: serde_json::Value = writer
        .get(server.url("/redaksi/cari-artikel?q=rupiah"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        found["items"][0]["line"],
        "Baca juga: Rupiah Menguat Tipis Seiring Meredanya Tekanan Dolar Amerika Serikat"
    );
    assert!(
        found["items"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("/read/2026/11/")
    );
    let reader = signed_in(&server, "reader").await;
    let refused = reader
        .get(server.url("/redaksi/cari-artikel?q=rupiah"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn only_admins_manage_people_and_roles() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&[]);
    for role in ROLES {
        let http = signed_in(&server, role).await;
        let status = http
            .get(server.url("/redaksi/orang"))
            .send()
            .await
            .unwrap()
            .status();
        let want = if role == "admin" { 200 } else { 403 };
        assert_eq!(status, want, "{role} opens /redaksi/orang");
    }
    let editor_http = signed_in(&server, "editor").await;
    let csrf_editor = csrf(&editor_http, &server, "/redaksi").await;
    let refused = editor_http
        .post(server.url("/redaksi/orang"))
        .form(&[
            ("csrf", csrf_editor.as_str()),
            ("email", "writer@contoh.id"),
            ("role", "admin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    let admin = signed_in(&server, "admin").await;
    let token = csrf(&admin, &server, "/redaksi/orang").await;
    let done = admin
        .post(server.url("/redaksi/orang"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "writer@contoh.id"),
            ("role", "editor"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let html = done.text().await.unwrap();
    assert!(texts(&html, ".notice")[0].contains("writer@contoh.id sekarang editor"));
    let own = admin
        .post(server.url("/redaksi/orang"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "admin@contoh.id"),
            ("role", "reader"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 422, "an admin cannot demote themselves");
    let html = own.text().await.unwrap();
    assert!(
        texts(&html, ".form-error")[0].contains("peran admin Anda sendiri"),
        "{html}"
    );
    assert_eq!(
        texts(&html, "h1"),
        ["Orang dan peran"],
        "refused on the people page"
    );
    let bad = admin
        .post(server.url("/redaksi/orang"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "writer@contoh.id"),
            ("role", "raja"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    // The promoted writer now edits anyone's articles.
    let promoted = signed_in(&server, "writer").await;
    assert_eq!(
        promoted
            .get(server.url("/redaksi/orang"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn editors_choose_the_lead_story_and_add_corrections() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let (_, list) = server
        .json("/api/v1/articles?section=olahraga&limit=1")
        .await;
    let older = list["items"][0]["id"].as_i64().unwrap();
    let headline = list["items"][0]["headline"].as_str().unwrap().to_owned();
    let (_, home) = server.text("/").await;
    assert_ne!(
        texts(&home, ".lead h3"),
        vec![headline.clone()],
        "the newest leads by default"
    );

    // A writer gets no lead checkbox; an editor does, and uses it with a correction note.
    let writer = signed_in(&server, "writer").await;
    let page = writer
        .get(server.url(&format!("/redaksi/artikel/{older}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403, "not the writer's article");
    let editor_http = signed_in(&server, "editor").await;
    let path = format!("/redaksi/artikel/{older}");
    let html = editor_http
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(attrs(&html, "#f-lead", "name"), vec!["lead"]);
    let mut form = edit_form(&html);
    form.push(("action".into(), "publish".into()));
    form.push(("lead".into(), "1".into()));
    form.push(("correction".into(), "Nama pelatih diperbaiki.".into()));
    let saved = editor_http
        .post(server.url(&path))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);

    let mut led = false;
    for _ in 0..20 {
        let (_, home) = server.text("/").await;
        if texts(&home, ".lead h3") == vec![headline.clone()] {
            led = true;
            assert!(
                !texts(&home, ".latest h3").contains(&headline),
                "not repeated in the latest list"
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(led, "the chosen article leads the home page");
    let url = list["items"][0]["url"].as_str().unwrap();
    let (_, article) = server.text(url).await;
    assert_eq!(
        texts(&article, ".correction"),
        vec!["Koreksi: Nama pelatih diperbaiki."]
    );
    assert!(
        !texts(&article, ".byline-time .updated").is_empty(),
        "an edit of a live article shows Diperbarui"
    );
}

/// An editor gives a published article a new address: the old one redirects there, and a
/// taken or malformed address is refused on the form with everything typed kept.
#[tokio::test]
async fn an_editor_renames_an_article_and_the_old_address_redirects() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let (_, list) = server.json("/api/v1/articles?limit=2").await;
    let old_url = list["items"][0]["url"].as_str().unwrap().to_owned();
    let other_slug = list["items"][1]["slug"].as_str().unwrap().to_owned();
    let desk = format!("/redaksi/artikel/{}", list["items"][0]["id"]);
    let editor_http = signed_in(&server, "editor").await;
    let set = |form: &mut Vec<(String, String)>, name: &str, value: &str| {
        form.retain(|(n, _)| n != name);
        form.push((name.into(), value.into()));
    };
    let html = fetch(&editor_http, &server, &desk).await;
    assert_eq!(
        attrs(&html, "#f-slug", "value"),
        [list["items"][0]["slug"].as_str().unwrap()]
    );

    // The editor as it opens, published with a new address and a retyped summary.
    let publish_as = async |slug: &str| {
        let mut form = edit_form(&fetch(&editor_http, &server, &desk).await);
        set(&mut form, "slug", slug);
        set(&mut form, "summary", "Ringkasan yang diketik ulang.");
        set(&mut form, "action", "publish");
        let sent = editor_http.post(server.url(&desk)).form(&form).send();
        sent.await.unwrap()
    };
    for (wanted, error) in [
        (other_slug.as_str(), "sudah dipakai artikel lain"),
        ("Judul Baru!", "hanya huruf kecil, angka dan tanda hubung"),
    ] {
        let refused = publish_as(wanted).await;
        assert_eq!(refused.status(), 422, "{wanted}");
        let page = refused.text().await.unwrap();
        assert!(
            texts(&page, "#e-slug")[0].contains(error),
            "{wanted}: {page}"
        );
        assert_eq!(attrs(&page, "#f-slug", "value"), [wanted]);
        assert_eq!(
            attrs(&page, "#f-summary", "value"),
            ["Ringkasan yang diketik ulang."]
        );
    }

    let saved = publish_as("alamat-baru-yang-lebih-pendek").await;
    assert_eq!(saved.status(), 303);
    let moved = browser().get(server.url(&old_url)).send().await.unwrap();
    assert_eq!(moved.status(), 308);
    let new_url = moved.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        new_url.ends_with("/alamat-baru-yang-lebih-pendek"),
        "{new_url}"
    );
    let (status, _) = server.text(&new_url).await;
    assert_eq!(status, 200);
    // The query goes along; the API follows the old slug too.
    let tagged = browser()
        .get(server.url(&format!("{old_url}?utm_source=wa")))
        .send()
        .await
        .unwrap();
    assert!(
        tagged.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("/alamat-baru-yang-lebih-pendek?utm_source=wa")
    );
    let old_slug = old_url.rsplit('/').next().unwrap();
    let api = browser()
        .get(server.url(&format!("/api/v1/articles/{old_slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 308);
    assert_eq!(
        api.headers()["location"],
        "/api/v1/articles/alamat-baru-yang-lebih-pendek"
    );
}

#[tokio::test]
async fn the_live_preview_renders_sanitized_html_for_the_newsroom_only() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&[]);
    let writer = signed_in(&server, "writer").await;
    let token = csrf(&writer, &server, "/redaksi/tulis").await;
    let body = "Teks *miring*.\n\n<script>alert(1)</script>\n\nBaca juga: Judul Lain";
    let preview = writer
        .post(server.url("/redaksi/pratinjau"))
        .form(&[("csrf", token.as_str()), ("body", body)])
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    assert!(html.contains("<em>miring</em>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains(r#"<p class="baca-juga">Baca juga: Judul Lain</p>"#),
        "{html}"
    );
    let forged = writer
        .post(server.url("/redaksi/pratinjau"))
        .form(&[("csrf", "0".repeat(64).as_str()), ("body", body)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let reader = signed_in(&server, "reader").await;
    let token = csrf(&reader, &server, "/akun/sandi").await;
    let refused = reader
        .post(server.url("/redaksi/pratinjau"))
        .form(&[("csrf", token.as_str()), ("body", body)])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

/// A draft goes out at the moment it is published, an edit keeps the time to the second, a
/// summary the body made keeps following the body, every mistake is named at once, and a
/// "Baca juga" link waits for a scheduled article to air.
#[tokio::test]
async fn drafts_publish_at_the_moment_and_edits_keep_what_they_did_not_change() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let http = signed_in(&server, "editor").await;
    let set = |form: &mut Vec<(String, String)>, name: &str, value: &str| {
        form.retain(|(n, _)| n != name);
        form.push((name.into(), value.into()));
    };
    let api = async |id: &str| server.json(&format!("/api/v1/articles/{id}")).await.1;
    // The article's editor as it opens, sent with `changes`.
    let send = async |desk: &str, changes: &[(&str, &str)]| {
        let mut form = edit_form(&fetch(&http, &server, desk).await);
        for (name, value) in changes {
            set(&mut form, name, value);
        }
        http.post(server.url(desk))
            .form(&form)
            .send()
            .await
            .unwrap()
    };

    // A draft saved an hour ago.
    let saved = post_article(
        &http,
        &server,
        "/redaksi/tulis",
        "save",
        "Draf Lama Terbit",
        "",
    )
    .await;
    let id = article_id(&saved);
    let store = site.store().await;
    sqlx::query("UPDATE articles SET published_at = published_at - 3600 WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let desk = format!("/redaksi/artikel/{id}");
    let html = fetch(&http, &server, &desk).await;
    assert_eq!(
        attrs(&html, "#f-published_at", "value"),
        [""],
        "no time set"
    );
    assert_eq!(
        attrs(&html, "#f-summary", "value"),
        [""],
        "the body's summary"
    );

    // Published now: the time is now, not the first save's.
    assert_eq!(send(&desk, &[("action", "publish")]).await.status(), 303);
    let published = api(&id).await["published_at"].as_str().unwrap().to_owned();
    let at = chrono::DateTime::parse_from_rfc3339(&published).unwrap();
    assert!(
        (chrono::Utc::now() - at.to_utc()).num_seconds() < 60,
        "{published}"
    );

    // Edited: the body changes, the time stays to the second, the summary follows the body.
    let edit = [
        ("body", "Isi yang sudah diperbarui redaksi."),
        ("action", "publish"),
    ];
    assert_eq!(send(&desk, &edit).await.status(), 303);
    let edited = api(&id).await;
    assert_eq!(edited["published_at"], published.as_str());
    // The history names each version's status in the desk's words.
    let html = fetch(&http, &server, &desk).await;
    assert!(
        html.contains(" · Terbit · ") && html.contains(" · Draf · "),
        "{html}"
    );
    assert!(!html.contains(" · published · "));
    assert_eq!(edited["summary"], "Isi yang sudah diperbarui redaksi.");

    // A stale token (signed in again in another tab) keeps the text and offers a new one.
    let stale_token = "0".repeat(64);
    let stale = send(
        &desk,
        &[
            ("csrf", &stale_token),
            ("headline", "Judul Yang Diketik Panjang"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(stale.status(), 403);
    let page = stale.text().await.unwrap();
    assert_eq!(
        attrs(&page, "#f-headline", "value"),
        ["Judul Yang Diketik Panjang"]
    );
    assert!(page.contains("kedaluwarsa"), "{page}");
    assert_ne!(attrs(&page, "input[name=csrf]", "value"), [stale_token]);
    assert_eq!(
        api(&id).await["headline"],
        "Draf Lama Terbit",
        "nothing saved"
    );

    // Every mistake at once, each on its own field.
    let mistakes = [
        ("headline", ""),
        ("published_at", "kemarin"),
        ("source_name", "Antara"),
        ("source_url", "bukan url"),
        ("action", "save"),
    ];
    let refused = send(&desk, &mistakes).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    for field in ["headline", "published_at", "source_url"] {
        assert_eq!(
            texts(&page, &format!("#e-{field}")).len(),
            1,
            "{field}: {page}"
        );
    }
    assert!(texts(&page, "#e-source_name").is_empty());

    // A "Baca juga" line naming a scheduled article is plain text until it airs.
    let later = (chrono::Utc::now() + chrono::Duration::hours(2))
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let scheduled = post_article(
        &http,
        &server,
        "/redaksi/tulis",
        "publish",
        "Judul Yang Belum Ada",
        &later,
    )
    .await;
    article_id(&scheduled);
    let linking = post_article(
        &http,
        &server,
        "/redaksi/tulis",
        "publish",
        "Artikel Penaut",
        "",
    )
    .await;
    let related = api(&article_id(&linking)).await["related"].clone();
    assert_eq!(related[0]["headline"], "Judul Yang Belum Ada");
    assert_eq!(related[0]["url"], serde_json::Value::Null, "{related}");
}

/// The editor's form is refused to whoever may not send it before its body is read: a
/// stranger cannot make the server take in tens of megabytes. The request below announces
/// 30 MB and sends a few bytes; the answer comes without waiting for the rest.
#[tokio::test]
async fn the_editor_refuses_strangers_before_reading_what_they_send() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&[]);
    let address = server
        .base
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /redaksi/tulis HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: multipart/form-data; boundary=batas\r\nContent-Length: 30000000\r\n\r\n\
         --batas\r\nContent-Disposition: form-data; name=\"headline\"\r\n\r\nJudul\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 12];
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_exact(&mut answer),
    )
    .await
    .expect("an answer before the body")
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&answer), "HTTP/1.1 303");
}

/// Writers and contributors choose among the sections editors set up: a section typed that
/// does not exist is a field error (the article and what was typed stay), not a new page.
#[tokio::test]
async fn only_editors_bring_a_new_section_into_being_and_choices_are_checked() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    for role in ["contributor", "writer"] {
        let http = signed_in(&server, role).await;
        let (csrf, version) = editor(&http, &server, "/redaksi/tulis").await.unwrap();
        let refused = http
            .post(server.url("/redaksi/tulis"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version", version.as_str()),
                ("action", "save"),
                ("headline", "Kanal Buatan Sendiri"),
                ("body", "Isi."),
                ("section", "Kanal Kontributor"),
                ("zone", "UTC"),
                ("story", "999999"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "{role}");
        let html = refused.text().await.unwrap();
        assert!(
            texts(&html, "#e-section")[0].starts_with("kanal \"Kanal Kontributor\" belum ada"),
            "{role}: {html}"
        );
        assert_eq!(
            attrs(&html, "#f-headline", "value"),
            ["Kanal Buatan Sendiri"]
        );
        // Nor is a zone or a story that is not on the lists dropped in silence.
        assert_eq!(
            texts(&html, "#e-zone"),
            ["pilih WIB, WITA atau WIT"],
            "{role}: {:?}",
            texts(&html, ".field-error")
        );
        assert_eq!(texts(&html, "#e-story").len(), 1, "{role}");
    }
    assert_eq!(server.text("/kanal/kanal-kontributor").await.0, 404);
}

/// Changing only the zone of a published article changes how its time is shown, not the
/// moment: the same clock time read in another zone moved it hours, even back to "scheduled".
#[tokio::test]
async fn a_new_zone_keeps_the_moment_unless_the_time_is_retyped() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let http = signed_in(&server, "editor").await;
    let (_, list) = server.json("/api/v1/articles?limit=1").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let before = list["items"][0]["published_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let desk = format!("/redaksi/artikel/{id}");
    let save = async |changes: &[(&str, &str)]| {
        let mut form = edit_form(&fetch(&http, &server, &desk).await);
        for (name, value) in changes {
            form.retain(|(n, _)| n != name);
            form.push(((*name).into(), (*value).into()));
        }
        form.push(("action".into(), "publish".into()));
        let response = http
            .post(server.url(&desk))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    };
    save(&[("zone", "WIT")]).await;
    let (_, after) = server.json(&format!("/api/v1/articles/{id}")).await;
    let moment = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap();
    assert_eq!(
        moment(after["published_at"].as_str().unwrap()),
        moment(&before)
    );
    assert!(after["published_at"].as_str().unwrap().ends_with("+09:00"));
    // A time typed anew is read in the zone chosen with it.
    save(&[("zone", "WIB"), ("published_at", "2026-11-20T08:00")]).await;
    let (_, retyped) = server.json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(retyped["published_at"], "2026-11-20T08:00:00+07:00");
}
