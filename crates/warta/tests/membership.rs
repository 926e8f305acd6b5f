//! The "+" membership over HTTP: an admin sells a plan, a reader checks out with Stripe or
//! Midtrans (each played by a local test double of its API), the provider's notification —
//! signed exactly as its documentation says — makes the reader a member once however often it
//! is repeated, and tampered, mis-signed, replayed or wrong-amount notifications change nothing.
//! Without a provider, checkout says so and the shell grants memberships.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{Engine, Receiver, Server, Site, add_users, attrs, csrf, post_form, signed_in, texts};
use warta_core::membership::{midtrans_signature, stripe_signature};

/// What the providers' APIs answer: the payment page to send the reader to.
fn provider_answer(path: &str) -> &'static str {
    if path.contains("checkout/sessions") {
        r#"{"id":"cs_test_1","url":"https://checkout.stripe.test/c/cs_test_1"}"#
    } else {
        r#"{"token":"snap-token","redirect_url":"https://app.sandbox.midtrans.test/snap/v4/redirection/snap-token"}"#
    }
}

async fn add_plan(server: &Server) {
    let admin = signed_in(server, "admin").await;
    let token = csrf(&admin, server, "/redaksi/langganan").await;
    let response = admin
        .post(server.url("/redaksi/langganan"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "plan"),
            ("name", "Lintas Kabar+"),
            ("price", "49.000"),
            ("period", "monthly"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

/// The reader's checkout: the provider's page to go to.
async fn checkout(http: &reqwest::Client, server: &Server) -> String {
    let html = http
        .get(server.url("/langganan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = attrs(
        &html,
        "form[action='/langganan/bayar'] input[name=csrf]",
        "value",
    )
    .remove(0);
    let plan = attrs(
        &html,
        "form[action='/langganan/bayar'] input[name=plan_id]",
        "value",
    )
    .remove(0);
    let response = http
        .post(server.url("/langganan/bayar"))
        .form(&[("csrf", token.as_str()), ("plan_id", plan.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// What "Langganan saya" says.
async fn status(http: &reqwest::Client, server: &Server) -> String {
    let html = http
        .get(server.url("/akun/langganan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    texts(&html, "main p").join(" ")
}

/// The demo site with its users and a plan, selling through Stripe (played by `fake`).
async fn stripe_site(site: &Site, fake: &Receiver) -> Server {
    add_users(site);
    let mut command = site.command();
    command
        .env("WARTA_STRIPE_SECRET_KEY", "sk_test_uji")
        .env("WARTA_STRIPE_WEBHOOK_SECRET", "whsec_uji")
        .env("WARTA_STRIPE_API_URL", &fake.base);
    let server = site.serve_with(command, &["--demo"]);
    add_plan(&server).await;
    server
}

#[tokio::test]
async fn stripe_checkout_and_webhooks() {
    let fake = Receiver::start(provider_answer, 0).await;
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = stripe_site(&site, &fake).await;

    // The invitation shows to readers who are not members.
    let reader = signed_in(&server, "reader").await;
    let (_, list) = server.json("/api/v1/articles?limit=1").await;
    let article = list["items"][0]["url"].as_str().unwrap().to_owned();
    let page = reader
        .get(server.url(&article))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        texts(&page, ".join a"),
        ["Baca berita tanpa iklan. Gabung Lintas Kabar+"]
    );

    assert_eq!(
        checkout(&reader, &server).await,
        "https://checkout.stripe.test/c/cs_test_1"
    );
    let asked = fake.requests().remove(0);
    assert_eq!(asked.path, "/v1/checkout/sessions");
    assert!(asked.header("authorization").unwrap().starts_with("Basic "));
    let form: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(&asked.body).unwrap();
    assert_eq!(form["line_items[0][price_data][unit_amount]"], "4900000");
    assert_eq!(form["line_items[0][price_data][currency]"], "idr");
    assert_eq!(form["mode"], "subscription");
    assert_eq!(
        form["line_items[0][price_data][recurring][interval]"],
        "month"
    );
    let order = form["client_reference_id"].clone();
    assert!(order.starts_with("WRT-"));

    let http = reqwest::Client::new();
    let event = |amount: i64| {
        serde_json::json!({"type": "checkout.session.completed", "data": {"object": {
            "client_reference_id": order, "amount_total": amount, "payment_status": "paid",
            "subscription": "sub_uji_1"}}})
        .to_string()
    };
    let send = |body: String, header: String| {
        let http = http.clone();
        let url = server.url("/langganan/stripe");
        async move {
            http.post(url)
                .header("stripe-signature", header)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let now = chrono::Utc::now().timestamp();
    let good = event(4_900_000);
    let signed = |body: &str, t: i64, secret: &str| {
        format!("t={t},v1={}", stripe_signature(t, body.as_bytes(), secret))
    };

    // Refused: a body changed after signing, the wrong secret, an old signature, the wrong amount.
    assert_eq!(
        send(
            good.replace("4900000", "100"),
            signed(&good, now, "whsec_uji")
        )
        .await,
        400
    );
    assert_eq!(
        send(good.clone(), signed(&good, now, "whsec_lain")).await,
        400
    );
    assert_eq!(
        send(good.clone(), signed(&good, now - 301, "whsec_uji")).await,
        400
    );
    let cheap = event(100);
    assert_eq!(
        send(cheap.clone(), signed(&cheap, now, "whsec_uji")).await,
        400
    );
    assert_eq!(send(good.clone(), "v1=abc".into()).await, 400);
    assert!(
        status(&reader, &server)
            .await
            .contains("belum berlangganan")
    );

    // Accepted once; repeats change nothing.
    assert_eq!(
        send(good.clone(), signed(&good, now, "whsec_uji")).await,
        200
    );
    let first = status(&reader, &server).await;
    assert!(first.contains("anggota Lintas Kabar+ sampai"), "{first}");
    assert_eq!(
        send(good.clone(), signed(&good, now, "whsec_uji")).await,
        200
    );
    assert_eq!(
        status(&reader, &server).await,
        first,
        "a repeated notification extends nothing"
    );

    // A renewal invoice extends by a month, once; a wrong amount changes nothing.
    let renewal = |id: &str, amount: i64| {
        serde_json::json!({"type": "invoice.paid", "data": {"object": {
            "id": id, "billing_reason": "subscription_cycle", "subscription": "sub_uji_1",
            "amount_paid": amount}}})
        .to_string()
    };
    let now = chrono::Utc::now().timestamp();
    let wrong = renewal("in_uji_0", 100);
    assert_eq!(
        send(wrong.clone(), signed(&wrong, now, "whsec_uji")).await,
        400
    );
    assert_eq!(status(&reader, &server).await, first);
    let paid = renewal("in_uji_1", 4_900_000);
    assert_eq!(
        send(paid.clone(), signed(&paid, now, "whsec_uji")).await,
        200
    );
    let renewed = status(&reader, &server).await;
    assert_ne!(renewed, first, "renewed: {renewed}");
    assert_eq!(
        send(paid.clone(), signed(&paid, now, "whsec_uji")).await,
        200
    );
    assert_eq!(
        status(&reader, &server).await,
        renewed,
        "a repeated invoice extends nothing"
    );

    // Members see no invitation; cancelling stops renewal and keeps the paid time.
    let page = reader
        .get(server.url(&article))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(texts(&page, ".join").is_empty());
    let token = csrf(&reader, &server, "/akun/langganan").await;
    reader
        .post(server.url("/akun/langganan"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    let after = status(&reader, &server).await;
    assert!(
        after.contains("Tidak diperpanjang") && after.contains("sampai"),
        "{after}"
    );
    let cancelled = fake
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/v1/subscriptions/"))
        .unwrap();
    assert_eq!(cancelled.path, "/v1/subscriptions/sub_uji_1");
    assert_eq!(
        cancelled.body, "cancel_at_period_end=true",
        "Stripe stops charging too"
    );
}

/// Sends a Stripe webhook signed with the test secret; the status it gets.
async fn stripe_webhook(server: &Server, event: serde_json::Value) -> u16 {
    let body = event.to_string();
    let t = chrono::Utc::now().timestamp();
    reqwest::Client::new()
        .post(server.url("/langganan/stripe"))
        .header(
            "stripe-signature",
            format!(
                "t={t},v1={}",
                stripe_signature(t, body.as_bytes(), "whsec_uji")
            ),
        )
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// An admin grants or revokes "+" for the test reader; the redirect's status.
async fn admin_member(server: &Server, action: &str, until: &str) -> u16 {
    let admin = signed_in(server, "admin").await;
    let fields = [("email", "reader@contoh.id"), ("until", until)];
    post_form(&admin, server, "/redaksi/langganan", action, &fields)
        .await
        .0
}

#[tokio::test]
async fn an_admin_gift_keeps_a_stripe_subscription_and_a_revoke_stops_it() {
    let fake = Receiver::start(provider_answer, 0).await;
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = stripe_site(&site, &fake).await;
    let reader = signed_in(&server, "reader").await;
    checkout(&reader, &server).await;
    let form: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(&fake.requests()[0].body).unwrap();
    let paid = serde_json::json!({"type": "checkout.session.completed", "data": {"object": {
        "client_reference_id": form["client_reference_id"], "amount_total": 4_900_000,
        "payment_status": "paid", "subscription": "sub_uji_1"}}});
    assert_eq!(stripe_webhook(&server, paid).await, 200);
    let renewal = |id: &str| {
        serde_json::json!({"type": "invoice.paid", "data": {"object": {
            "id": id, "billing_reason": "subscription_cycle", "subscription": "sub_uji_1",
            "amount_paid": 4_900_000}}})
    };

    // A gift to the end of 2030 keeps the subscription: the next renewal adds a month to it.
    assert_eq!(admin_member(&server, "grant", "2030-12-31").await, 303);
    let gifted = status(&reader, &server).await;
    assert!(
        gifted.contains("31/12/2030") && gifted.contains("diperpanjang otomatis"),
        "{gifted}"
    );
    assert_eq!(stripe_webhook(&server, renewal("in_uji_1")).await, 200);
    let renewed = status(&reader, &server).await;
    assert!(renewed.contains("31/01/2031"), "{renewed}");

    // A revoke stops the subscription at Stripe at once and ends the membership; a renewal
    // Stripe had already sent finds no member to extend.
    assert_eq!(admin_member(&server, "revoke", "").await, 303);
    let stopped = fake
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/v1/subscriptions/"))
        .expect("the subscription is stopped at Stripe");
    assert_eq!(
        (stopped.method.as_str(), stopped.path.as_str()),
        ("DELETE", "/v1/subscriptions/sub_uji_1")
    );
    assert!(
        status(&reader, &server)
            .await
            .contains("belum berlangganan")
    );
    assert_eq!(stripe_webhook(&server, renewal("in_uji_2")).await, 404);
    assert!(
        status(&reader, &server)
            .await
            .contains("belum berlangganan")
    );
}

#[tokio::test]
async fn midtrans_checkout_and_notifications() {
    let fake = Receiver::start(provider_answer, 0).await;
    let Some(site) = Site::new(Engine::Postgres).await else {
        return;
    };
    add_users(&site);
    let mut command = site.command();
    command
        .env("WARTA_MIDTRANS_SERVER_KEY", "SB-Mid-server-uji")
        .env(
            "WARTA_MIDTRANS_SNAP_URL",
            format!("{}/snap/v1/transactions", fake.base),
        );
    let server = site.serve_with(command, &["--demo"]);
    add_plan(&server).await;
    let reader = signed_in(&server, "reader").await;
    let to = checkout(&reader, &server).await;
    assert!(
        to.starts_with("https://app.sandbox.midtrans.test/snap/"),
        "{to}"
    );
    let asked: serde_json::Value = serde_json::from_str(&fake.requests()[0].body).unwrap();
    assert_eq!(asked["transaction_details"]["gross_amount"], 49_000);
    let order = asked["transaction_details"]["order_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let http = reqwest::Client::new();
    let notify = |amount: &str, signed_amount: &str, key: &str, status: &str| {
        let body = serde_json::json!({
            "order_id": order, "status_code": "200", "gross_amount": amount,
            "signature_key": midtrans_signature(&order, "200", signed_amount, key),
            "transaction_status": status, "fraud_status": "accept"});
        let http = http.clone();
        let url = server.url("/langganan/midtrans");
        async move {
            http.post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        notify("1000.00", "49000.00", "SB-Mid-server-uji", "settlement").await,
        400,
        "tampered amount"
    );
    assert_eq!(
        notify("49000.00", "49000.00", "kunci-lain", "settlement").await,
        400,
        "wrong key"
    );
    assert_eq!(
        notify("1000.00", "1000.00", "SB-Mid-server-uji", "settlement").await,
        400,
        "amount mismatch"
    );
    assert!(
        status(&reader, &server)
            .await
            .contains("belum berlangganan")
    );
    assert_eq!(
        notify("49000.00", "49000.00", "SB-Mid-server-uji", "pending").await,
        200
    );
    assert!(
        status(&reader, &server)
            .await
            .contains("belum berlangganan"),
        "pending pays nothing"
    );
    assert_eq!(
        notify("49000.00", "49000.00", "SB-Mid-server-uji", "settlement").await,
        200
    );
    let first = status(&reader, &server).await;
    assert!(first.contains("sampai"), "{first}");
    // A Snap payment is one charge: nothing says it renews.
    assert!(!first.contains("diperpanjang otomatis"), "{first}");
    assert_eq!(
        notify("49000.00", "49000.00", "SB-Mid-server-uji", "settlement").await,
        200
    );
    assert_eq!(status(&reader, &server).await, first, "idempotent");
}

#[tokio::test]
async fn without_a_provider_checkout_says_so_and_the_shell_grants() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    add_plan(&server).await;
    let reader = signed_in(&server, "reader").await;
    let html = reader
        .get(server.url("/langganan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        texts(&html, ".notice")
            .join(" ")
            .contains("belum disiapkan")
    );
    let token = attrs(
        &html,
        "form[action='/langganan/bayar'] input[name=csrf]",
        "value",
    )
    .remove(0);
    let plan = attrs(
        &html,
        "form[action='/langganan/bayar'] input[name=plan_id]",
        "value",
    )
    .remove(0);
    let response = reader
        .post(server.url("/langganan/bayar"))
        .form(&[("csrf", token.as_str()), ("plan_id", plan.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);

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
    assert!(
        grant.status.success(),
        "{}",
        String::from_utf8_lossy(&grant.stderr)
    );
    assert!(status(&reader, &server).await.contains("sampai 31/12/2099"));
    let bad = site
        .command()
        .args(["member", "grant", "reader@contoh.id", "--until", "kemarin"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected a future date"));
    let revoke = site
        .command()
        .args(["member", "revoke", "reader@contoh.id"])
        .output()
        .unwrap();
    assert!(revoke.status.success());
    assert!(
        status(&reader, &server)
            .await
            .contains("belum berlangganan")
    );

    // The admin page grants too, and only admins open it.
    for (role, want) in [("reader", 403), ("editor", 403), ("admin", 200)] {
        let http = signed_in(&server, role).await;
        assert_eq!(
            http.get(server.url("/redaksi/langganan"))
                .send()
                .await
                .unwrap()
                .status(),
            want,
            "{role}"
        );
    }
    let admin = signed_in(&server, "admin").await;
    let token = csrf(&admin, &server, "/redaksi/langganan").await;
    let response = admin
        .post(server.url("/redaksi/langganan"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "grant"),
            ("email", "tidak-ada@contoh.id"),
            ("until", "2099-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    // Refused with the address and date as typed, so a typo is fixed in place.
    let page = response.text().await.unwrap();
    assert!(
        page.contains(r#"name="email" value="tidak-ada@contoh.id""#),
        "{page}"
    );
    assert!(
        page.contains(r#"name="until" value="2099-01-01""#),
        "{page}"
    );
    let response = admin
        .post(server.url("/redaksi/langganan"))
        .form(&[
            ("csrf", token.as_str()),
            ("action", "grant"),
            ("email", "reader@contoh.id"),
            ("until", "2099-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(status(&reader, &server).await.contains("sampai 01/01/2099"));
}

#[tokio::test]
async fn members_only_articles_show_the_lead_to_others_and_everything_to_search_engines() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let server = site.serve(&["--demo"]);
    add_plan(&server).await;
    let (_, list) = server.json("/api/v1/articles?section=sains&limit=1").await;
    let item = &list["items"][0];
    let path = item["url"].as_str().unwrap().to_owned();
    let slug = item["slug"].as_str().unwrap().to_owned();
    let paragraphs = item["body_markdown"]
        .as_str()
        .unwrap()
        .split("\n\n")
        .count();
    assert!(paragraphs > 2);

    // An editor marks it members-only in the editor.
    let editor = signed_in(&server, "editor").await;
    let edit = format!("/redaksi/artikel/{}", item["id"]);
    let form = editor
        .get(server.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let field = |name: &str| {
        attrs(&form, &format!("input[name={name}]"), "value")
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    // The body as typed, line breaks and all.
    let document = scraper::Html::parse_document(&form);
    let textarea = scraper::Selector::parse("textarea[name=body]").unwrap();
    let body: String = document.select(&textarea).next().unwrap().text().collect();
    let response = editor
        .post(server.url(&edit))
        .form(&[
            ("csrf", field("csrf")),
            ("version", field("version")),
            ("action", "publish".into()),
            ("headline", field("headline")),
            ("body", body),
            ("section", field("section")),
            ("authors", field("authors")),
            ("zone", "WIB".into()),
            ("published_at", field("published_at")),
            ("members_only", "1".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);

    // Others: the first paragraph and the invitation; the API leaves the body out.
    let (_, html) = server.text(&path).await;
    assert_eq!(texts(&html, ".body > p").len(), 1, "the lead only");
    assert!(
        texts(&html, ".members-only")
            .join(" ")
            .contains("khusus anggota Lintas Kabar+")
    );
    assert!(html.contains(r#""isAccessibleForFree":false"#));
    assert!(html.contains(r#""cssSelector":".paywall""#));
    let (_, json) = server.json(&format!("/api/v1/articles/{slug}")).await;
    assert_eq!(json["body_markdown"], "");
    let (_, listed) = server.json("/api/v1/articles?section=sains&limit=50").await;
    let mine = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == slug.as_str())
        .unwrap();
    assert_eq!(mine["body_markdown"], "", "lists leave the body out too");
    // Search results show its summary, never text from behind the paywall.
    // A word from deep in the body, which only a body snippet could show.
    let third = item["body_markdown"]
        .as_str()
        .unwrap()
        .split("\n\n")
        .nth(2)
        .unwrap()
        .to_owned();
    let word = third
        .split(|c: char| !c.is_alphanumeric())
        .max_by_key(|w| w.len())
        .unwrap()
        .to_lowercase();
    let mut hit = serde_json::Value::Null;
    for _ in 0..40 {
        let (_, found) = server
            .json(&format!("/api/v1/search?q={word}&limit=50"))
            .await;
        if let Some(h) = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["url"] == path.as_str())
        {
            hit = h.clone();
            if !hit["snippet_html"].as_str().unwrap().starts_with('…') {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        !hit["snippet_html"].as_str().unwrap_or("…").starts_with('…'),
        "{hit}"
    );

    // Search engines: everything, inside the marked part, never from or into the shared cache.
    let googlebot = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
        .build()
        .unwrap();
    let html = googlebot
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        texts(&html, ".paywall > p").len() > 1,
        "the full text for the crawler"
    );
    assert!(texts(&html, ".members-only").is_empty());
    let (_, again) = server.text(&path).await;
    assert_eq!(
        texts(&again, ".body > p").len(),
        1,
        "readers still get the lead"
    );

    // Members read it all.
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
    let html = reader
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(texts(&html, ".paywall > p").len() > 1);
    assert!(texts(&html, ".members-only").is_empty());
}

#[tokio::test]
async fn the_metered_paywall_counts_different_articles_for_signed_out_readers() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let mut command = site.command();
    command.env("WARTA_METER_FREE_ARTICLES", "2");
    let server = site.serve_with(command, &["--demo"]);
    let (_, list) = server.json("/api/v1/articles?limit=3").await;
    let urls: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["url"].as_str().unwrap().to_owned())
        .collect();
    let reader = common::browser();
    let locked = |html: &str| !texts(html, ".members-only").is_empty();
    for url in [&urls[0], &urls[1], &urls[0]] {
        let html = reader
            .get(server.url(url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!locked(&html), "free: {url}");
    }
    let response = reader.get(server.url(&urls[2])).send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let html = response.text().await.unwrap();
    assert!(locked(&html), "the third different article is locked");
    assert!(
        texts(&html, ".members-only")
            .join(" ")
            .contains("sudah membaca 2 artikel gratis")
    );
    assert_eq!(texts(&html, ".body > p").len(), 1, "the lead only");

    // Nobody else gets that page: a new reader, a search engine, a signed-in reader.
    let fresh = common::browser();
    let html = fresh
        .get(server.url(&urls[2]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!locked(&html));
    let googlebot = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
        .cookie_store(true)
        .build()
        .unwrap();
    for url in &urls {
        let html = googlebot
            .get(server.url(url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!locked(&html), "crawlers are not metered");
    }
    let signed = signed_in(&server, "reader").await;
    for url in &urls {
        let html = signed
            .get(server.url(url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!locked(&html), "signed-in readers are not metered");
    }
}
