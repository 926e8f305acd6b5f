//! Comments over HTTP on both engines: readers post and reply without JavaScript, nothing they
//! type becomes markup, authors edit and delete within fifteen minutes, reports reach the
//! moderators' queue, and the site's rules (pre-moderation, blocked words, links, bans, closed
//! articles, rate limits) are enforced with a clear message that keeps the text.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{
    Engine, Server, Site, add_users, attrs, browser, csrf, fetch, post_form, signed_in, texts,
};

/// Posts a comment (or reply) on the article at `path` as `http`.
async fn comment(
    http: &reqwest::Client,
    server: &Server,
    path: &str,
    body: &str,
    parent: Option<&str>,
) -> reqwest::Response {
    let html = http
        .get(server.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = attrs(&html, ".comment-form input[name=csrf]", "value").remove(0);
    let article = attrs(&html, ".comment-form input[name=article_id]", "value").remove(0);
    http.post(server.url("/komentar"))
        .form(&[
            ("csrf", token.as_str()),
            ("article_id", article.as_str()),
            ("parent_id", parent.unwrap_or("")),
            ("body", body),
        ])
        .send()
        .await
        .unwrap()
}

async fn moderate(http: &reqwest::Client, server: &Server, fields: &[(&str, &str)]) -> u16 {
    let token = csrf(http, server, "/redaksi/komentar").await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    http.post(server.url("/redaksi/komentar"))
        .form(&form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const XSS: &[&str] = &[
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "https://contoh.id/\"onmouseover=\"alert(1)",
    "<iframe src=//evil.example></iframe>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
];

async fn discussion(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let (_, list) = server.json("/api/v1/articles?section=sains&limit=1").await;
    let path = list["items"][0]["url"].as_str().unwrap().to_owned();

    // Signed out: an invitation to sign in, and posting sends you there.
    let (_, html) = server.text(&path).await;
    assert_eq!(texts(&html, "#comments-title"), ["Komentar (0)"]);
    assert!(attrs(&html, "#komentar a[href^='/masuk?next=']", "href").len() == 1);
    let anonymous = browser();
    let response = anonymous
        .post(server.url("/komentar"))
        .form(&[("csrf", "x"), ("article_id", "1"), ("body", "Halo")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let response = anonymous
        .post(server.url("/komentar"))
        .form(&[("csrf", "x"), ("article_id", "999999"), ("body", "Halo")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404, "only live articles take comments");

    // A reader comments and another replies; both show, with the count, also in lists.
    let reader = signed_in(&server, "reader").await;
    let response = comment(
        &reader,
        &server,
        &path,
        "Liputan yang bagus.\nTerima kasih!",
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    let id = to.rsplit("#komentar-").next().unwrap().to_owned();
    let writer = signed_in(&server, "writer").await;
    let response = comment(
        &writer,
        &server,
        &path,
        "Setuju, lihat juga www.contoh.id",
        Some(&id),
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, html) = server.text(&path).await;
    assert_eq!(texts(&html, "#comments-title"), ["Komentar (2)"]);
    assert_eq!(
        texts(&html, &format!("#komentar-{id} > .comment-text")),
        ["Liputan yang bagus.Terima kasih!"]
    );
    assert!(html.contains("Liputan yang bagus.<br>Terima kasih!"));
    assert_eq!(
        attrs(&html, ".comment-reply .comment-text a", "href"),
        ["https://www.contoh.id"]
    );
    assert_eq!(
        attrs(&html, ".comment-reply .comment-text a", "rel"),
        ["nofollow ugc noopener"]
    );
    let (_, section) = server.text("/kanal/sains").await;
    assert!(texts(&section, ".comment-count").contains(&"2 komentar".to_owned()));
    // A token gone stale (signed out and in again in another tab) keeps what was typed.
    let article_id = attrs(
        &fetch(&reader, &server, &path).await,
        ".comment-form input[name=article_id]",
        "value",
    )
    .remove(0);
    let stale = reader
        .post(server.url("/komentar"))
        .form(&[
            ("csrf", "0".repeat(64).as_str()),
            ("article_id", article_id.as_str()),
            ("body", "Komentar panjang yang diketik lama."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 403);
    let html = stale.text().await.unwrap();
    assert_eq!(
        texts(&html, "#f-body"),
        ["Komentar panjang yang diketik lama."]
    );
    assert!(html.contains("Isian Anda masih di bawah"), "{html}");

    // Nothing typed becomes markup.
    let admin = signed_in(&server, "admin").await;
    assert_eq!(
        moderate(
            &admin,
            &server,
            &[
                ("action", "rules"),
                ("moderation", "post"),
                ("blocked_words", ""),
                ("max_links", "5")
            ]
        )
        .await,
        303
    );
    let response = comment(&admin, &server, &path, &XSS.join("\n"), None).await;
    assert_eq!(response.status(), 303);
    let (_, html) = server.text(&format!("{path}?komentar=1")).await;
    assert!(
        html.contains("&lt;script&gt;document.title="),
        "the payload shows as text"
    );
    let document = scraper::Html::parse_document(&html);
    let text = scraper::Selector::parse(".comment-text *").unwrap();
    for element in document.select(&text) {
        let name = element.value().name();
        assert!(
            name == "a" || name == "br",
            "markup from a comment: <{name}>"
        );
        assert!(
            element.value().attrs().all(|(k, _)| !k.starts_with("on")),
            "an event handler"
        );
        if name == "a" {
            let href = element.value().attr("href").unwrap();
            assert!(
                href.starts_with("https://") || href.starts_with("http://"),
                "{href}"
            );
            assert_eq!(element.value().attrs().count(), 2, "only href and rel");
        }
    }

    // The author edits within the window; others cannot.
    let edit = format!("/komentar/{id}/ubah");
    assert_eq!(
        writer.get(server.url(&edit)).send().await.unwrap().status(),
        403
    );
    let token = csrf(&reader, &server, &edit).await;
    let response = reader
        .post(server.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("body", "Liputan yang sangat bagus."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let html = fetch(&reader, &server, &path).await;
    assert!(html.contains("Liputan yang sangat bagus."));
    assert!(
        texts(&html, &format!("#komentar-{id} > .comment-meta"))
            .join("")
            .contains("diubah")
    );
    // Once the window has closed, an edit is refused with the text still in the form.
    let store = site.store().await;
    sqlx::query("UPDATE comments SET created_at = created_at - 3600 WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let response = reader
        .post(server.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("body", "Tambahan yang terlambat."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Tambahan yang terlambat.</textarea>"),
        "{page}"
    );
    assert!(page.contains("dalam 15 menit setelah dikirim"), "{page}");

    // A report reaches the queue; hiding removes the comment (and its replies) from the page.
    let token = attrs(
        &fetch(&writer, &server, &path).await,
        ".comment-form input[name=csrf]",
        "value",
    )
    .remove(0);
    let response = writer
        .post(server.url(&format!("/komentar/{id}/laporkan")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    // Rules refused by field come back as typed.
    let (status, page) = post_form(
        &admin,
        &server,
        "/redaksi/komentar",
        "rules",
        &[
            ("moderation", "pre"),
            ("blocked_words", "judi\npinjol"),
            ("max_links", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Tautan paling banyak per komentar: bilangan bulat 0 sampai 20"),
        "{page}"
    );
    assert!(page.contains("judi\npinjol</textarea>"), "{page}");
    assert!(page.contains(r#"<option value="pre" selected>"#), "{page}");
    let editor = signed_in(&server, "editor").await;
    let queue = fetch(&editor, &server, "/redaksi/komentar").await;
    assert!(
        texts(&queue, "tbody td")
            .join(" ")
            .contains("dilaporkan 1×")
    );
    assert!(
        attrs(&queue, "#r-moderation", "name").is_empty(),
        "rules are for admins"
    );
    assert_eq!(
        moderate(&editor, &server, &[("action", "hide"), ("id", &id)]).await,
        303
    );
    let (_, html) = server.text(&path).await;
    assert!(!html.contains("Liputan yang sangat bagus."));
    assert!(
        !html.contains("www.contoh.id"),
        "replies go with their comment"
    );

    // Pre-moderation, blocked words and links, set by an admin.
    assert_eq!(
        moderate(
            &admin,
            &server,
            &[
                ("action", "rules"),
                ("moderation", "pre"),
                ("blocked_words", "judi\npinjol"),
                ("max_links", "1")
            ]
        )
        .await,
        303
    );
    // A choice that is neither "pre" nor "post" changes nothing: pre-moderation stays on.
    for moderation in ["none", ""] {
        assert_eq!(
            moderate(
                &admin,
                &server,
                &[
                    ("action", "rules"),
                    ("moderation", moderation),
                    ("blocked_words", "judi\npinjol"),
                    ("max_links", "1")
                ]
            )
            .await,
            422,
            "{moderation:?}"
        );
    }
    let response = comment(&reader, &server, &path, "Ayo main JUDI online", None).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "#e-body"),
        ["Kata \"judi\" tidak diizinkan dalam komentar di situs ini."],
        "refused in the site's language"
    );
    assert_eq!(
        texts(&html, "#f-body"),
        ["Ayo main JUDI online"],
        "the text is kept"
    );
    let response = comment(
        &reader,
        &server,
        &path,
        "https://a.id dan https://b.id",
        None,
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "#e-body"),
        ["Paling banyak 1 tautan dalam satu komentar."]
    );
    let response = comment(&reader, &server, &path, "Menunggu moderasi.", None).await;
    assert_eq!(response.status(), 303);
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("?komentar=menunggu"));
    let html = fetch(&reader, &server, &to).await;
    assert!(
        texts(&html, "#komentar .notice")
            .join("")
            .contains("setelah diperiksa editor")
    );
    assert!(
        !html.contains("Menunggu moderasi."),
        "not shown before approval"
    );
    let queue = fetch(&editor, &server, "/redaksi/komentar").await;
    let waiting = attrs(&queue, "tbody tr", "id")
        .into_iter()
        .find(|row| queue.contains(row))
        .unwrap()
        .trim_start_matches("antrean-")
        .to_owned();
    assert_eq!(
        moderate(&editor, &server, &[("action", "approve"), ("id", &waiting)]).await,
        303
    );
    let (_, html) = server.text(&path).await;
    assert!(html.contains("Menunggu moderasi."));

    // A banned reader can no longer comment; closed comments refuse everyone.
    let reader_id = attrs(&queue, "tbody input[name=user_id]", "value").remove(0);
    assert_eq!(
        moderate(
            &editor,
            &server,
            &[("action", "ban"), ("user_id", &reader_id)]
        )
        .await,
        303
    );
    let response = comment(&reader, &server, &path, "Saya dilarang?", None).await;
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("tidak dapat berkomentar")
    );
    // Nor change the comment it wrote minutes ago; the text it typed comes back.
    let edit = format!("/komentar/{waiting}/ubah");
    let token = csrf(&reader, &server, &edit).await;
    let response = reader
        .post(server.url(&edit))
        .form(&[("csrf", token.as_str()), ("body", "Kini diubah diam-diam.")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let html = response.text().await.unwrap();
    assert!(html.contains("tidak dapat berkomentar"), "{html}");
    assert_eq!(texts(&html, "textarea"), ["Kini diubah diam-diam."]);
    let (_, html) = server.text(&path).await;
    assert!(!html.contains("Kini diubah diam-diam."));

    // The desk lists the ban with a button that lifts it; then the reader may comment again.
    let desk = fetch(&editor, &server, "/redaksi/komentar").await;
    let lift = format!("#larangan-{reader_id} button[value=unban]");
    assert_eq!(texts(&desk, &lift), ["Cabut larangan"]);
    assert_eq!(
        moderate(
            &editor,
            &server,
            &[("action", "unban"), ("user_id", &reader_id)]
        )
        .await,
        303
    );
    let desk = fetch(&editor, &server, "/redaksi/komentar").await;
    assert!(texts(&desk, &lift).is_empty());
    let response = comment(&reader, &server, &path, "Boleh lagi.", None).await;
    assert_eq!(response.status(), 303);

    // The moderation desk is for editors and admins only.
    for (role, want) in [
        ("reader", 403),
        ("contributor", 403),
        ("writer", 403),
        ("editor", 200),
        ("admin", 200),
    ] {
        let http = signed_in(&server, role).await;
        let status = http
            .get(server.url("/redaksi/komentar"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, want, "{role}");
    }
}

#[tokio::test]
async fn discussion_on_sqlite() {
    discussion(Engine::Sqlite).await;
}

#[tokio::test]
async fn discussion_on_postgres() {
    discussion(Engine::Postgres).await;
}

#[tokio::test]
async fn rate_limits_and_closed_articles() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    let (_, list) = server
        .json("/api/v1/articles?section=olahraga&limit=1")
        .await;
    let path = list["items"][0]["url"].as_str().unwrap().to_owned();
    let reader = signed_in(&server, "reader").await;
    // A text the rules refuse is not held against the reader's rate.
    for _ in 0..3 {
        let response = comment(&reader, &server, &path, "  ", None).await;
        assert_eq!(response.status(), 422);
    }
    for n in 0..5 {
        let response = comment(&reader, &server, &path, &format!("Komentar ke-{n}"), None).await;
        assert_eq!(response.status(), 303, "comment {n}");
    }
    let response = comment(&reader, &server, &path, "Satu lagi", None).await;
    assert_eq!(response.status(), 429);
    let html = response.text().await.unwrap();
    assert!(texts(&html, "#e-body").join("").contains("Coba lagi dalam"));
    assert_eq!(texts(&html, "#f-body"), ["Satu lagi"]);

    // An editor closes the article's comments from the editor.
    let editor = signed_in(&server, "editor").await;
    let desk = fetch(&editor, &server, "/redaksi?kanal=olahraga").await;
    let (_, article) = server
        .json(&format!("/api/v1/articles/{}", list["items"][0]["id"]))
        .await;
    let headline = article["headline"].as_str().unwrap().to_owned();
    let link = attrs(&desk, "tbody a", "href")
        .into_iter()
        .zip(texts(&desk, "tbody a"))
        .find(|(_, text)| *text == headline)
        .unwrap()
        .0;
    let form = fetch(&editor, &server, &link).await;
    let field = |name: &str| {
        attrs(&form, &format!("[name={name}]"), "value")
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let body = texts(&form, "textarea[name=body]").remove(0);
    let response = editor
        .post(server.url(&link))
        .form(&[
            ("csrf", field("csrf").as_str()),
            ("version", field("version").as_str()),
            ("action", "publish"),
            ("headline", headline.as_str()),
            ("body", body.as_str()),
            ("section", field("section").as_str()),
            ("zone", "WIB"),
            ("published_at", field("published_at").as_str()),
            ("comments_closed", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let (_, html) = server.text(&path).await;
    assert!(
        texts(&html, "#komentar p")
            .join(" ")
            .contains("sudah ditutup")
    );
    let writer = signed_in(&server, "writer").await;
    let token = attrs(
        &fetch(&writer, &server, &path).await,
        "input[name=csrf]",
        "value",
    )
    .remove(0);
    let response = writer
        .post(server.url("/komentar"))
        .form(&[
            ("csrf", token.as_str()),
            ("article_id", &list["items"][0]["id"].to_string()),
            ("body", "Masih bisa?"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}
