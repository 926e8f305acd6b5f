//! The few static files pages use, compiled into the binary. The script's URL carries a hash
//! of its content, so browsers may keep it for a year: a changed script gets a new URL.

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    sync::LazyLock,
};

use axum::{
    Router,
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::{AppError, AppState};

const SCRIPT: &str = include_str!("../../assets/site.js");
const FAVICON: &str = include_str!("../../assets/favicon.svg");

/// `/assets/site-<hash>.js`, the script's one URL.
pub static SCRIPT_PATH: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = DefaultHasher::new();
    SCRIPT.hash(&mut hasher);
    format!(
        "/assets/site-{:012x}.js",
        hasher.finish() & 0xffff_ffff_ffff
    )
});

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/{name}", get(script))
        .route(
            "/favicon.svg",
            get(|| async { asset(FAVICON, "image/svg+xml", "public, max-age=86400") }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset(FAVICON, "image/svg+xml", "public, max-age=86400") }),
        )
        .route("/healthz", get(|| async { "ok" }))
}

async fn script(Path(name): Path<String>) -> Result<Response, AppError> {
    if format!("/assets/{name}") != *SCRIPT_PATH {
        return Err(AppError::NotFound);
    }
    Ok(asset(
        SCRIPT,
        "text/javascript; charset=utf-8",
        "public, max-age=31536000, immutable",
    ))
}

fn asset(body: &'static str, content_type: &'static str, cache: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Public, so the page cache also holds it compressed.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
