//! Breaking news to channels over real local receivers: one alert reaches an open page (its
//! event stream), signed webhooks (the signature checked as a receiver would), a Telegram Bot
//! API call, the mailbox of a reader who opted in (a local SMTP sink) and the site's RSS;
//! retries with backoff for a receiver that fails, and a receiver that is down delaying
//! nobody; every attempt shows in the admin's log.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::time::{Duration, Instant};

use common::{
    Engine, Receiver, Server, Site, add_subscribers, add_users, csrf, post_form, signed_in,
    smtp_sink, texts,
};
use warta_core::webhook;

fn ok(_: &str) -> &'static str {
    r#"{"ok":true}"#
}

async fn add_channel(admin: &reqwest::Client, server: &Server, fields: &[(&str, &str)]) -> u16 {
    post_form(admin, server, "/redaksi/saluran", "add", fields)
        .await
        .0
}

#[tokio::test]
async fn alerts_reach_every_channel_signed_and_retried() {
    let good = Receiver::start(ok, 0).await;
    let flaky = Receiver::start(ok, 2).await;
    let telegram = Receiver::start(ok, 0).await;
    // A receiver that is down: a port nothing listens on any more.
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/hook", listener.local_addr().unwrap())
    };
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let (smtp_port, mails) = smtp_sink(None, Duration::ZERO);
    let mut command = site.command();
    command.env("WARTA_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"));
    let server = site.serve_with(command, &["--demo"]);
    add_subscribers(&site, &["pembaca@contoh.id".to_owned()], "breaking").await;
    for (role, want) in [("editor", 403), ("admin", 200)] {
        let http = signed_in(&server, role).await;
        assert_eq!(
            http.get(server.url("/redaksi/saluran"))
                .send()
                .await
                .unwrap()
                .status(),
            want,
            "{role}"
        );
    }
    let admin = signed_in(&server, "admin").await;
    // Refused by field, with the form as typed (a Telegram channel without its chat).
    let (status, page) = post_form(
        &admin,
        &server,
        "/redaksi/saluran",
        "add",
        &[
            ("kind", "telegram"),
            ("name", "Kanal Telegram"),
            ("url", "ftp://x"),
            ("secret", "x"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Chat Telegram: chat Telegram tujuan kiriman"),
        "{page}"
    );
    for kept in [
        r#"<option value="telegram" selected>"#,
        r#"name="name" value="Kanal Telegram""#,
        r#"name="url" value="ftp://x""#,
    ] {
        assert!(page.contains(kept), "{kept} in {page}");
    }
    // Sizes are bounded: a name, an address and a secret each have a limit.
    let long_url = format!("https://contoh.id/{}", "a".repeat(3000));
    let (status, page) = post_form(
        &admin,
        &server,
        "/redaksi/saluran",
        "add",
        &[
            ("kind", "webhook"),
            ("name", &"N".repeat(200)),
            ("url", &long_url),
            ("secret", &"s".repeat(600)),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(page.matches("class=\"form-error\"").count(), 3, "{page}");
    let down_url = down.clone();
    let good_url = format!("{}/hook", good.base);
    let flaky_url = format!("{}/hook", flaky.base);
    for (name, url, secret) in [
        ("Mati", down_url.as_str(), "rahasia-mati-1"),
        ("Jembatan WA", good_url.as_str(), "rahasia-uji-123"),
        ("Goyah", flaky_url.as_str(), "rahasia-goyah-1"),
    ] {
        assert_eq!(
            add_channel(
                &admin,
                &server,
                &[
                    ("kind", "webhook"),
                    ("name", name),
                    ("url", url),
                    ("secret", secret)
                ]
            )
            .await,
            303
        );
    }
    assert_eq!(
        add_channel(
            &admin,
            &server,
            &[
                ("kind", "telegram"),
                ("name", "Kanal Telegram"),
                ("url", &telegram.base),
                ("secret", "123456:ABC-uji"),
                ("chat_id", "-1001234")
            ]
        )
        .await,
        303
    );

    // An open page's event stream: the current state (no alert) first.
    let mut page = reqwest::Client::new()
        .get(server.url("/langsung/breaking"))
        .send()
        .await
        .unwrap();
    let first = page.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("data: {}"));

    let editor = signed_in(&server, "editor").await;
    let token = csrf(&editor, &server, "/redaksi/breaking").await;
    let sent = Instant::now();
    let response = editor
        .post(server.url("/redaksi/breaking"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "start"),
            ("text", "Gempa M6,2 guncang Maluku Utara"),
            ("url", "/kanal/regional"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);

    let event = tokio::time::timeout(Duration::from_secs(1), page.chunk())
        .await
        .expect("the open page hears within a second")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&event).contains("Gempa M6,2 guncang Maluku Utara"));
    let mail = mails
        .recv_timeout(Duration::from_secs(5))
        .expect("the opted-in reader's mailbox");
    assert_eq!(mail.to, ["pembaca@contoh.id"]);
    assert!(
        mail.data
            .contains("Subject: Breaking news: Gempa M6,2 guncang Maluku Utara")
    );
    let (_, rss) = server.text("/breaking/rss.xml").await;
    assert!(rss.contains("<title>Gempa M6,2 guncang Maluku Utara</title>"));

    // The good receiver is not held up by the one that is down.
    while good.requests().is_empty() {
        assert!(sent.elapsed() < Duration::from_secs(3), "no delivery");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let delivery = good.requests().remove(0);
    assert!(
        delivery.at.duration_since(sent) < Duration::from_secs(1),
        "{:?}",
        delivery.at.duration_since(sent)
    );
    let timestamp: i64 = delivery.header("warta-timestamp").unwrap().parse().unwrap();
    assert_eq!(
        delivery.header("warta-signature").unwrap(),
        webhook::signature("rahasia-uji-123", timestamp, delivery.body.as_bytes()),
        "a receiver can check the signature"
    );
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 5);
    let body: serde_json::Value = serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(body["text"], "Gempa M6,2 guncang Maluku Utara");
    assert_eq!(body["url"], "http://warta.test/kanal/regional");

    while telegram.requests().is_empty() {
        assert!(
            sent.elapsed() < Duration::from_secs(3),
            "no Telegram message"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let message = telegram.requests().remove(0);
    assert_eq!(message.path, "/bot123456:ABC-uji/sendMessage");
    let body: serde_json::Value = serde_json::from_str(&message.body).unwrap();
    assert_eq!(body["chat_id"], "-1001234");
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .contains("Gempa M6,2 guncang Maluku Utara")
    );

    // The flaky receiver fails twice and gets it on the third try, after 1 s and 2 s.
    while flaky.requests().len() < 3 {
        assert!(
            sent.elapsed() < Duration::from_secs(8),
            "retries: {}",
            flaky.requests().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let tries = flaky.requests();
    assert!(tries[1].at.duration_since(tries[0].at) >= Duration::from_millis(900));
    assert!(tries[2].at.duration_since(tries[1].at) >= Duration::from_millis(1900));

    // The log shows each channel's outcome.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let html = admin
        .get(server.url("/redaksi/saluran"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rows: Vec<String> = texts(&html, "section.desk table:last-of-type tbody tr")
        .into_iter()
        .collect();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.contains(name))
            .cloned()
            .unwrap_or_default()
    };
    assert!(row("Jembatan WA").contains("delivered"), "{rows:?}");
    assert!(row("Kanal Telegram").contains("delivered"), "{rows:?}");
    assert!(
        row("Goyah").contains("delivered") && row("Goyah").contains('3'),
        "{rows:?}"
    );
    assert!(
        row("Mati").contains("pending") || row("Mati").contains("failed"),
        "{rows:?}"
    );
}
