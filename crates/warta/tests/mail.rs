//! Mail over SMTP: a password-reset link reaches a real SMTP conversation (a small sink that
//! speaks the protocol on a local port), and a dead server does not break the form.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::{
    io::{BufRead, BufReader, Write},
    net::TcpListener,
    sync::mpsc,
    time::Duration,
};

use common::{Engine, Site, browser, csrf, texts};

/// Accepts SMTP sessions and sends each message's DATA to the channel.
fn smtp_sink() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                let mut reply = |text: &str| writer.write_all(text.as_bytes()).is_ok();
                reply("220 sink ESMTP\r\n");
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    let command = line.trim_end().to_ascii_uppercase();
                    let ok = if command.starts_with("EHLO") || command.starts_with("HELO") {
                        reply("250 sink\r\n")
                    } else if command.starts_with("DATA") {
                        reply("354 go on\r\n");
                        let mut data = String::new();
                        let mut part = String::new();
                        while reader.read_line(&mut part).is_ok_and(|n| n > 0) {
                            if part == ".\r\n" {
                                break;
                            }
                            data.push_str(&part);
                            part.clear();
                        }
                        let _ = tx.send(data);
                        reply("250 queued\r\n")
                    } else if command.starts_with("QUIT") {
                        reply("221 bye\r\n");
                        false
                    } else {
                        reply("250 OK\r\n")
                    };
                    if !ok {
                        break;
                    }
                    line.clear();
                }
            });
        }
    });
    (port, rx)
}

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
    let (port, mails) = smtp_sink();
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
        .expect("a mail reached the SMTP server");
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
