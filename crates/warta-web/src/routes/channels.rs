//! `/redaksi/saluran`: the admin's breaking-news channels (signed webhooks and Telegram chats)
//! and the log of every delivery.

use askama::Template;
use axum::{
    Form, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use warta_core::{FieldError, account::Action, article::collapse_spaces};
use warta_store::channels;

use crate::{
    AppError, AppState,
    pages::{self, Chrome, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/redaksi/saluran", get(desk).post(change))
}

/// A delivery as the log shows it.
struct LogRow {
    channel: String,
    alert: String,
    status: String,
    attempts: i64,
    outcome: String,
    at: String,
}

#[derive(Template)]
#[template(path = "channels.html")]
struct Desk {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    errors: Vec<String>,
    /// The new-channel form: blank, or as typed when it was refused.
    typed: ChannelForm,
    /// (id, kind, name, where, active)
    channels: Vec<(i64, String, String, String, bool)>,
    log: Vec<LogRow>,
}

fn admin(viewer: &Viewer) -> Result<(), AppError> {
    permitted(
        viewer,
        "/redaksi/saluran",
        Action::ManageSite,
        "Saluran breaking news diatur oleh admin.",
    )
    .map(|_| ())
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    typed: ChannelForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let all = channels::all(&mut conn).await?;
    let log = channels::log(&mut conn, 50).await?;
    drop(conn);
    let zone = state.site().zone;
    let (csrf, _) = session::csrf_token(headers, viewer);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Desk {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Saluran breaking news"),
        csrf,
        errors: crate::views::desk_errors(
            &errors,
            &[
                ("kind", "Jenis"),
                ("name", "Nama"),
                ("url", "Alamat"),
                ("secret", "Rahasia penandatangan atau token bot"),
                ("chat_id", "Chat Telegram"),
            ],
        ),
        typed,
        channels: all
            .into_iter()
            .map(|c| {
                let place = match &c.chat_id {
                    Some(chat) if c.kind == "telegram" => format!("chat {chat}"),
                    _ => c.url.clone(),
                };
                (c.id, c.kind, c.name, place, c.active == 1)
            })
            .collect(),
        log: log
            .into_iter()
            .map(|d| LogRow {
                channel: d.channel,
                alert: d.alert,
                status: d.status,
                attempts: d.attempts,
                outcome: match (d.last_code, d.last_error) {
                    (_, Some(error)) => error,
                    (Some(code), None) => format!("HTTP {code}"),
                    (None, None) => String::new(),
                },
                at: zone
                    .stamp(DateTime::<Utc>::from_timestamp(d.created_at, 0).unwrap_or_default()),
            })
            .collect(),
    };
    pages::private(status, &page)
}

async fn desk(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    render(
        &state,
        &viewer,
        &headers,
        ChannelForm::default(),
        Vec::new(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChannelForm {
    csrf: String,
    /// add, pause or resume.
    action: String,
    id: String,
    kind: String,
    name: String,
    url: String,
    secret: String,
    chat_id: String,
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<ChannelForm>,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let mut conn = state.conn().await?;
    match form.action.as_str() {
        "add" => {
            let mut errors = Vec::new();
            let name = collapse_spaces(&form.name);
            if name.is_empty() {
                errors.push(FieldError::new(
                    "name",
                    "nama saluran wajib diisi",
                    "a name for the channel",
                ));
            } else if name.chars().count() > warta_core::article::MAX_NAME {
                errors.push(FieldError::too_long("name", warta_core::article::MAX_NAME));
            }
            let kind = match form.kind.as_str() {
                "webhook" | "telegram" => form.kind.as_str(),
                _ => {
                    errors.push(FieldError::new(
                        "kind",
                        "pilih webhook atau telegram",
                        "expected webhook or telegram",
                    ));
                    "webhook"
                }
            };
            let url = match (kind, form.url.trim()) {
                ("telegram", "") => "https://api.telegram.org".to_owned(),
                (_, url) if url.len() > warta_core::article::MAX_URL => {
                    errors.push(FieldError::too_long("url", warta_core::article::MAX_URL));
                    String::new()
                }
                (_, url) if url.starts_with("https://") || url.starts_with("http://") => {
                    url.to_owned()
                }
                _ => {
                    errors.push(FieldError::new(
                        "url",
                        "alamat yang diawali https:// atau http://",
                        "an address starting with https:// or http://",
                    ));
                    String::new()
                }
            };
            // A bot token or signing secret is tens of characters; 512 leaves room for any.
            if form.secret.trim().len() < 8 || form.secret.trim().len() > 512 {
                errors.push(FieldError::new(
                    "secret",
                    "rahasia penandatangan (webhook) atau token bot (Telegram), 8 sampai 512 karakter",
                    "the signing secret (webhook) or bot token (Telegram), 8 to 512 characters",
                ));
            }
            let chat = Some(form.chat_id.trim()).filter(|c| !c.is_empty());
            if kind == "telegram" && chat.is_none() {
                errors.push(FieldError::new(
                    "chat_id",
                    "chat Telegram tujuan kiriman",
                    "the Telegram chat to post to",
                ));
            }
            if !errors.is_empty() {
                drop(conn);
                // The form again as typed.
                return render(&state, &viewer, &headers, form, errors).await;
            }
            channels::add(
                &mut conn,
                kind,
                &name,
                &url,
                form.secret.trim(),
                chat,
                Utc::now(),
            )
            .await?;
        }
        "pause" | "resume" => {
            let id = form.id.trim().parse().map_err(|_| {
                AppError::BadRequest(format!("id: expected a number, got {:?}", form.id))
            })?;
            if !channels::set_active(&mut conn, id, form.action == "resume").await? {
                return Err(AppError::NotFound);
            }
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "action: expected add, pause or resume, got {other:?}"
            )));
        }
    }
    Ok(Redirect::to("/redaksi/saluran").into_response())
}
