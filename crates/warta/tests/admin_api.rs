//! The admin API: keys made on the account page, the same roles and workflow as the newsroom,
//! optimistic locking, deletion, and an OpenAPI description.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{Engine, Server, Site, attrs, browser, sign_in, texts};
use serde_json::{Value, json};

const PASSWORD: &str = "sandi-redaksi-panjang";

/// Creates a user with `role`, signs in, makes an API key on /akun and returns it.
async fn key_for(site: &Site, server: &Server, role: &str) -> String {
    let email = format!("{role}@contoh.id");
    let out = site
        .command()
        .args(["user", "add", "--role", role, "--name", role, &email])
        .env("WARTA_USER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success());
    let http = browser();
    sign_in(&http, server, email.as_str(), PASSWORD).await;
    let account = http
        .get(server.url("/akun"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = attrs(
        &account,
        "form[action='/akun/kunci'] input[name=csrf]",
        "value",
    )
    .remove(0);
    let made = http
        .post(server.url("/akun/kunci"))
        .form(&[("csrf", token.as_str()), ("name", "skrip uji")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let message = texts(&made, "main p[role=status]").remove(0);
    message
        .split_whitespace()
        .find(|w| w.starts_with("wk_"))
        .unwrap()
        .to_owned()
}

async fn call(
    server: &Server,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, server.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn admin_api(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    let server = site.serve(&[]);
    let writer = key_for(&site, &server, "writer").await;
    let contributor = key_for(&site, &server, "contributor").await;
    let post = reqwest::Method::POST;

    let (status, body) = call(
        &server,
        post.clone(),
        "/api/v1/admin/articles",
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = call(
        &server,
        post.clone(),
        "/api/v1/admin/articles",
        Some("wk_salah"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 401);

    let article = json!({
        "headline": "Kiriman Kantor Berita Lewat API",
        "published_at": "2026-11-20T10:00:00+07:00",
        "section": "Nasional",
        "authors": [{"name": "Redaksi"}],
        "body_markdown": "Isi kiriman.",
    });
    let create = async |key: &str, body: Value| {
        call(
            &server,
            reqwest::Method::POST,
            "/api/v1/admin/articles",
            Some(key),
            Some(body),
        )
        .await
    };
    // A writer chooses among the sections editors made; an editor makes one by naming it.
    let (status, refused) = create(&writer, article.clone()).await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("section: there is no section \"Nasional\""),
        "{refused}"
    );
    let editor = key_for(&site, &server, "editor").await;
    let mut by_editor = article.clone();
    by_editor["headline"] = json!("Kanal Nasional Dibuka");
    let (status, made) = create(&editor, by_editor).await;
    assert_eq!(status, 201, "{made}");
    let (status, created) = create(&writer, article.clone()).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "draft");
    let id = created["id"].as_i64().unwrap();

    // Contributors cannot publish, nor touch others' articles.
    let mut submit = article.clone();
    submit["action"] = json!("publish");
    let (status, _) = call(
        &server,
        post.clone(),
        "/api/v1/admin/articles",
        Some(&contributor),
        Some(submit.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &server,
        reqwest::Method::GET,
        &format!("/api/v1/admin/articles/{id}"),
        Some(&contributor),
        None,
    )
    .await;
    assert_eq!(status, 403);

    // Publish: on the public API.
    let (status, published) = call(
        &server,
        post.clone(),
        &format!("/api/v1/admin/articles/{id}/publish"),
        Some(&writer),
        None,
    )
    .await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["status"], "published");
    let (status, public) = server.json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(public["headline"], "Kiriman Kantor Berita Lewat API");

    // Update with the version read; a stale version is refused.
    let version = published["version"].as_i64().unwrap();
    let mut edit = article.clone();
    edit["headline"] = json!("Kiriman Diperbarui");
    edit["version"] = json!(version);
    edit["action"] = json!("publish");
    let (status, updated) = call(
        &server,
        reqwest::Method::PUT,
        &format!("/api/v1/admin/articles/{id}"),
        Some(&writer),
        Some(edit.clone()),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["headline"], "Kiriman Diperbarui");
    let (status, conflict) = call(
        &server,
        reqwest::Method::PUT,
        &format!("/api/v1/admin/articles/{id}"),
        Some(&writer),
        Some(edit),
    )
    .await;
    assert_eq!(status, 409, "{conflict}");
    let mut bad = article.clone();
    bad["headline"] = json!("");
    bad["version"] = json!(updated["version"]);
    let (status, invalid) = call(
        &server,
        reqwest::Method::PUT,
        &format!("/api/v1/admin/articles/{id}"),
        Some(&writer),
        Some(bad),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        invalid["error"]["message"]
            .as_str()
            .unwrap()
            .contains("headline")
    );
    // Whatever is wrong with a request, the answer is the documented error object.
    for (method, path, body) in [
        (
            post.clone(),
            "/api/v1/admin/articles".to_owned(),
            Some(json!({})),
        ),
        (
            post.clone(),
            "/api/v1/admin/articles".to_owned(),
            Some(json!({"headline": 5})),
        ),
        (
            post.clone(),
            "/api/v1/admin/articles/abc/publish".to_owned(),
            None,
        ),
    ] {
        let (status, error) = call(&server, method, &path, Some(&writer), body).await;
        assert_eq!(status, 400, "{path}: {error}");
        assert_eq!(error["error"]["status"], 400, "{path}: {error}");
    }
    let form = reqwest::Client::new()
        .post(server.url("/api/v1/admin/articles"))
        .bearer_auth(&writer)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("headline=%ff")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 400);
    let error: Value = form.json().await.unwrap();
    assert_eq!(error["error"]["status"], 400, "{error}");
    // A slug sent is a rename, as in the editor: the old address redirects.
    let mut renamed = article.clone();
    renamed["headline"] = json!("Kiriman Diperbarui");
    renamed["slug"] = json!("kiriman-dengan-alamat-baru");
    renamed["version"] = json!(updated["version"]);
    renamed["action"] = json!("publish");
    let (status, moved) = call(
        &server,
        reqwest::Method::PUT,
        &format!("/api/v1/admin/articles/{id}"),
        Some(&writer),
        Some(renamed),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["slug"], "kiriman-dengan-alamat-baru");
    let old_slug = updated["slug"].as_str().unwrap();
    let redirect = common::client()
        .get(server.url(&format!("/api/v1/articles/{old_slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 308);

    // Unpublish, then delete.
    let (status, _) = call(
        &server,
        post.clone(),
        &format!("/api/v1/admin/articles/{id}/unpublish"),
        Some(&writer),
        None,
    )
    .await;
    assert_eq!(status, 200);
    // Gone from the public API within a second (cached responses are dropped on the change).
    let mut gone = false;
    for _ in 0..20 {
        if server.json(&format!("/api/v1/articles/{id}")).await.0 == 404 {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(gone, "unpublished articles leave the public API");
    let (status, _) = call(
        &server,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/articles/{id}"),
        Some(&writer),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(
        &server,
        reqwest::Method::GET,
        &format!("/api/v1/admin/articles/{id}"),
        Some(&writer),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn admin_api_on_sqlite() {
    admin_api(Engine::Sqlite).await;
}

#[tokio::test]
async fn admin_api_on_postgres() {
    admin_api(Engine::Postgres).await;
}

#[tokio::test]
async fn readers_get_no_keys_and_the_spec_describes_every_route() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let server = site.serve(&[]);
    let (status, spec) = server.json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    let paths: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for path in [
        "/api/v1/articles",
        "/api/v1/articles/{key}",
        "/api/v1/admin/articles",
        "/api/v1/admin/articles/{id}",
        "/api/v1/admin/articles/{id}/publish",
        "/api/v1/admin/articles/{id}/unpublish",
    ] {
        assert!(paths.contains(&path), "{path} missing from {paths:?}");
    }
    let add = site
        .command()
        .args(["user", "add", "pembaca@contoh.id"])
        .env("WARTA_USER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(add.status.success());
    let http = browser();
    sign_in(&http, &server, "pembaca@contoh.id", PASSWORD).await;
    let account = http
        .get(server.url("/akun"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        attrs(&account, "form[action='/akun/kunci']", "method").is_empty(),
        "no key form for readers"
    );
    let token = attrs(&account, "input[name=csrf]", "value")
        .pop()
        .unwrap_or_default();
    let refused = http
        .post(server.url("/akun/kunci"))
        .form(&[("csrf", token.as_str()), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}
