//! `/redaksi/situs`: the admin's site settings (name, time zone, language). Saved settings
//! override the configuration file and reach every node through the change counter.

use askama::Template;
use axum::{
    Form, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use warta_core::{
    Zone,
    account::Action,
    i18n::Language,
    settings::{SettingsInput, SiteSettings},
};
use warta_store::settings;

use crate::{
    AppError, AppState,
    pages::{self, Chrome, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/redaksi/situs", get(form).post(save))
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    saved: bool,
    name: String,
    tagline: String,
    /// (value, label, chosen)
    zones: Vec<(&'static str, &'static str, bool)>,
    languages: Vec<(&'static str, &'static str, bool)>,
    /// Errors by field: name, tagline, zone, language.
    errors: Vec<(&'static str, String)>,
}

impl SettingsPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    csrf: String,
    name: String,
    tagline: String,
    zone: String,
    language: String,
}

fn admin(viewer: &Viewer) -> Result<(), AppError> {
    permitted(
        viewer,
        "/redaksi/situs",
        Action::ManageSite,
        "Pengaturan situs diubah oleh admin.",
    )
    .map(|_| ())
}

fn render(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    typed: &SettingsForm,
    errors: Vec<(&'static str, String)>,
    saved: bool,
) -> Result<Response, AppError> {
    let (csrf, _) = session::csrf_token(headers, viewer);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SettingsPage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Pengaturan situs"),
        csrf,
        saved,
        name: typed.name.clone(),
        tagline: typed.tagline.clone(),
        zones: Zone::ALL
            .iter()
            .map(|z| {
                let label = match z {
                    Zone::Wib => "WIB (Asia/Jakarta)",
                    Zone::Wita => "WITA (Asia/Makassar)",
                    Zone::Wit => "WIT (Asia/Jayapura)",
                };
                (z.abbreviation(), label, z.abbreviation() == typed.zone)
            })
            .collect(),
        languages: [
            (Language::Id, "Bahasa Indonesia"),
            (Language::En, "English"),
        ]
        .iter()
        .map(|(l, label)| (l.tag(), *label, l.tag() == typed.language))
        .collect(),
        errors,
    };
    pages::private(status, &page)
}

fn current(site: &crate::Site) -> SettingsForm {
    SettingsForm {
        name: site.name.clone(),
        tagline: site.tagline.clone(),
        zone: site.zone.abbreviation().to_owned(),
        language: site.language.tag().to_owned(),
        ..SettingsForm::default()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Shown {
    /// Set after a successful save, to say so.
    tersimpan: Option<String>,
}

async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    axum::extract::Query(shown): axum::extract::Query<Shown>,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    let typed = current(&state.site());
    render(
        &state,
        &viewer,
        &headers,
        &typed,
        Vec::new(),
        shown.tersimpan.is_some(),
    )
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(typed): Form<SettingsForm>,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    session::check_csrf(&headers, &viewer, &typed.csrf)?;
    let chosen: SiteSettings = match (SettingsInput {
        name: typed.name.clone(),
        tagline: typed.tagline.clone(),
        zone: typed.zone.clone(),
        language: typed.language.clone(),
    })
    .parse()
    {
        Ok(chosen) => chosen,
        Err(errors) => {
            let errors = errors.into_iter().map(|e| (e.field, e.id)).collect();
            return render(&state, &viewer, &headers, &typed, errors, false);
        }
    };
    let mut tx = state.begin().await?;
    settings::set(&mut tx, &chosen.pairs()).await?;
    tx.commit().await?;
    // This node shows the new settings at once; others within the change poll.
    state.refresh().await?;
    tracing::info!(name = %chosen.name, zone = chosen.zone.abbreviation(), "site settings saved");
    Ok(Redirect::to("/redaksi/situs?tersimpan=1").into_response())
}
