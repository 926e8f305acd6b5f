//! Accounts over HTTP: register, verify by e-mailed link, sign in and out, CSRF, rate limits,
//! password reset and change, and `warta user` on the shell.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::path::Path;

use common::{Engine, Server, Site, attrs, browser, csrf, fetch, sign_in, texts};

/// The link in the newest mail in the outbox that starts with `prefix`.
fn mailed_link(data_dir: &Path, prefix: &str) -> String {
    let mut mails: Vec<_> = std::fs::read_dir(data_dir.join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    mails.sort();
    let text = std::fs::read_to_string(mails.last().unwrap()).unwrap();
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

async fn register(
    http: &reqwest::Client,
    server: &Server,
    name: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let token = csrf(http, server, "/daftar").await;
    http.post(server.url("/daftar"))
        .form(&[
            ("csrf", token.as_str()),
            ("name", name),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

async fn account_flow(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    let server = site.serve(&["--demo"]);
    let base = "http://warta.test".to_owned();

    // Register: signed in at once, a verification mail in the outbox.
    let http = browser();
    let response = register(
        &http,
        &server,
        "Sari Dewi",
        "Sari@Contoh.id",
        "kata-sandi-panjang",
    )
    .await;
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("warta_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
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
            .any(|d| d.contains("sari@contoh.id"))
    );
    assert!(!texts(&account, ".notice").is_empty(), "not verified yet");
    assert_eq!(texts(&account, ".account-menu summary"), vec!["Sari Dewi"]);

    // Comments wait for a verified address: the article shows the way to it instead of the
    // form, a post is refused, and the account page mails the link again.
    let (_, list) = server.json("/api/v1/articles?limit=1").await;
    let article_url = list["items"][0]["url"].as_str().unwrap().to_owned();
    let article_id = list["items"][0]["id"].to_string();
    let page = fetch(&http, &server, &article_url).await;
    assert!(
        attrs(&page, "#komentar-baru", "name").is_empty(),
        "no form yet"
    );
    assert_eq!(
        texts(&page, "#komentar a[href='/akun']"),
        ["Verifikasi alamat surel Anda untuk berkomentar"]
    );
    let token = csrf(&http, &server, "/akun").await;
    let comment = async || {
        http.post(server.url("/komentar"))
            .form(&[
                ("csrf", token.as_str()),
                ("article_id", article_id.as_str()),
                ("body", "Komentar pertama saya."),
            ])
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(comment().await, 403);
    let first_link = mailed_link(&site.data_dir, &format!("{base}/verifikasi?token="));
    let resent = http
        .post(server.url("/akun/verifikasi"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resent.status(), 200);
    assert!(
        resent
            .text()
            .await
            .unwrap()
            .contains("dikirim ke sari@contoh.id")
    );

    // Verify through the mailed link (the newest).
    let link = mailed_link(&site.data_dir, &format!("{base}/verifikasi?token="));
    assert_ne!(link, first_link, "a new link");
    let verified = http
        .get(server.url(link.trim_start_matches(&base)))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), 200);
    let again = http
        .get(server.url(link.trim_start_matches(&base)))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 400, "a link works once");
    assert_eq!(comment().await, 303, "verified readers comment");

    // The same address cannot register twice; the form keeps what was typed.
    let other = browser();
    let response = register(
        &other,
        &server,
        "Sari Lain",
        "sari@contoh.id",
        "kata-sandi-panjang",
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(attrs(&html, "input[name=name]", "value"), vec!["Sari Lain"]);
    assert!(
        texts(&html, ".field-error")
            .iter()
            .any(|e| e.contains("sudah terdaftar"))
    );

    // Invalid fields are named, a password too long as too long.
    let long = "x".repeat(1025);
    let response = register(&other, &server, "Sari Lain", "lain@contoh.id", &long).await;
    assert_eq!(
        texts(&response.text().await.unwrap(), "#e-password"),
        ["Kata sandi paling banyak 1024 karakter."]
    );
    let response = register(&other, &server, "", "bukan-email", "pendek").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        texts(&response.text().await.unwrap(), ".field-error").len(),
        3
    );

    // Sign out (CSRF required), then in again: a new session id.
    let home = http
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = attrs(&home, ".account-menu input[name=csrf]", "value").remove(0);
    let forged = http
        .post(server.url("/keluar"))
        .form(&[("csrf", "0".repeat(64))])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let out = http
        .post(server.url("/keluar"))
        .form(&[("csrf", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(
        http.get(server.url("/akun")).send().await.unwrap().status(),
        303,
        "signed out"
    );

    let wrong = sign_in(&http, &server, "sari@contoh.id", "salah-sandi-sekali").await;
    assert_eq!(wrong.status(), 401);
    let html = wrong.text().await.unwrap();
    assert!(texts(&html, ".form-error")[0].contains("salah"));
    assert_eq!(
        attrs(&html, "input[name=email]", "value"),
        vec!["sari@contoh.id"],
        "typed input kept"
    );
    let right = sign_in(&http, &server, "sari@contoh.id", "kata-sandi-panjang").await;
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], "/akun");
    let second_cookie = right.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert_ne!(
        second_cookie.split(';').next(),
        cookie.split(';').next(),
        "session id rotated"
    );
    // `next` leads only to this site: browsers read "/\t/host" as "//host".
    for elsewhere in [
        "//evil.example",
        "/\t/evil.example",
        "/\\evil.example",
        "https://evil.example",
    ] {
        let token = csrf(&http, &server, "/masuk").await;
        let response = http
            .post(server.url("/masuk"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "sari@contoh.id"),
                ("password", "kata-sandi-panjang"),
                ("next", elsewhere),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{elsewhere:?}");
        assert_eq!(response.headers()["location"], "/", "{elsewhere:?}");
    }

    // A field that is not UTF-8 text is refused by name (it would have been read with every
    // bad byte as U+FFFD: `%ff` and `%fe` the same password).
    let token = csrf(&http, &server, "/masuk").await;
    let garbled = http
        .post(server.url("/masuk"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrf={token}&email=sari%40contoh.id&password=%ff%ff%ff%ff%ff%ff%ff%ff%ff%ff"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(garbled.status(), 400);
    let said = garbled.text().await.unwrap();
    assert!(
        said.contains("password") && said.contains("UTF-8"),
        "{said}"
    );

    // Signed-in pages are personal: never from the shared page cache.
    let home = http.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["cache-control"], "private, no-cache");
    assert!(home.text().await.unwrap().contains("Sari Dewi"));
    let anonymous = reqwest::get(server.url("/")).await.unwrap();
    assert_eq!(
        anonymous.headers()["cache-control"],
        "public, max-age=0, must-revalidate",
        "browsers revalidate, so a later sign-in never meets a stale page"
    );
    let anonymous = anonymous.text().await.unwrap();
    assert!(!anonymous.contains("Sari Dewi"));
    assert_eq!(texts(&anonymous, ".sign-in"), vec!["Masuk"]);

    // A password change gives this session a new secret: a copy of the old cookie (the reason
    // to change a password) no longer signs anyone in; this browser stays signed in, for as long
    // as its session had, and the page's forms carry the new session's token.
    let change = async |from: &str, to: &str| {
        let token = csrf(&http, &server, "/akun/sandi").await;
        let changed = http
            .post(server.url("/akun/sandi"))
            .form(&[
                ("csrf", token.as_str()),
                ("current", from),
                ("password", to),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200);
        let cookie = changed.headers()["set-cookie"].to_str().unwrap().to_owned();
        (cookie, changed.text().await.unwrap())
    };
    let (renewed, page) = change("kata-sandi-panjang", "kata-sandi-lain-lagi").await;
    let old_pair = second_cookie.split(';').next().unwrap();
    assert_ne!(renewed.split(';').next().unwrap(), old_pair);
    assert!(
        !renewed.contains("Max-Age"),
        "{renewed}: an ordinary session stays one"
    );
    let stolen = common::client()
        .get(server.url("/akun"))
        .header("cookie", old_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(stolen.status(), 303, "the old secret is void");
    assert_eq!(
        http.get(server.url("/akun")).send().await.unwrap().status(),
        200
    );
    let sign_out_token = attrs(&page, "form[action='/keluar'] input[name=csrf]", "value");
    assert_eq!(sign_out_token, vec![csrf(&http, &server, "/akun").await]);
    change("kata-sandi-lain-lagi", "kata-sandi-panjang").await;
    // Two changes sent at once (a double click): this browser stays signed in, whichever
    // answer comes last.
    let token = csrf(&http, &server, "/akun/sandi").await;
    let send = || {
        http.post(server.url("/akun/sandi"))
            .form(&[
                ("csrf", token.as_str()),
                ("current", "kata-sandi-panjang"),
                ("password", "kata-sandi-panjang"),
            ])
            .send()
    };
    let (first, second) = tokio::join!(send(), send());
    let statuses = [first.unwrap().status(), second.unwrap().status()];
    assert!(statuses.contains(&reqwest::StatusCode::OK), "{statuses:?}");
    assert_eq!(
        http.get(server.url("/akun")).send().await.unwrap().status(),
        200
    );

    // Forgotten password: the same answer for unknown addresses; the link resets once and ends
    // every session.
    let stranger = browser();
    let token = csrf(&stranger, &server, "/lupa-sandi").await;
    let unknown = stranger
        .post(server.url("/lupa-sandi"))
        .form(&[("csrf", token.as_str()), ("email", "tidak@ada.id")])
        .send()
        .await
        .unwrap();
    let known = stranger
        .post(server.url("/lupa-sandi"))
        .form(&[("csrf", token.as_str()), ("email", "sari@contoh.id")])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 200);
    assert_eq!(
        texts(&unknown.text().await.unwrap(), "main p[role=status]"),
        texts(&known.text().await.unwrap(), "main p[role=status]")
    );
    // A mistyped address is refused as typed, before any account is looked up.
    let mistyped = stranger
        .post(server.url("/lupa-sandi"))
        .form(&[("csrf", token.as_str()), ("email", "sari.contoh.id")])
        .send()
        .await
        .unwrap();
    assert_eq!(mistyped.status(), 422);
    let mistyped = mistyped.text().await.unwrap();
    assert_eq!(attrs(&mistyped, "#f-email", "value"), ["sari.contoh.id"]);
    assert_eq!(attrs(&mistyped, "#f-email", "aria-invalid"), ["true"]);
    assert_eq!(
        texts(&mistyped, "#e-email"),
        ["Masukkan alamat surel yang valid, misalnya nama@contoh.id."]
    );
    // Asked twice: the first link must die with the reset the second one makes.
    let earlier = mailed_link(&site.data_dir, &format!("{base}/sandi-baru?token="));
    let again = stranger
        .post(server.url("/lupa-sandi"))
        .form(&[("csrf", token.as_str()), ("email", "sari@contoh.id")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let link = mailed_link(&site.data_dir, &format!("{base}/sandi-baru?token="));
    assert_ne!(link, earlier);
    let earlier_token = earlier.split("token=").nth(1).unwrap().to_owned();
    let reset_token = link.split("token=").nth(1).unwrap().to_owned();
    let token = csrf(&stranger, &server, link.trim_start_matches(&base)).await;
    let short = stranger
        .post(server.url("/sandi-baru"))
        .form(&[
            ("csrf", token.as_str()),
            ("token", &reset_token),
            ("password", "pendek"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 422);
    let done = stranger
        .post(server.url("/sandi-baru"))
        .form(&[
            ("csrf", token.as_str()),
            ("token", &reset_token),
            ("password", "sandi-baru-yang-panjang"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(
        http.get(server.url("/akun")).send().await.unwrap().status(),
        303,
        "old sessions ended"
    );
    let stale = stranger
        .post(server.url("/sandi-baru"))
        .form(&[
            ("csrf", token.as_str()),
            ("token", &earlier_token),
            ("password", "sandi-penyusup-panjang"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 400, "an older link no longer resets");
    assert_eq!(
        sign_in(&browser(), &server, "sari@contoh.id", "kata-sandi-panjang")
            .await
            .status(),
        401
    );
    assert_eq!(
        sign_in(
            &browser(),
            &server,
            "sari@contoh.id",
            "sandi-baru-yang-panjang"
        )
        .await
        .status(),
        303
    );
}

#[tokio::test]
async fn accounts_on_sqlite() {
    account_flow(Engine::Sqlite).await;
}

#[tokio::test]
async fn accounts_on_postgres() {
    account_flow(Engine::Postgres).await;
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_account() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let add = site
        .command()
        .args([
            "user",
            "add",
            "--role",
            "editor",
            "--name",
            "Redaktur",
            "redaktur@contoh.id",
        ])
        .env("WARTA_USER_PASSWORD", "sandi-redaktur-panjang")
        .output()
        .unwrap();
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let server = site.serve(&[]);
    let http = browser();
    for _ in 0..5 {
        assert_eq!(
            sign_in(&http, &server, "redaktur@contoh.id", "salah-salah-salah")
                .await
                .status(),
            401
        );
    }
    let blocked = sign_in(
        &http,
        &server,
        "redaktur@contoh.id",
        "sandi-redaktur-panjang",
    )
    .await;
    assert_eq!(blocked.status(), 429);
    assert!(
        texts(&blocked.text().await.unwrap(), "main p")
            .iter()
            .any(|p| p.contains("Terlalu banyak percobaan"))
    );
}

#[tokio::test]
async fn user_commands_manage_roles() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let add = site
        .command()
        .args(["user", "add", "--role", "admin", "admin@contoh.id"])
        .env("WARTA_USER_PASSWORD", "sandi-admin-panjang")
        .output()
        .unwrap();
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let bad = site
        .command()
        .args(["user", "add", "--role", "raja", "x@contoh.id"])
        .env("WARTA_USER_PASSWORD", "sandi-admin-panjang")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("expected reader, contributor, writer, editor or admin")
    );
    let short = site
        .command()
        .args(["user", "add", "y@contoh.id"])
        .env("WARTA_USER_PASSWORD", "pendek")
        .output()
        .unwrap();
    assert!(!short.status.success());
    let set = site
        .command()
        .args(["user", "set-role", "admin@contoh.id", "editor"])
        .output()
        .unwrap();
    assert!(set.status.success());
    let list = site.command().args(["user", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains("admin@contoh.id\teditor\tadmin\tverified"),
        "{list}"
    );
}
