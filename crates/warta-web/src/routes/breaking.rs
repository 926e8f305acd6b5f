//! Breaking news: `/langsung/breaking` streams the live alert to open pages as server-sent
//! events, and `/redaksi/breaking` is where editors start a one-line alert or end one. Marking an
//! article as breaking happens in the editor (see `routes::newsroom`).

use std::convert::Infallible;

use askama::Template;
use axum::{
    Form, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{
        IntoResponse, Redirect, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::get,
};
use chrono::Utc;
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use warta_core::{
    FieldError,
    account::Action,
    alert::{Alert, NewAlert},
};
use warta_store::alerts;

use crate::{
    AppError, AppState,
    pages::{self, Chrome, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/langsung/breaking", get(events))
        .route("/redaksi/breaking", get(desk).post(change))
}

/// One event: the alert as JSON, or `{}` when none is live. The id lets a reconnecting browser
/// say what it already shows (`Last-Event-ID`).
fn event(alert: Option<&Alert>) -> Event {
    match alert {
        Some(alert) => Event::default().id(alert.id.to_string()).data(
            serde_json::json!({"id": alert.id, "text": alert.text, "url": alert.url}).to_string(),
        ),
        None => Event::default().id("0").data("{}"),
    }
}

/// The live alert now (unless the browser already shows it), then every change.
async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.alert_changes();
    let current = state.alert();
    let shown = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok());
    let current_id = current.as_ref().map_or(0, |a| a.id);
    let first = (shown != Some(current_id)).then(|| event(current.as_deref()));
    let stream =
        futures_util::stream::unfold((receiver, first), |(mut receiver, first)| async move {
            if let Some(first) = first {
                return Some((Ok(first), (receiver, None)));
            }
            loop {
                match receiver.recv().await {
                    Ok(alert) => {
                        let sent = event(alert.as_deref());
                        return Some((Ok(sent), (receiver, None)));
                    }
                    // Missed some: the next one received is newer anyway.
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[derive(Template)]
#[template(path = "breaking.html")]
struct BreakingDesk {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    errors: Vec<(&'static str, String)>,
    text: String,
    url: String,
    minutes: String,
    /// (id, text, url, started, ends or ended, live)
    recent: Vec<(i64, String, String, String, String, bool)>,
}

impl BreakingDesk {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AlertForm {
    csrf: String,
    /// "start" or "end".
    action: String,
    id: String,
    text: String,
    url: String,
    minutes: String,
}

fn editor(viewer: &Viewer) -> Result<(), AppError> {
    permitted(
        viewer,
        "/redaksi/breaking",
        Action::SetLeadAndBreaking,
        "Breaking news dimulai dan diakhiri oleh editor.",
    )
    .map(|_| ())
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    typed: &AlertForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let zone = state.site().zone;
    let now = Utc::now();
    let recent = alerts::recent(&mut *state.conn().await?, 20)
        .await?
        .into_iter()
        .map(|a| {
            let until = a.ended_at.unwrap_or(a.ends_at);
            (
                a.id,
                a.text.clone(),
                a.url.clone().unwrap_or_default(),
                zone.stamp(a.created_at),
                zone.stamp(until),
                a.live(now),
            )
        })
        .collect();
    let (csrf, _) = session::csrf_token(headers, viewer);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = BreakingDesk {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Breaking news"),
        csrf,
        errors: errors.into_iter().map(|e| (e.field, e.id)).collect(),
        text: typed.text.clone(),
        url: typed.url.clone(),
        minutes: typed.minutes.clone(),
        recent,
    };
    pages::private(status, &page)
}

async fn desk(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    editor(&viewer)?;
    render(&state, &viewer, &headers, &AlertForm::default(), Vec::new()).await
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(typed): Form<AlertForm>,
) -> Result<Response, AppError> {
    editor(&viewer)?;
    session::check_csrf(&headers, &viewer, &typed.csrf)?;
    let Some(user) = viewer.user.as_ref() else {
        return Err(AppError::SignInRequired("/redaksi/breaking".into()));
    };
    let now = Utc::now();
    let mut tx = state.begin().await?;
    match typed.action.as_str() {
        "start" => match NewAlert::parse(&typed.text, &typed.url, &typed.minutes, now) {
            Ok(new) => {
                let id = alerts::start(&mut tx, &new, None, user.id, now).await?;
                tracing::info!(alert = id, user = user.id, "breaking news started");
            }
            Err(errors) => {
                drop(tx);
                return render(&state, &viewer, &headers, &typed, errors).await;
            }
        },
        "end" => {
            let id: i64 = typed.id.trim().parse().map_err(|_| {
                AppError::BadRequest(format!("id: expected a number, got {:?}", typed.id))
            })?;
            if !alerts::end(&mut tx, id, now).await? {
                return Err(AppError::NotFound);
            }
            tracing::info!(alert = id, user = user.id, "breaking news ended");
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "action: expected start or end, got {other:?}"
            )));
        }
    }
    tx.commit().await?;
    // This node's pages and open streams change now; the others within the change poll.
    state.refresh().await?;
    Ok(Redirect::to("/redaksi/breaking").into_response())
}
