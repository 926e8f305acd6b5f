//! Warta's web layer: the reader site (server-rendered, complete without JavaScript), the JSON
//! read API, and the page cache that serves both from memory until the data changes.

mod ads;
mod cache;
mod channels;
mod cluster;
mod config;
mod error;
mod form_text;
mod housekeeping;
pub mod indexing;
mod mail;
mod media;
mod most_read;
mod newsletters;
mod pages;
pub mod query;
mod rate_limit;
mod readership;
mod routes;
mod session;
mod state;
pub mod stripe;
mod views;

use std::{future::Future, time::Duration};

use axum::{Router, http::HeaderName, middleware};
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};

pub use cache::PageCache;
pub use config::Site;
pub use error::AppError;
pub use state::{App, AppState};
pub use views::{record, story_record};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole site as one router: pages, API, assets, and the layers every request passes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(routes::reader::routes())
        .merge(routes::api::routes())
        .merge(routes::search::routes())
        .merge(routes::feeds::routes())
        .merge(routes::breaking::routes())
        .merge(routes::stories::routes())
        .merge(routes::video::routes())
        .merge(routes::newsletters::routes())
        .merge(routes::comments::routes())
        .merge(routes::membership::routes())
        .merge(routes::ads::routes())
        .merge(routes::channels::routes())
        .merge(routes::admin_api::routes())
        .merge(routes::auth::routes())
        .merge(routes::newsroom::routes())
        .merge(routes::settings::routes())
        .merge(routes::taxonomy::routes())
        .merge(routes::assets::routes())
        .merge(media::routes(&state))
        .fallback(routes::reader::not_found)
        .layer(middleware::from_fn(form_text::utf8_only))
        .layer(middleware::from_fn_with_state(state.clone(), error::pages))
        // Every response is what its Content-Type says: a JSON answer or an uploaded file is
        // never sniffed into a page that runs script.
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, Sequential::default()))
        .with_state(state)
}

/// Request ids: a per-process counter with a random-ish prefix, enough to find one request's
/// log lines without pulling in a UUID generator.
#[derive(Clone)]
struct Sequential {
    /// The process id, read once: `getpid` is a system call on every request otherwise.
    process: u32,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for Sequential {
    fn default() -> Self {
        Sequential {
            process: std::process::id(),
            counter: Default::default(),
        }
    }
}

impl MakeRequestId for Sequential {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = format!("{:x}-{n}", self.process);
        axum::http::HeaderValue::from_str(&id)
            .ok()
            .map(RequestId::new)
    }
}

/// Serves `state` on `listener` until `shutdown` resolves, then lets requests in flight finish
/// for up to `grace`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let watcher = state.spawn_change_watcher();
    let deliverer = channels::spawn_deliverer(&state);
    let (stop_mail, mail_stop) = tokio::sync::watch::channel(false);
    let mail_sender = newsletters::spawn_sender(&state, mail_stop);
    let sweeper = housekeeping::spawn_sweeper(&state);
    let flusher = readership::spawn_flusher(
        &state,
        Duration::from_secs(state.config.views_flush_seconds.max(1)),
    );
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    // The cache stands in front of the router, so a hit costs a lookup and a copy of headers,
    // nothing more. Hits are therefore not logged one by one; misses pass every layer.
    let cached = cache::Cached::new(state.clone(), router(state.clone()));
    let app = tower::service_fn(
        move |incoming: axum::serve::IncomingStream<'_, tokio::net::TcpListener>| {
            let service = cached.for_peer(*incoming.remote_addr());
            std::future::ready(Ok::<_, std::convert::Infallible>(service))
        },
    );
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stopping_tx.send(());
    });
    let server = async move { server.await };
    tokio::pin!(server);
    let result = tokio::select! {
        result = &mut server => result,
        _ = async {
            let _ = stopping_rx.await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(?grace, "grace period over; closing remaining connections");
            Ok(())
        }
    };
    watcher.abort();
    sweeper.abort();
    flusher.abort();
    deliverer.abort();
    // The mail batch in hand is finished, so no recipient is left claimed but unsent.
    let _ = stop_mail.send(true);
    if tokio::time::timeout(grace.max(Duration::from_secs(10)), mail_sender)
        .await
        .is_err()
    {
        tracing::warn!("newsletter sending did not finish its batch in time");
    }
    // Views counted since the last flush are kept.
    readership::flush(&state).await;
    ads::flush(&state).await;
    state.store.close().await;
    result
}
