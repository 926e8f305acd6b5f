//! Running stories and series over HTTP: an editor sets a story up, a writer posts live
//! updates that reach an open event stream at once, and a series numbers its instalments from
//! its start date with links between them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::time::Duration;

use common::{Engine, Server, Site, add_users, attrs, editor, signed_in, texts};

async fn form_csrf(http: &reqwest::Client, server: &Server, path: &str) -> String {
    let html = http
        .get(server.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    attrs(&html, "input[name=csrf]", "value").remove(0)
}

/// Creates a story as an editor; its newsroom path.
async fn create_story(
    http: &reqwest::Client,
    server: &Server,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = form_csrf(http, server, "/redaksi/topik").await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    http.post(server.url("/redaksi/topik"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn post_update(http: &reqwest::Client, server: &Server, desk: &str, body: &str, key: bool) {
    let csrf = form_csrf(http, server, desk).await;
    let mut form = vec![("csrf", csrf.as_str()), ("action", "post"), ("body", body)];
    if key {
        form.push(("key_event", "1"));
    }
    let response = http
        .post(server.url(&format!("{desk}/kabar")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "update posted");
}

/// What an event stream at `path` sends until `until` appears (at most 3 s).
async fn first_events(server: &Server, path: &str, until: &str) -> String {
    let mut stream = reqwest::Client::new()
        .get(server.url(path))
        .send()
        .await
        .unwrap();
    read_until(&mut stream, until).await
}

/// What an open event stream sends next, until `until` appears (at most 3 s).
async fn read_until(stream: &mut reqwest::Response, until: &str) -> String {
    let mut seen = String::new();
    let heard = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(until) {
                return;
            }
        }
    })
    .await;
    assert!(heard.is_ok(), "{until:?} within 3 s: {seen:?}");
    seen
}

async fn stories(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    let server = site.serve(&[]);
    let editor_http = signed_in(&server, "editor").await;
    let writer = signed_in(&server, "writer").await;
    let contributor = signed_in(&server, "contributor").await;

    // Who may do what: contributors may not open the desk; writers post but do not create.
    let status = contributor
        .get(server.url("/redaksi/topik"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 403);
    let refused = create_story(&writer, &server, &[("title", "Tidak Boleh")]).await;
    assert_eq!(refused.status(), 403);

    // A bad form says which field is wrong and keeps what was typed.
    let bad = create_story(
        &editor_http,
        &server,
        &[
            ("title", "Gempa Cianjur Terkini"),
            ("series_start", "kemarin"),
        ],
    )
    .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(!texts(&html, "#e-series_start").is_empty());
    assert_eq!(attrs(&html, "#s-title", "value"), ["Gempa Cianjur Terkini"]);

    let created = create_story(
        &editor_http,
        &server,
        &[
            ("title", "Gempa Cianjur Terkini"),
            (
                "summary",
                "Gempa magnitudo 5,6 mengguncang Cianjur.\n\nTim SAR masih bekerja.",
            ),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let desk = created.headers()["location"].to_str().unwrap().to_owned();
    assert!(desk.starts_with("/redaksi/topik/"), "{desk}");
    post_update(
        &writer,
        &server,
        &desk,
        "Posko pengungsian dibuka di alun-alun.",
        false,
    )
    .await;

    let (status, page) = server.text("/topik/gempa-cianjur-terkini").await;
    assert_eq!(status, 200);
    assert_eq!(texts(&page, "h1"), ["Gempa Cianjur Terkini"]);
    assert_eq!(
        texts(&page, ".story-summary p"),
        [
            "Gempa magnitudo 5,6 mengguncang Cianjur.",
            "Tim SAR masih bekerja."
        ]
    );
    assert_eq!(
        texts(&page, ".timeline li p"),
        ["Posko pengungsian dibuka di alun-alun."]
    );
    let newest = attrs(&page, "[data-live]", "data-after").remove(0);
    let ids = attrs(&page, ".timeline li", "id");
    assert_eq!(ids, [format!("kabar-{newest}")], "each update is linkable");

    // An open stream hears the next update as soon as it is posted, and only that one.
    let mut stream = reqwest::Client::new()
        .get(server.url(&format!(
            "/langsung/topik/gempa-cianjur-terkini?setelah={newest}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    post_update(
        &writer,
        &server,
        &desk,
        "Jalur Puncak dibuka kembali.",
        true,
    )
    .await;
    let seen = read_until(&mut stream, "Jalur Puncak").await;
    assert!(!seen.contains("Posko"), "only what the page lacked: {seen}");
    assert!(seen.contains("\"key\":true"), "{seen}");

    let (_, page) = server.text("/topik/gempa-cianjur-terkini").await;
    assert_eq!(
        texts(&page, ".timeline li p"),
        [
            "Jalur Puncak dibuka kembali.",
            "Posko pengungsian dibuka di alun-alun."
        ],
        "newest first"
    );
    assert_eq!(texts(&page, ".key-events li").len(), 1, "one key event");
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type='application/ld+json']").remove(0))
            .unwrap();
    assert_eq!(ld["@type"], "LiveBlogPosting");
    assert_eq!(ld["liveBlogUpdate"].as_array().unwrap().len(), 2);
    assert_eq!(ld["datePublished"], ld["coverageStartTime"]);
    assert_eq!(ld["author"]["@type"], "Organization");
    assert_eq!(
        ld["liveBlogUpdate"][0]["articleBody"],
        "Jalur Puncak dibuka kembali."
    );
    let (_, sitemap) = server.text("/sitemap/kanal.xml").await;
    assert!(sitemap.contains("<loc>http://warta.test/topik/gempa-cianjur-terkini</loc>"));

    // A correction replaces the update where it stands, on the page and on open streams.
    let jalur = attrs(&page, ".timeline li", "id").remove(0);
    let jalur_id = jalur.trim_start_matches("kabar-").to_owned();
    let response = writer
        .get(server.url(&format!("{desk}?ubah={jalur_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let form = response.text().await.unwrap();
    assert_eq!(texts(&form, "#u-body"), ["Jalur Puncak dibuka kembali."]);
    assert_eq!(
        attrs(&form, "form:not(.inline) input[name=action]", "value"),
        ["edit"]
    );
    assert_eq!(
        attrs(&form, "#u-key", "checked").len(),
        1,
        "still a key event"
    );
    let csrf = form_csrf(&writer, &server, &desk).await;
    let too_long = "Jalur Puncak dibuka kembali. ".repeat(40);
    let refused = writer
        .post(server.url(&format!("{desk}/kabar")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "edit"),
            ("id", jalur_id.as_str()),
            ("body", too_long.as_str()),
            ("key_event", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert_eq!(
        texts(&refused, "#u-body"),
        [too_long.trim_end()],
        "what was typed stays"
    );
    assert_eq!(
        attrs(&refused, "form:not(.inline) input[name=id]", "value"),
        [jalur_id.as_str()]
    );
    // The same refused text for an update the story does not have: not found.
    for (action, id) in [("edit", "999999"), ("delete", "999999")] {
        let missing = writer
            .post(server.url(&format!("{desk}/kabar")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", action),
                ("id", id),
                ("body", too_long.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404, "{action} of a missing update");
    }
    let before_correction = chrono::Utc::now().timestamp();
    let corrected = writer
        .post(server.url(&format!("{desk}/kabar")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "edit"),
            ("id", jalur_id.as_str()),
            ("body", "Jalur Puncak dibuka kembali untuk kendaraan kecil."),
            ("key_event", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(corrected.status(), 303);
    let seen = read_until(&mut stream, "kendaraan kecil").await;
    assert!(seen.contains("event: edit"), "{seen}");
    let (_, page) = server.text("/topik/gempa-cianjur-terkini").await;
    assert_eq!(
        texts(&page, ".timeline li > p:first-of-type"),
        [
            "Jalur Puncak dibuka kembali untuk kendaraan kecil.",
            "Posko pengungsian dibuka di alun-alun."
        ],
        "in its place"
    );
    assert_eq!(texts(&page, ".timeline .edited").len(), 1);
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type='application/ld+json']").remove(0))
            .unwrap();
    assert!(ld["liveBlogUpdate"][0]["dateModified"].is_string(), "{ld}");

    // A page rendered before the correction, connecting after it, is sent the correction.
    let late = format!(
        "/langsung/topik/gempa-cianjur-terkini?setelah={jalur_id}&sejak={before_correction}"
    );
    let seen = first_events(&server, &late, "kendaraan kecil").await;
    assert!(seen.contains("event: sync"), "{seen}");
    assert!(seen.contains("event: edit"), "{seen}");

    // A deleted update leaves open pages too.
    let deleted = writer
        .post(server.url(&format!("{desk}/kabar")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "delete"),
            ("id", jalur_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    let seen = read_until(&mut stream, "event: remove").await;
    assert!(seen.contains(&format!("data: {jalur_id}")), "{seen}");
    let (_, page) = server.text("/topik/gempa-cianjur-terkini").await;
    assert_eq!(
        texts(&page, ".timeline li > p:first-of-type"),
        ["Posko pengungsian dibuka di alun-alun."]
    );
    // A page that still shows it learns on connecting that it is gone.
    let seen = first_events(&server, &late, "\"ids\"").await;
    let posko = newest.as_str();
    assert!(
        seen.contains(&format!("\"ids\":[{posko}]"))
            && seen.contains(&format!("\"upto\":{jalur_id}")),
        "{seen}"
    );

    // A writer corrects and removes their own updates only; an editor anyone's.
    post_update(
        &editor_http,
        &server,
        &desk,
        "Bantuan logistik tiba.",
        false,
    )
    .await;
    let (_, page) = server.text("/topik/gempa-cianjur-terkini").await;
    let ids: Vec<String> = attrs(&page, ".timeline li", "id")
        .iter()
        .map(|id| id.trim_start_matches("kabar-").to_owned())
        .collect();
    let (editors, writers) = (ids[0].as_str(), ids[1].as_str());
    let csrf = form_csrf(&writer, &server, &desk).await;
    for action in ["edit", "delete"] {
        let refused = writer
            .post(server.url(&format!("{desk}/kabar")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", action),
                ("id", editors),
                ("body", "Diubah penulis lain."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{action} of the editor's update");
    }
    let form = writer
        .get(server.url(&format!("{desk}?ubah={editors}")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403, "no correction form for it either");
    let csrf = form_csrf(&editor_http, &server, &desk).await;
    let corrected = editor_http
        .post(server.url(&format!("{desk}/kabar")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "edit"),
            ("id", writers),
            ("body", "Posko pengungsian dibuka di alun-alun kota."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(corrected.status(), 303);
    let (_, page) = server.text("/topik/gempa-cianjur-terkini").await;
    assert_eq!(
        texts(&page, ".timeline li > p:first-of-type"),
        [
            "Bantuan logistik tiba.",
            "Posko pengungsian dibuka di alun-alun kota."
        ]
    );

    // A series: instalments numbered from day 1, linked to each other.
    let series = create_story(
        &editor_http,
        &server,
        &[
            ("title", "Rangkuman Serangan ke Kota Pelabuhan"),
            ("slug", "rangkuman-serangan"),
            ("series_start", "2022-02-24"),
            ("instalment_label", "Hari Ke-"),
        ],
    )
    .await;
    assert_eq!(series.status(), 303);
    let series_id = series.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/redaksi/topik/")
        .to_owned();
    for (headline, at) in [
        (
            "Rangkuman Hari Pertama Setelah Gencatan",
            "2022-08-17T10:00",
        ),
        ("Rangkuman Hari Berikutnya di Pelabuhan", "2022-08-18T14:00"),
    ] {
        let (csrf, version) = editor(&editor_http, &server, "/redaksi/tulis")
            .await
            .unwrap();
        let saved = editor_http
            .post(server.url("/redaksi/tulis"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version", version.as_str()),
                ("action", "publish"),
                ("headline", headline),
                ("body", "Paragraf rangkuman."),
                ("section", "Internasional"),
                ("authors", "Orang editor"),
                ("zone", "WIB"),
                ("published_at", at),
                ("story", series_id.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303, "{headline} published");
    }
    let (_, second) = server
        .text("/read/2022/08/18/rangkuman-hari-berikutnya-di-pelabuhan")
        .await;
    assert_eq!(
        texts(&second, ".story-tag"),
        ["Seri: Rangkuman Serangan ke Kota Pelabuhan · Hari Ke-176"]
    );
    assert_eq!(
        texts(&second, ".series-nav a[rel=prev]"),
        ["← Hari Ke-175: Rangkuman Hari Pertama Setelah Gencatan"]
    );
    assert!(texts(&second, ".series-nav a[rel=next]").is_empty());
    // Baca juga prefers the same story.
    assert_eq!(
        texts(&second, ".read-also li").first().map(String::as_str),
        Some("Rangkuman Hari Pertama Setelah Gencatan")
    );
    let (_, first) = server
        .text("/read/2022/08/17/rangkuman-hari-pertama-setelah-gencatan")
        .await;
    assert_eq!(
        texts(&first, ".series-nav a[rel=next]"),
        ["Hari Ke-176: Rangkuman Hari Berikutnya di Pelabuhan →"]
    );
    // The API says what the page says.
    let (_, json) = server
        .json("/api/v1/articles/rangkuman-hari-berikutnya-di-pelabuhan")
        .await;
    assert_eq!(
        json["story"],
        serde_json::json!({
            "title": "Rangkuman Serangan ke Kota Pelabuhan",
            "url": "/topik/rangkuman-serangan",
            "slug": "rangkuman-serangan",
            "series": true,
            "series_start": "2022-02-24",
            "instalment_label": "Hari Ke-",
            "instalment": "Hari Ke-176"
        })
    );
    let (_, list) = server.json("/api/v1/articles?limit=5").await;
    let instalments: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            a["story"]["instalment"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(instalments, ["Hari Ke-176", "Hari Ke-175"], "the list too");
    let (_, list) = server.text("/topik/rangkuman-serangan").await;
    assert_eq!(
        texts(&list, ".instalments li strong"),
        ["Hari Ke-176", "Hari Ke-175"]
    );
    let (status, _) = server.text("/topik/tidak-ada").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn stories_on_sqlite() {
    stories(Engine::Sqlite).await;
}

#[tokio::test]
async fn stories_on_postgres() {
    stories(Engine::Postgres).await;
}
