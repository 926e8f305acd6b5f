//! Ads over HTTP: an admin runs campaigns per slot and section, pages show them in space kept
//! for them with a close button, snippets are sanitized unless the admin allows third-party
//! code, impressions and clicks are counted and reported, and members get no ad markup at all.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::time::Duration;

use common::{Engine, Server, Site, add_users, attrs, post_form, signed_in, texts};

async fn campaign(admin: &reqwest::Client, server: &Server, fields: &[(&str, &str)]) -> u16 {
    post_form(admin, server, "/redaksi/iklan", "create", fields)
        .await
        .0
}

async fn campaigns(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    let mut command = site.command();
    command.env("WARTA_VIEWS_FLUSH_SECONDS", "1");
    let server = site.serve_with(command, &["--demo"]);
    for (role, want) in [("editor", 403), ("admin", 200)] {
        let http = signed_in(&server, role).await;
        assert_eq!(
            http.get(server.url("/redaksi/iklan"))
                .send()
                .await
                .unwrap()
                .status(),
            want,
            "{role}"
        );
    }
    let admin = signed_in(&server, "admin").await;

    // Bad input is refused by field, with the form as it was typed.
    let (status, page) = post_form(
        &admin,
        &server,
        "/redaksi/iklan",
        "create",
        &[
            ("name", ""),
            ("slot", "popup"),
            ("image_url", "javascript:alert(1)"),
            ("alt", "Kopi Nusantara"),
            ("html", "<b>Promo</b>"),
            ("weight", "7"),
            ("starts", "2026-12-01"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    for kept in [
        r#"name="image_url" value="javascript:alert(1)""#,
        r#"name="alt" value="Kopi Nusantara""#,
        "&#60;b&#62;Promo&#60;/b&#62;</textarea>",
        r#"name="weight" value="7""#,
        r#"name="starts" value="2026-12-01""#,
    ] {
        assert!(page.contains(kept), "{kept} in {page}");
    }

    assert_eq!(
        campaign(
            &admin,
            &server,
            &[
                ("name", "Kopi Nusantara"),
                ("slot", "top"),
                ("image_url", "/favicon.svg"),
                ("link_url", "https://kopi.example/promo"),
                ("alt", "Kopi Nusantara")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        campaign(
            &admin,
            &server,
            &[
                ("name", "Promo Sains"),
                ("slot", "list"),
                ("section", "sains"),
                (
                    "html",
                    "<b>Teleskop murah</b><script>alert(1)</script><img src=x onerror=alert(1)>"
                )
            ]
        )
        .await,
        303
    );
    assert_eq!(
        campaign(
            &admin,
            &server,
            &[
                ("name", "Dalam Artikel"),
                ("slot", "article"),
                ("image_url", "/favicon.svg"),
                ("link_url", "https://buku.example")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        campaign(
            &admin,
            &server,
            &[
                ("name", "Tag Pihak Ketiga"),
                ("slot", "sidebar"),
                (
                    "html",
                    "<script src=\"https://ads.example/tag.js\"></script>"
                ),
                ("allow_scripts", "1")
            ]
        )
        .await,
        303
    );

    // Pages show them, in reserved space, each with a close button.
    let (_, home) = server.text("/").await;
    assert_eq!(
        attrs(&home, ".ad-top img:not(.ad-beacon)", "alt"),
        ["Kopi Nusantara"]
    );
    assert_eq!(
        attrs(&home, ".ad-top img:not(.ad-beacon)", "width"),
        ["320"]
    );
    assert_eq!(texts(&home, ".ad-top .ad-close"), ["Tutup iklan"]);
    let click = attrs(&home, ".ad-top a", "href").remove(0);
    let beacon = attrs(&home, ".ad-top .ad-beacon", "src").remove(0);
    let (_, sains) = server.text("/kanal/sains").await;
    assert_eq!(texts(&sains, ".ad-list .ad-snippet b"), ["Teleskop murah"]);
    assert!(!sains.contains("alert(1)"), "the snippet was sanitized");
    let (_, list) = server.json("/api/v1/articles?section=sains&limit=1").await;
    let article = list["items"][0]["url"].as_str().unwrap().to_owned();
    let (_, page) = server.text(&article).await;
    let body_start = page.find("<div class=\"body\">").unwrap();
    let ad_at = page.find("class=\"ad ad-article\"").unwrap();
    let third = page[body_start..].match_indices("</p>").nth(2).unwrap().0 + body_start;
    assert!(ad_at > third, "after the third paragraph");
    // Third-party code the admin allowed runs in a sandboxed frame of its own, never in the
    // page (where it would act with the reader's session); the page keeps its strict policy.
    assert!(!page.contains("https://ads.example/tag.js"));
    let frame = attrs(&page, ".ad-sidebar iframe", "src").remove(0);
    assert_eq!(
        attrs(&page, ".ad-sidebar iframe", "sandbox"),
        ["allow-scripts allow-popups allow-popups-to-escape-sandbox"]
    );
    let policy = |response: &reqwest::Response| {
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let response = common::client()
        .get(server.url(&article))
        .send()
        .await
        .unwrap();
    assert!(policy(&response).contains("script-src 'self';"));
    let response = common::client()
        .get(server.url(&frame))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let allowed = policy(&response);
    assert!(
        allowed.contains("script-src 'self' 'unsafe-inline' 'unsafe-eval' *"),
        "{allowed}"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("https://ads.example/tag.js")
    );
    // Only a running campaign's third-party snippet is served so.
    let other = frame.replace(&frame[7..frame.len() - 5], "999999");
    assert_eq!(server.text(&other).await.0, 404);
    let (_, olahraga) = server.text("/kanal/olahraga").await;
    assert!(texts(&olahraga, ".ad-list").is_empty(), "section targeting");

    // Impressions and clicks, counted and reported: readers' GETs, not a HEAD or a crawler.
    let http = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (Linux; Android 13) Chrome/120 Mobile Safari/537.36")
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = http.get(server.url(&beacon)).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "image/gif");
    assert_eq!(response.headers()["cache-control"], "no-store");
    http.get(server.url(&beacon)).send().await.unwrap();
    http.head(server.url(&beacon)).send().await.unwrap();
    let crawler = |url: String| {
        http.get(url)
            .header("user-agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")
            .send()
    };
    crawler(server.url(&beacon)).await.unwrap();
    assert!(
        crawler(server.url(&click))
            .await
            .unwrap()
            .status()
            .is_redirection()
    );
    http.head(server.url(&click)).send().await.unwrap();
    let response = http.get(server.url(&click)).send().await.unwrap();
    assert!(response.status().is_redirection());
    assert_eq!(response.headers()["location"], "https://kopi.example/promo");
    let mut row = Vec::new();
    // Counts are written in the background: wait for both, impressions and the click.
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let desk = common::fetch(&admin, &server, "/redaksi/iklan").await;
        row = texts(&desk, "tbody tr:last-child td");
        if row.get(4).map(String::as_str) == Some("2")
            && row.get(5).map(String::as_str) == Some("1")
        {
            break;
        }
    }
    assert_eq!(row[0], "Kopi Nusantara");
    assert_eq!(
        (row[4].as_str(), row[5].as_str(), row[6].as_str()),
        ("2", "1", "50.00%")
    );

    // A campaign yet to start says when, and can be stopped before it does.
    assert_eq!(
        campaign(
            &admin,
            &server,
            &[
                ("name", "Promo Tahun Depan"),
                ("slot", "top"),
                ("image_url", "/favicon.svg"),
                ("link_url", "https://kopi.example/2099"),
                ("starts", "2099-01-01")
            ]
        )
        .await,
        303
    );
    let desk = common::fetch(&admin, &server, "/redaksi/iklan").await;
    let later = texts(&desk, "tbody tr:first-child td");
    assert_eq!(
        (later[0].as_str(), later[7].as_str()),
        ("Promo Tahun Depan", "mulai 01/01/2099, 00:00 WIB Hentikan")
    );

    // Members get no ad markup and make no ad request.
    let grant = site
        .command()
        .args([
            "member",
            "grant",
            "reader@contoh.id",
            "--until",
            "2099-12-31",
        ])
        .output()
        .unwrap();
    assert!(grant.status.success());
    let reader = signed_in(&server, "reader").await;
    for path in ["/", "/kanal/sains", article.as_str()] {
        let html = reader
            .get(server.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains("class=\"ad ") && !html.contains("/iklan/"),
            "ad markup for a member on {path}"
        );
    }
    let writer = signed_in(&server, "writer").await;
    let html = writer
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("class=\"ad "), "non-members still see ads");

    // A stopped campaign leaves the pages.
    let desk = admin
        .get(server.url("/redaksi/iklan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = attrs(&desk, "input[name=csrf]", "value").remove(0);
    for id in attrs(&desk, "tbody input[name=id]", "value") {
        admin
            .post(server.url("/redaksi/iklan"))
            .form(&[
                ("csrf", token.as_str()),
                ("action", "stop"),
                ("id", id.as_str()),
            ])
            .send()
            .await
            .unwrap();
    }
    let (_, home) = server.text("/").await;
    assert!(!home.contains("class=\"ad "));
}

#[tokio::test]
async fn campaigns_fill_slots_count_and_spare_members_on_sqlite() {
    campaigns(Engine::Sqlite).await;
}

#[tokio::test]
async fn campaigns_fill_slots_count_and_spare_members_on_postgres() {
    campaigns(Engine::Postgres).await;
}
