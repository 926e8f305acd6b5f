//! `/iklan/{id}/tayang` (the impression beacon), `/iklan/{id}/klik` (counts the click, then
//! goes to the advertiser) and `/redaksi/iklan`, where admins run campaigns and read their
//! impressions, clicks and click-through rate.

use askama::Template;
use axum::{
    Extension, Form, Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use warta_core::{
    FieldError,
    account::Action,
    ads::{self as core, CampaignInput, Slot},
};
use warta_store::ads as store;

use crate::{
    AppError, AppState,
    cache::HeadRequest,
    pages::{self, Chrome, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/iklan/{id}/tayang", get(impression))
        .route("/iklan/{id}/klik", get(click))
        .route("/iklan/{id}/kode", get(code))
        .route("/redaksi/iklan", get(desk).post(change))
}

/// A transparent 1x1 GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

fn running(state: &AppState, id: i64) -> Option<store::Campaign> {
    state.campaigns().iter().find(|c| c.id == id).cloned()
}

/// Whether a request is a reader's: a GET (a HEAD or a link checker's probe shows no one an
/// ad) from a browser, not a crawler or script (the rule "most read" counts by).
fn by_a_reader(method: &Method, head: Option<HeadRequest>, headers: &HeaderMap) -> bool {
    method == Method::GET
        && head.is_none()
        && warta_core::readership::counts_as_reader(
            headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok()),
        )
}

async fn impression(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    method: Method,
    head: Option<Extension<HeadRequest>>,
    headers: HeaderMap,
) -> Response {
    if running(&state, id).is_some() && by_a_reader(&method, head.map(|h| h.0), &headers) {
        state.ad_counts.shown(id);
    }
    let mut response = (StatusCode::OK, PIXEL).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/gif"));
    // Every showing is a request: nothing may keep the pixel.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn click(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    method: Method,
    head: Option<Extension<HeadRequest>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let campaign = running(&state, id).ok_or(AppError::NotFound)?;
    let to = campaign.link_url.ok_or(AppError::NotFound)?;
    if by_a_reader(&method, head.map(|h| h.0), &headers) {
        state.ad_counts.clicked(id);
    }
    Ok(Redirect::to(&to).into_response())
}

/// The third-party snippet of a running campaign, for the sandboxed frame of its slot.
async fn code(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let campaign = running(&state, id)
        .filter(|c| c.allow_scripts == 1)
        .ok_or(AppError::NotFound)?;
    let snippet = campaign.html.ok_or(AppError::NotFound)?;
    Ok(pages::ad_frame(&snippet))
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct Desk {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    errors: Vec<String>,
    /// The new-campaign form: blank, or as typed when it was refused.
    typed: CampaignInput,
    slots: Vec<(&'static str, &'static str)>,
    sections: Vec<(String, String)>,
    rows: Vec<CampaignRow>,
}

/// A campaign with its counts, for the report.
struct CampaignRow {
    id: i64,
    name: String,
    slot: &'static str,
    section: String,
    weight: i64,
    /// "tayang", "mulai <stamp>", "selesai" or "dihentikan".
    status: String,
    /// Running or yet to start: the admin may stop it.
    stoppable: bool,
    shown: i64,
    clicked: i64,
    rate: String,
}

fn admin(viewer: &Viewer) -> Result<(), AppError> {
    permitted(
        viewer,
        "/redaksi/iklan",
        Action::ManageSite,
        "Iklan dikelola oleh admin.",
    )
    .map(|_| ())
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    typed: CampaignInput,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let report = store::report(&mut *state.conn().await?).await?;
    let now = Utc::now().timestamp();
    let (csrf, _) = session::csrf_token(headers, viewer);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Desk {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Iklan"),
        csrf,
        errors: crate::views::desk_errors(
            &errors,
            &[
                ("name", "Nama"),
                ("slot", "Slot"),
                ("image_url", "Gambar (alamat)"),
                ("link_url", "Tautan tujuan"),
                ("weight", "Bobot"),
                ("starts", "Mulai"),
                ("ends", "Berakhir"),
            ],
        ),
        typed,
        slots: Slot::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_id()))
            .collect(),
        sections: state
            .nav()
            .iter()
            .map(|s| (s.slug.clone(), s.name.clone()))
            .collect(),
        rows: report
            .into_iter()
            .map(|(c, shown, clicked)| {
                let ended = c.ends_at.is_some_and(|e| e <= now);
                let stoppable = c.active == 1 && !ended;
                let status = if c.active == 0 {
                    "dihentikan".to_owned()
                } else if ended {
                    "selesai".to_owned()
                } else if c.starts_at > now {
                    let starts = DateTime::from_timestamp(c.starts_at, 0).unwrap_or_default();
                    format!("mulai {}", state.site().zone.stamp(starts))
                } else {
                    "tayang".to_owned()
                };
                let rate = if shown > 0 {
                    format!("{:.2}%", clicked as f64 * 100.0 / shown as f64)
                } else {
                    "-".into()
                };
                let slot = Slot::parse(&c.slot).map_or("?", Slot::label_id);
                CampaignRow {
                    id: c.id,
                    name: c.name,
                    slot,
                    section: c.section.unwrap_or_default(),
                    weight: c.weight,
                    status,
                    stoppable,
                    shown,
                    clicked,
                    rate,
                }
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
    let blank = CampaignInput {
        weight: "1".into(),
        ..CampaignInput::default()
    };
    render(&state, &viewer, &headers, blank, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CampaignForm {
    csrf: String,
    /// create or stop.
    action: String,
    id: String,
    name: String,
    slot: String,
    image_url: String,
    link_url: String,
    alt: String,
    html: String,
    allow_scripts: String,
    section: String,
    weight: String,
    starts: String,
    ends: String,
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<CampaignForm>,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let now = Utc::now();
    let mut tx = state.begin().await?;
    match form.action.as_str() {
        "create" => {
            let input = CampaignInput {
                name: form.name,
                slot: form.slot,
                image_url: form.image_url,
                link_url: form.link_url,
                alt: form.alt,
                html: form.html,
                allow_scripts: form.allow_scripts == "1",
                section: form.section,
                weight: form.weight,
                starts: form.starts,
                ends: form.ends,
            };
            match input.parse(state.site().zone, now) {
                Ok(edit) => {
                    // Third-party code only when the admin says so; otherwise sanitized HTML.
                    let html = edit.html.as_deref().map(|h| {
                        if edit.allow_scripts {
                            h.to_owned()
                        } else {
                            core::sanitize(h)
                        }
                    });
                    store::create(&mut tx, &edit, html.as_deref(), now).await?;
                }
                Err(errors) => {
                    drop(tx);
                    // The form again as typed.
                    return render(&state, &viewer, &headers, input, errors).await;
                }
            }
        }
        "stop" => {
            let id = form.id.trim().parse().map_err(|_| {
                AppError::BadRequest(format!("id: expected a number, got {:?}", form.id))
            })?;
            if !store::stop(&mut tx, id).await? {
                return Err(AppError::NotFound);
            }
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "action: expected create or stop, got {other:?}"
            )));
        }
    }
    tx.commit().await?;
    state.refresh().await?;
    Ok(Redirect::to("/redaksi/iklan").into_response())
}
