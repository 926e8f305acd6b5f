//! Reader e-mail over a real SMTP conversation (a local sink): double opt-in, breaking news to
//! the readers who asked for it, and a digest that reaches every subscriber exactly once even
//! when the server is stopped in the middle of sending, with a bounce that does not stop the
//! run and a one-click unsubscribe (RFC 8058) that works from the mail's own header.
//! Automatic digests go out by themselves when the site says so, unless an editor holds one.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::{collections::HashMap, sync::mpsc, time::Duration};

use common::{
    Engine, Server, Site, SmtpMail, add_subscribers, add_users, attrs, browser, csrf, fetch,
    post_form, signed_in, smtp_sink, terminate, texts,
};

fn serve_with_smtp(site: &Site, port: u16) -> Server {
    let mut command = site.command();
    command
        .env("WARTA_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
        .env("WARTA_MAIL_FROM", "Redaksi Uji <redaksi@contoh.id>");
    site.serve_with(command, &[])
}

fn next_mail(mails: &mpsc::Receiver<SmtpMail>) -> SmtpMail {
    mails
        .recv_timeout(Duration::from_secs(10))
        .expect("a mail reached the SMTP sink")
}

/// The first `http...` link in a mail that contains `needle` (undoing quoted-printable).
fn link(mail: &SmtpMail, needle: &str) -> String {
    mail.data
        .replace("=\r\n", "")
        .replace("=3D", "=")
        .split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(needle))
        .unwrap_or_else(|| panic!("a link with {needle} in {}", mail.data))
        .trim_end_matches(['>', '.'])
        .to_owned()
}

/// A mail's text with quoted-printable soft breaks and `=3D` undone.
fn decoded(mail: &SmtpMail) -> String {
    mail.data.replace("=\r\n", "").replace("=3D", "=")
}

async fn sign_up(server: &Server, email: &str, lists: &[&str]) -> SignedUp {
    let http = browser();
    let token = csrf(&http, server, "/buletin").await;
    let mut form = vec![("csrf", token.as_str()), ("email", email)];
    for list in lists {
        form.push(("daftar", list));
    }
    let response = http
        .post(server.url("/buletin"))
        .form(&form)
        .send()
        .await
        .unwrap();
    SignedUp {
        status: response.status().as_u16(),
        html: response.text().await.unwrap(),
    }
}

struct SignedUp {
    status: u16,
    html: String,
}

#[tokio::test]
async fn breaking_news_reaches_only_confirmed_readers_who_asked_for_it() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let (port, mails) = smtp_sink(None, Duration::ZERO);
    let server = serve_with_smtp(&site, port);

    // Bad input names the field and keeps the address typed.
    let bad = sign_up(&server, "bukan-alamat", &["breaking"]).await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        texts(&bad.html, "#e-email"),
        ["Masukkan alamat surel yang valid, misalnya nama@contoh.id."],
        "{}",
        bad.html
    );
    assert_eq!(
        attrs(&bad.html, "#n-email", "aria-describedby"),
        ["e-email"]
    );
    assert_eq!(attrs(&bad.html, "#n-email", "value"), ["bukan-alamat"]);
    let none = sign_up(&server, "rina@contoh.id", &[]).await;
    assert_eq!(none.status, 422);
    assert_eq!(
        texts(&none.html, "#e-daftar"),
        ["Pilih paling sedikit satu jenis surel."]
    );

    let rina = sign_up(&server, "rina@contoh.id", &["breaking"]).await;
    assert_eq!(rina.status, 200);
    let confirmation = next_mail(&mails);
    assert_eq!(confirmation.to, ["rina@contoh.id"]);
    let confirm = link(&confirmation, "/buletin/konfirmasi");
    // Two more: one confirms and wants digests only, one never confirms.
    sign_up(&server, "dodi@contoh.id", &["daily"]).await;
    let dodi = link(&next_mail(&mails), "/buletin/konfirmasi");
    sign_up(&server, "lupa@contoh.id", &["breaking"]).await;
    let _ignored = next_mail(&mails);
    for url in [confirm, dodi] {
        let path = url.trim_start_matches("http://warta.test");
        let (status, page) = server.text(path).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(texts(&page, "h1"), ["Langganan aktif"]);
    }
    // Signing up a confirmed address again changes nothing; its owner gets the manage link.
    sign_up(&server, "rina@contoh.id", &["weekly"]).await;
    let again = next_mail(&mails);
    assert!(
        decoded(&again).contains("/buletin/kelola?token="),
        "{}",
        again.data
    );

    // Newsletters are an editor's: every role against the desk.
    for (role, want) in [
        ("reader", 403),
        ("contributor", 403),
        ("writer", 403),
        ("editor", 200),
        ("admin", 200),
    ] {
        let http = signed_in(&server, role).await;
        let status = http
            .get(server.url("/redaksi/buletin"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, want, "{role}");
    }

    let editor = signed_in(&server, "editor").await;
    let token = csrf(&editor, &server, "/redaksi/breaking").await;
    let started = editor
        .post(server.url("/redaksi/breaking"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "start"),
            ("text", "Gunung Lewotobi meletus, bandara Maumere ditutup"),
            ("url", "/kanal/nasional"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let alert = next_mail(&mails);
    assert_eq!(
        alert.to,
        ["rina@contoh.id"],
        "only the confirmed breaking reader"
    );
    assert!(
        alert
            .data
            .contains("Subject: Breaking news: Gunung Lewotobi"),
        "{}",
        alert.data
    );
    assert!(
        decoded(&alert).contains("http://warta.test/kanal/nasional"),
        "{}",
        alert.data
    );
    assert!(
        alert
            .data
            .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    );
    assert!(
        mails.recv_timeout(Duration::from_secs(2)).is_err(),
        "nobody else: not the digest reader, not the unconfirmed one"
    );

    // A reader who chose one section hears of breaking articles in it, not of the rest.
    publish(
        &editor,
        &server,
        "Jalan Trans-Papua Dibuka untuk Umum",
        "Regional",
        false,
    )
    .await;
    let http = browser();
    let html = http
        .get(server.url("/buletin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ids = attrs(&html, "input[name=kanal]", "value");
    let names = texts(&html, "input[name=kanal] + label");
    let regional = ids[names.iter().position(|n| n == "Regional").unwrap()].clone();
    let token = csrf(&http, &server, "/buletin").await;
    let response = http
        .post(server.url("/buletin"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "sari@contoh.id"),
            ("daftar", "breaking"),
            ("kanal", regional.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let confirm = link(&next_mail(&mails), "/buletin/konfirmasi");
    server
        .text(confirm.trim_start_matches("http://warta.test"))
        .await;
    publish(
        &editor,
        &server,
        "Banjir Bandang Terjang Sentani",
        "Regional",
        true,
    )
    .await;
    let mut to: Vec<String> = (0..2).flat_map(|_| next_mail(&mails).to).collect();
    to.sort();
    assert_eq!(to, ["rina@contoh.id", "sari@contoh.id"]);
    publish(&editor, &server, "Rupiah Menguat Tajam", "Ekonomi", true).await;
    assert_eq!(next_mail(&mails).to, ["rina@contoh.id"]);
    assert!(
        mails.recv_timeout(Duration::from_secs(2)).is_err(),
        "not the reader of Regional only"
    );
}

/// A site with one article published `hours_ago` and a confirmed reader of the daily digest,
/// whose digests are drafted from midnight on (so today's is due at once).
async fn digest_site(hours_ago: i64) -> Site {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    std::fs::write(site.data_dir.join("warta.toml"), "digest_hour = 0\n").unwrap();
    let fresh = site.data_dir.join("fresh.json");
    let published = (chrono::Utc::now() - chrono::Duration::hours(hours_ago)).to_rfc3339();
    std::fs::write(
        &fresh,
        serde_json::json!({"items": [{
            "headline": "Pelabuhan Bitung Tambah Dermaga Peti Kemas",
            "published_at": published,
            "body_markdown": "Dermaga baru mulai melayani kapal pekan depan.",
            "section": "Ekonomi"
        }]})
        .to_string(),
    )
    .unwrap();
    assert!(site.import(&[&fresh]).status.success());
    add_subscribers(&site, &["harian@contoh.id".to_owned()], "daily").await;
    site
}

/// When mailing `id` goes out by itself, as stored.
async fn send_at(site: &Site, id: i64) -> Option<i64> {
    let store = site.store().await;
    let mut conn = store.pool().acquire().await.unwrap();
    let mailing = warta_store::newsletters::mailing(&mut conn, id)
        .await
        .unwrap();
    drop(conn);
    store.close().await;
    mailing.unwrap().send_at
}

/// [`digest_site`] served with an SMTP sink, sending automatic digests `send_after` minutes
/// after drafting them.
async fn serve_digests(
    hours_ago: i64,
    send_after: &str,
) -> (Site, Server, mpsc::Receiver<SmtpMail>) {
    let site = digest_site(hours_ago).await;
    let (port, mails) = smtp_sink(None, Duration::ZERO);
    let mut command = site.command();
    command
        .env("WARTA_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
        .env("WARTA_DIGEST_SEND_AFTER", send_after);
    let server = site.serve_with(command, &[]);
    (site, server, mails)
}

/// The newsroom path of the first mailing its desk lists, once the server has drafted one.
async fn first_mailing(editor: &reqwest::Client, server: &Server) -> String {
    for _ in 0..100 {
        let desk = fetch(editor, server, "/redaksi/buletin").await;
        if let Some(path) = attrs(&desk, "table a[href^='/redaksi/buletin/']", "href").pop() {
            return path;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no digest drafted");
}

#[tokio::test]
async fn an_automatic_digest_goes_out_by_itself_unless_an_editor_holds_it() {
    // Sent at once: the reader gets it with no editor involved.
    let (_site, server, mails) = serve_digests(1, "0").await;
    let mail = next_mail(&mails);
    assert_eq!(mail.to, ["harian@contoh.id"]);
    assert!(
        decoded(&mail).contains("Pelabuhan Bitung Tambah Dermaga Peti Kemas"),
        "{}",
        mail.data
    );
    let editor = signed_in(&server, "editor").await;
    let desk = first_mailing(&editor, &server).await;
    let page = fetch(&editor, &server, &desk).await;
    assert!(
        texts(&page, "p strong")
            .iter()
            .any(|s| s == "sent" || s == "sending"),
        "{page}"
    );
    drop(server);

    // Due in an hour: the desk says when, and an editor holds it for review.
    let (site, server, mails) = serve_digests(1, "60").await;
    let editor = signed_in(&server, "editor").await;
    let desk = first_mailing(&editor, &server).await;
    let page = fetch(&editor, &server, &desk).await;
    let auto = texts(&page, "form.auto-send p");
    assert_eq!(auto.len(), 1, "{page}");
    assert!(auto[0].starts_with("Terkirim otomatis "), "{}", auto[0]);
    assert!(auto[0].contains(" WIB"), "{}", auto[0]);
    let id: i64 = desk.rsplit('/').next().unwrap().parse().unwrap();
    let due_in_an_hour = send_at(&site, id).await.expect("a time to go out");
    let in_an_hour = chrono::Utc::now().timestamp() + 3600;
    assert!((in_an_hour - 120..=in_an_hour).contains(&due_in_an_hour));
    let token = csrf(&editor, &server, &desk).await;
    let held = editor
        .post(server.url(&desk))
        .form(&[("csrf", token.as_str()), ("action", "hold")])
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), 303);
    assert_eq!(
        send_at(&site, id).await,
        None,
        "no time to go out by itself"
    );
    let page = fetch(&editor, &server, &desk).await;
    assert!(texts(&page, "form.auto-send p").is_empty(), "held");
    assert_eq!(texts(&page, "p strong")[0], "draft");
    assert!(
        mails.recv_timeout(Duration::from_secs(2)).is_err(),
        "nothing sent"
    );
    // Sending it is the editor's, as for any draft.
    send(&editor, &server, &desk, "Ringkasan pilihan", "").await;
    assert_eq!(next_mail(&mails).to, ["harian@contoh.id"]);
    drop(server);

    // A digest with nothing in it (the one article is three days old) is held, not sent.
    let (_site, server, mails) = serve_digests(72, "0").await;
    let editor = signed_in(&server, "editor").await;
    let desk = first_mailing(&editor, &server).await;
    assert!(
        mails.recv_timeout(Duration::from_secs(2)).is_err(),
        "an empty digest is not sent"
    );
    let page = fetch(&editor, &server, &desk).await;
    assert_eq!(texts(&page, "p strong")[0], "draft");
    assert!(texts(&page, "form.auto-send p").is_empty(), "held");
}

/// Publishes an article now, optionally marked as breaking news.
async fn publish(
    http: &reqwest::Client,
    server: &Server,
    headline: &str,
    section: &str,
    breaking: bool,
) {
    let (csrf, version) = common::editor(http, server, "/redaksi/tulis")
        .await
        .unwrap();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("action", "publish"),
        ("headline", headline),
        ("body", "Paragraf pertama."),
        ("section", section),
        ("authors", "Orang editor"),
        ("zone", "WIB"),
        ("published_at", ""),
    ];
    if breaking {
        form.push(("breaking", "1"));
    }
    let response = http
        .post(server.url("/redaksi/tulis"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{headline} published");
}

/// Drafts a daily digest of all sections as an editor; the draft's newsroom path.
async fn draft_daily(editor: &reqwest::Client, server: &Server) -> String {
    let token = csrf(editor, server, "/redaksi/buletin").await;
    let drafted = editor
        .post(server.url("/redaksi/buletin"))
        .form(&[("csrf", token.as_str()), ("list", "daily"), ("section", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(drafted.status(), 303);
    drafted.headers()["location"].to_str().unwrap().to_owned()
}

/// Edits the draft at `desk` and sends it.
async fn send(editor: &reqwest::Client, server: &Server, desk: &str, subject: &str, intro: &str) {
    let token = csrf(editor, server, desk).await;
    let sent = editor
        .post(server.url(desk))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "send"),
            ("subject", subject),
            ("intro", intro),
            ("article_ids", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
}

async fn digest_across_restart(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    add_users(&site);
    // A sink that takes 40 ms per message and refuses one mailbox, like a bounce.
    let (port, mails) = smtp_sink(Some("pantul"), Duration::from_millis(40));
    let mut server = serve_with_smtp(&site, port);
    let mut addresses: Vec<String> = (0..80)
        .map(|n| format!("pembaca{n:02}@contoh.id"))
        .collect();
    addresses.push("pantul@contoh.id".into());
    add_subscribers(&site, &addresses, "daily").await;

    let editor = signed_in(&server, "editor").await;
    let desk = draft_daily(&editor, &server).await;
    let id = desk.trim_start_matches("/redaksi/buletin/").to_owned();
    // The draft is editable before it goes, and is not public yet.
    let (status, _) = server.text(&format!("/buletin/edisi/{id}")).await;
    assert_eq!(status, 404, "drafts have no web version");
    // An article number mistyped is refused by name, and the edit comes back as typed.
    let (status, page) = post_form(
        &editor,
        &server,
        &desk,
        "save",
        &[("subject", "Judul baru"), ("article_ids", "12, 3x4")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Artikel: nomor artikel dipisah koma; &#34;3x4&#34; bukan angka"),
        "{page}"
    );
    assert!(
        page.contains(r#"name="subject" value="Judul baru""#),
        "{page}"
    );
    assert!(
        page.contains(r#"name="article_ids" value="12, 3x4""#),
        "{page}"
    );
    send(
        &editor,
        &server,
        &desk,
        "Ringkasan pagi: edisi uji",
        "Selamat pagi. Ini yang perlu Anda tahu hari ini.",
    )
    .await;
    // A save from a page left open on the sent mailing is refused with the edit shown.
    let (status, page) = post_form(
        &editor,
        &server,
        &desk,
        "save",
        &[("subject", "Terlambat"), ("article_ids", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("sudah terkirim selagi Anda menyunting"),
        "{page}"
    );
    assert!(
        page.contains(r#"name="subject" value="Terlambat""#),
        "{page}"
    );

    // Stop the server (SIGTERM) part way through the run.
    let mut received: Vec<SmtpMail> = Vec::new();
    while received.len() < 15 {
        received.push(next_mail(&mails));
    }
    let status = terminate(&mut server);
    assert!(status.success(), "a clean exit: {status:?}");
    // What was in flight when it stopped has arrived by now.
    while let Ok(mail) = mails.recv_timeout(Duration::from_millis(500)) {
        received.push(mail);
    }
    assert!(
        received.len() < 80,
        "stopped before the end ({} sent)",
        received.len()
    );

    // The restarted server carries on from the queue.
    let server = serve_with_smtp(&site, port);
    while received.len() < 80 {
        received.push(next_mail(&mails));
    }
    assert!(
        mails.recv_timeout(Duration::from_secs(2)).is_err(),
        "nothing beyond one mail per subscriber"
    );
    let mut per_address: HashMap<String, usize> = HashMap::new();
    for mail in &received {
        for to in &mail.to {
            *per_address.entry(to.clone()).or_default() += 1;
        }
    }
    assert_eq!(per_address.len(), 80, "every subscriber but the bounce");
    assert!(per_address.values().all(|n| *n == 1), "exactly once each");
    assert!(!per_address.contains_key("pantul@contoh.id"));

    let mail = &received[0];
    assert!(
        mail.data.contains("Subject: Ringkasan pagi: edisi uji"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("Content-Type: multipart/alternative"),
        "{}",
        mail.data
    );
    assert!(decoded(mail).contains(&format!("http://warta.test/buletin/edisi/{id}")));
    let unsubscribe = mail
        .data
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .expect("a List-Unsubscribe header")
        .trim_end_matches('>')
        .to_owned();
    assert!(
        mail.data
            .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    );

    // The newsroom sees the run finished, with the bounce recorded.
    let page = fetch(&editor, &server, &desk).await;
    assert!(page.contains("Status: <strong>sent</strong>"), "{page}");
    assert!(
        page.contains("1 failed") && page.contains("80 sent"),
        "{page}"
    );
    let (status, web) = server.text(&format!("/buletin/edisi/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(texts(&web, "h1"), ["Ringkasan pagi: edisi uji"]);

    // One click, as a mail program does it: a POST with the RFC 8058 body, no cookies.
    let path = unsubscribe.trim_start_matches("http://warta.test");
    let left = reqwest::Client::new()
        .post(server.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 200);
    let manage = path.replace("/buletin/berhenti", "/buletin/kelola");
    let (_, page) = server.text(&manage).await;
    assert!(
        attrs(&page, "#n-daily", "checked").is_empty(),
        "no longer on the daily list"
    );
}

#[tokio::test]
async fn a_digest_reaches_each_subscriber_once_across_a_restart_on_sqlite() {
    digest_across_restart(Engine::Sqlite).await;
}

#[tokio::test]
async fn a_digest_reaches_each_subscriber_once_across_a_restart_on_postgres() {
    digest_across_restart(Engine::Postgres).await;
}

/// Throughput against a local SMTP sink that answers at once: `bash bench/newsletter.sh`.
/// Ignored in the test run (speed is a benchmark's business, not a test's).
#[tokio::test]
#[ignore = "a benchmark; run with bench/newsletter.sh"]
async fn newsletter_throughput() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let (port, mails) = smtp_sink(None, Duration::ZERO);
    let server = serve_with_smtp(&site, port);
    let count: usize = std::env::var("WARTA_BENCH_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let addresses: Vec<String> = (0..count).map(|n| format!("p{n:05}@contoh.id")).collect();
    add_subscribers(&site, &addresses, "daily").await;
    let editor = signed_in(&server, "editor").await;
    let desk = draft_daily(&editor, &server).await;
    let started = std::time::Instant::now();
    send(&editor, &server, &desk, "Ringkasan uji kecepatan", "").await;
    for _ in 0..count {
        next_mail(&mails);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "newsletter: {count} messages in {seconds:.2} s = {:.0} messages/s (local SMTP sink, 16 connections)",
        count as f64 / seconds
    );
}

/// Behind a reverse proxy every reader arrives from the proxy's address; with the proxy
/// trusted, sign-ups are limited per reader (the address the proxy forwards), not site-wide.
#[tokio::test]
async fn behind_a_trusted_proxy_limits_go_by_the_forwarded_address() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let mut command = site.command();
    command.env("WARTA_TRUSTED_PROXIES", "127.0.0.1");
    let server = site.serve_with(command, &[]);
    let from = |ip: &'static str, n: usize| {
        let server = &server;
        async move {
            let http = browser();
            let token = csrf(&http, server, "/buletin").await;
            let email = format!("pembaca{n}@contoh.id");
            http.post(server.url("/buletin"))
                .header("x-forwarded-for", ip)
                .form(&[
                    ("csrf", token.as_str()),
                    ("email", email.as_str()),
                    ("daftar", "breaking"),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for n in 0..5 {
        assert_eq!(from("198.51.100.7", n).await, 200, "sign-up {n}");
    }
    assert_eq!(
        from("198.51.100.7", 5).await,
        429,
        "the sixth from one reader"
    );
    assert_eq!(
        from("198.51.100.8", 6).await,
        200,
        "another reader is not held back"
    );
}
