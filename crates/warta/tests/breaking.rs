//! Breaking news over HTTP: an editor's alert shows on every page and reaches open pages as a
//! server-sent event within a second, on this node and on another one; ending it clears it; an
//! article marked breaking links the banner to itself; only editors may do any of this.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::time::{Duration, Instant};

use common::{Engine, Server, Site, add_users, attrs, browser, csrf, signed_in, texts};

/// An open event stream, read event by event.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(server: &Server) -> Stream {
        let response = reqwest::Client::new()
            .get(server.url("/langsung/breaking"))
            .header("accept", "text/event-stream")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Stream {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's data, skipping keep-alive comments.
    async fn next(&mut self) -> serde_json::Value {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) {
                    return serde_json::from_str(data).unwrap();
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(5), self.response.chunk())
                .await
                .expect("an event within five seconds")
                .unwrap()
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn post(
    http: &reqwest::Client,
    server: &Server,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = csrf(http, server, "/redaksi/breaking").await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    http.post(server.url("/redaksi/breaking"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn breaking_news_reaches_open_pages_on_every_node() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let a = site.serve(&["--demo"]);
    let b = site.serve(&[]);

    // Only editors and admins open the breaking-news desk.
    for (role, want) in [
        ("reader", 403),
        ("contributor", 403),
        ("writer", 403),
        ("editor", 200),
        ("admin", 200),
    ] {
        let http = signed_in(&a, role).await;
        let status = http
            .get(a.url("/redaksi/breaking"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, want, "{role}");
    }
    assert_eq!(
        browser()
            .get(a.url("/redaksi/breaking"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );

    let (_, home) = a.text("/").await;
    assert_eq!(
        attrs(&home, "[data-breaking]", "hidden"),
        [""],
        "no alert: hidden"
    );
    let mut on_a = Stream::open(&a).await;
    let mut on_b = Stream::open(&b).await;
    assert_eq!(
        on_a.next().await,
        serde_json::json!({}),
        "the current state first"
    );
    assert_eq!(on_b.next().await, serde_json::json!({}));

    let editor = signed_in(&a, "editor").await;
    // Bad input keeps what was typed.
    let response = post(
        &editor,
        &a,
        &[
            ("action", "start"),
            ("text", "Gempa di Maluku"),
            ("url", "javascript:alert(1)"),
            ("minutes", "0"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(attrs(&html, "#a-text", "value"), ["Gempa di Maluku"]);
    assert_eq!(texts(&html, "#e-minutes").len(), 1);

    let started = Instant::now();
    let response = post(
        &editor,
        &a,
        &[
            ("action", "start"),
            ("text", "Gempa M6,2 guncang Maluku Utara"),
            ("url", "/kanal/regional"),
            ("minutes", "30"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let event = on_a.next().await;
    assert_eq!(event["text"], "Gempa M6,2 guncang Maluku Utara");
    assert_eq!(event["url"], "/kanal/regional");
    let event = on_b.next().await;
    assert_eq!(
        event["text"], "Gempa M6,2 guncang Maluku Utara",
        "the other node too"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    // Pages loaded now carry the banner (without JavaScript too).
    for node in [&a, &b] {
        let (_, html) = node.text("/kanal/olahraga").await;
        assert_eq!(
            texts(&html, "[data-breaking-text] a"),
            ["Gempa M6,2 guncang Maluku Utara"]
        );
        assert!(attrs(&html, "[data-breaking]", "hidden").is_empty());
    }
    // The site's breaking-news feed is a channel too.
    let (status, rss) = b.text("/breaking/rss.xml").await;
    assert_eq!(status, 200);
    assert!(
        rss.contains("<title>Gempa M6,2 guncang Maluku Utara</title>")
            && rss.contains("<link>http://warta.test/kanal/regional</link>"),
        "{rss}"
    );

    // A reconnecting browser that already shows the alert gets nothing new first.
    let id = event["id"].as_i64().unwrap();
    let mut resumed = reqwest::Client::new()
        .get(b.url("/langsung/breaking"))
        .header("last-event-id", id.to_string())
        .send()
        .await
        .unwrap();
    let quiet = tokio::time::timeout(Duration::from_millis(500), resumed.chunk()).await;
    assert!(quiet.is_err(), "no repeat of the alert it has");

    // A newer alert replaces it; ending the newer one clears every open page instead of
    // bringing the older one back.
    let newer = [
        ("action", "start"),
        ("text", "Peringatan tsunami dicabut"),
        ("url", "/kanal/regional"),
        ("minutes", "30"),
    ];
    assert_eq!(post(&editor, &a, &newer).await.status(), 303);
    let event = on_a.next().await;
    assert_eq!(event["text"], "Peringatan tsunami dicabut");
    assert_eq!(on_b.next().await["text"], "Peringatan tsunami dicabut");
    let replaced = post(&editor, &a, &[("action", "end"), ("id", &id.to_string())]).await;
    assert_eq!(
        replaced.status(),
        404,
        "the first ended when the newer began"
    );
    let id = event["id"].as_i64().unwrap();
    let response = post(&editor, &a, &[("action", "end"), ("id", &id.to_string())]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(on_a.next().await, serde_json::json!({}));
    assert_eq!(on_b.next().await, serde_json::json!({}));
    let response = post(&editor, &a, &[("action", "end"), ("id", &id.to_string())]).await;
    assert_eq!(response.status(), 404, "already ended");
    // Both alerts link the same page; the feed keeps them apart.
    let (_, rss) = b.text("/breaking/rss.xml").await;
    let guids: std::collections::BTreeSet<&str> = rss
        .split("<guid isPermaLink=\"false\">")
        .skip(1)
        .filter_map(|rest| rest.split_once("</guid>").map(|(guid, _)| guid))
        .collect();
    assert!(
        guids.len() >= 2 && guids.len() == rss.matches("<item>").count(),
        "{rss}"
    );

    // An article marked breaking in the editor: the banner links to it until it is unpublished.
    let token = csrf(&editor, &a, "/redaksi/tulis").await;
    let response = editor
        .post(a.url("/redaksi/tulis"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "publish"),
            ("headline", "Tsunami Kecil Tercatat di Ternate"),
            ("body", "Gelombang setinggi 20 sentimeter tercatat."),
            ("zone", "WIT"),
            ("breaking", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let edit = response.headers()["location"].to_str().unwrap().to_owned();
    let event = on_a.next().await;
    assert_eq!(event["text"], "Tsunami Kecil Tercatat di Ternate");
    assert!(event["url"].as_str().unwrap().starts_with("/read/"));
    let html = editor
        .get(a.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        attrs(&html, "#f-breaking", "checked"),
        [""],
        "the editor shows the flag"
    );
    let version = attrs(&html, "input[name=version]", "value").remove(0);
    let token = attrs(&html, "input[name=csrf]", "value").remove(0);
    let response = editor
        .post(a.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("version", version.as_str()),
            ("action", "unpublish"),
            ("headline", "Tsunami Kecil Tercatat di Ternate"),
            ("body", "Gelombang setinggi 20 sentimeter tercatat."),
            ("breaking", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        on_a.next().await,
        serde_json::json!({}),
        "unpublishing ends it"
    );

    // Writers cannot raise the flag from the editor either.
    let writer = signed_in(&a, "writer").await;
    let token = csrf(&writer, &a, "/redaksi/tulis").await;
    let response = writer
        .post(a.url("/redaksi/tulis"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "publish"),
            ("headline", "Bukan Breaking"),
            ("body", "Isi."),
            ("breaking", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let (_, home) = a.text("/").await;
    assert_eq!(attrs(&home, "[data-breaking]", "hidden"), [""]);
}
