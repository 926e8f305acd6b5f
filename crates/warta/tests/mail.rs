//! Mail over SMTP: a password-reset link reaches a real SMTP conversation (a small sink that
//! speaks the protocol on a local port), and a dead server does not break the form.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::{net::TcpListener, time::Duration};

use common::{Engine, Site, browser, csrf, smtp_sink, texts};

#[tokio::test]
async fn reset_links_go_out_over_smtp() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let add = site
        .command()
        .args(["user", "add", "--name", "Sari", "sari@contoh.id"])
        .env("WARTA_USER_PASSWORD", "kata-sandi-panjang")
        .output()
        .unwrap();
    assert!(add.status.success());
    let (port, mails) = smtp_sink(None, Duration::ZERO);
    let mut command = site.command();
    command
        .env("WARTA_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
        .env("WARTA_MAIL_FROM", "Redaksi Uji <redaksi@contoh.id>");
    let server = site.serve_with(command, &[]);
    let http = browser();
    let token = csrf(&http, &server, "/lupa-sandi").await;
    let response = http
        .post(server.url("/lupa-sandi"))
        .form(&[("csrf", token.as_str()), ("email", "sari@contoh.id")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mail = mails
        .recv_timeout(Duration::from_secs(10))
        .expect("a mail reached the SMTP server")
        .data;
    assert!(mail.contains("To: sari@contoh.id"), "{mail}");
    assert!(
        mail.contains("From: \"Redaksi Uji\" <redaksi@contoh.id>")
            || mail.contains("From: Redaksi Uji <redaksi@contoh.id>"),
        "{mail}"
    );
    assert!(
        mail.contains("http://warta.test/sandi-baru?token="),
        "{mail}"
    );
    assert!(
        !site.data_dir.join("outbox").exists(),
        "nothing in the outbox when SMTP is set"
    );
}

#[tokio::test]
async fn a_dead_smtp_server_does_not_break_registration() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = site.command();
    command.env("WARTA_SMTP_URL", format!("smtp://127.0.0.1:{port}"));
    let server = site.serve_with(command, &[]);
    let http = browser();
    let token = csrf(&http, &server, "/daftar").await;
    let response = http
        .post(server.url("/daftar"))
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Budi"),
            ("email", "budi@contoh.id"),
            ("password", "kata-sandi-panjang"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        303,
        "registered even though the mail could not go out"
    );
    let account = http
        .get(server.url("/akun"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        texts(&account, ".account dd")
            .iter()
            .any(|d| d.contains("budi@contoh.id"))
    );
}
