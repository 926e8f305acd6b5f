//! `/redaksi/kanal` and `/redaksi/tag`: editors name, order, describe and remove sections, and
//! rename, merge and remove tags. Slugs stay, so links to section and tag pages keep working.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use warta_core::{
    FieldError,
    account::Action,
    taxonomy::{SectionEdit, tag_name},
};
use warta_store::{
    StoreError,
    taxonomy::{self, SectionRow, TagRow},
};

use crate::{
    AppError, AppState,
    pages::{self, Chrome, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/redaksi/kanal", get(sections_page).post(change_section))
        .route("/redaksi/tag", get(tags_page).post(change_tag))
}

fn editor(viewer: &Viewer, back_to: &str) -> Result<(), AppError> {
    permitted(
        viewer,
        back_to,
        Action::ManageSectionsAndTags,
        "Kanal dan tag dikelola oleh editor.",
    )
    .map(|_| ())
}

/// A section form as typed (also the empty "new section" form).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct SectionForm {
    csrf: String,
    /// Empty for a new section.
    id: String,
    name: String,
    description: String,
    position: String,
    /// "save" or "delete".
    action: String,
}

/// One row of the sections table, with what was typed into it when a save failed.
struct SectionView {
    id: i64,
    slug: String,
    articles: i64,
    form: SectionForm,
}

#[derive(Template)]
#[template(path = "sections.html")]
struct SectionsPage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    notice: Option<String>,
    errors: Vec<String>,
    rows: Vec<SectionView>,
    new: SectionForm,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Notice {
    pesan: Option<String>,
}

/// Notices after a redirect, by code, so no text travels in URLs.
fn notice_text(code: Option<&str>) -> Option<String> {
    let text = match code? {
        "tersimpan" => "Tersimpan.",
        "dihapus" => "Dihapus.",
        "digabung" => "Tag digabung dengan tag yang sudah ada.",
        _ => return None,
    };
    Some(text.to_owned())
}

async fn render_sections(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    failed: Option<(&SectionForm, Vec<FieldError>)>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let rows = taxonomy::sections(&mut *state.conn().await?).await?;
    let (csrf, _) = session::csrf_token(headers, viewer);
    let (typed, errors) = match failed {
        Some((typed, errors)) => (Some(typed), errors),
        None => (None, Vec::new()),
    };
    let typed_id = typed.map(|t| t.id.trim().to_owned());
    let rows = rows
        .into_iter()
        .map(|row: SectionRow| {
            let form = match typed {
                Some(t) if typed_id.as_deref() == Some(row.id.to_string().as_str()) => t.clone(),
                _ => SectionForm {
                    id: row.id.to_string(),
                    name: row.name,
                    description: row.description.unwrap_or_default(),
                    position: row.position.to_string(),
                    ..SectionForm::default()
                },
            };
            SectionView {
                id: row.id,
                slug: row.slug,
                articles: row.articles,
                form,
            }
        })
        .collect();
    let new = match typed {
        Some(t) if t.id.trim().is_empty() => t.clone(),
        _ => SectionForm::default(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SectionsPage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Kanal"),
        csrf,
        notice,
        errors: crate::views::desk_errors(
            &errors,
            &[
                ("name", "Nama"),
                ("description", "Keterangan"),
                ("position", "Urutan"),
            ],
        ),
        rows,
        new,
    };
    pages::private(status, &page)
}

async fn sections_page(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    editor(&viewer, "/redaksi/kanal")?;
    render_sections(
        &state,
        &viewer,
        &headers,
        None,
        notice_text(notice.pesan.as_deref()),
    )
    .await
}

/// The id in a form, or a clear error.
fn form_id(text: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        text => text
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("id: expected a number, got {text:?}"))),
    }
}

async fn change_section(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(typed): Form<SectionForm>,
) -> Result<Response, AppError> {
    editor(&viewer, "/redaksi/kanal")?;
    session::check_csrf(&headers, &viewer, &typed.csrf)?;
    let id = form_id(&typed.id)?;
    let mut tx = state.begin().await?;
    let outcome = match (typed.action.as_str(), id) {
        ("delete", Some(id)) => taxonomy::delete_section(&mut tx, id)
            .await
            .map(|()| "dihapus"),
        ("save", _) => match SectionEdit::parse(&typed.name, &typed.description, &typed.position) {
            Ok(edit) => taxonomy::save_section(&mut tx, id, &edit)
                .await
                .map(|_| "tersimpan"),
            Err(errors) => Err(StoreError::Invalid(errors)),
        },
        (other, _) => {
            return Err(AppError::BadRequest(format!(
                "action: expected save or delete (delete needs an id), got {other:?}"
            )));
        }
    };
    match outcome {
        Ok(code) => {
            tx.commit().await?;
            state.refresh().await?;
            Ok(Redirect::to(&format!("/redaksi/kanal?pesan={code}")).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            drop(tx);
            render_sections(&state, &viewer, &headers, Some((&typed, errors)), None).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct TagForm {
    csrf: String,
    id: String,
    name: String,
    /// "rename" or "delete".
    action: String,
    /// The search the list was showing, so a refused rename comes back to the same rows.
    q: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TagQuery {
    q: String,
    pesan: Option<String>,
}

#[derive(Template)]
#[template(path = "tags.html")]
struct TagsPage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    query: String,
    notice: Option<String>,
    errors: Vec<String>,
    /// Each tag, the name its field shows, and whether that name was refused.
    rows: Vec<(TagRow, String, bool)>,
}

/// How many tags one page lists; the search narrows the rest.
const TAGS_SHOWN: i64 = 200;

async fn render_tags(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    query: &str,
    failed: Option<(&TagForm, Vec<FieldError>)>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    if query.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "parameter \"q\": at most 100 characters".into(),
        ));
    }
    let tags = taxonomy::tags(&mut *state.conn().await?, query.trim(), TAGS_SHOWN).await?;
    let (csrf, _) = session::csrf_token(headers, viewer);
    let (typed, errors) = match failed {
        Some((typed, errors)) => (Some(typed), errors),
        None => (None, Vec::new()),
    };
    let rows = tags
        .into_iter()
        .map(|tag| match typed {
            Some(t) if t.id.trim() == tag.id.to_string() => (tag, t.name.clone(), true),
            _ => {
                let name = tag.name.clone();
                (tag, name, false)
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = TagsPage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Tag"),
        csrf,
        query: query.to_owned(),
        notice,
        errors: crate::views::desk_errors(&errors, &[("name", "Nama tag")]),
        rows,
    };
    pages::private(status, &page)
}

async fn tags_page(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<TagQuery>,
) -> Result<Response, AppError> {
    editor(&viewer, "/redaksi/tag")?;
    render_tags(
        &state,
        &viewer,
        &headers,
        &query.q,
        None,
        notice_text(query.pesan.as_deref()),
    )
    .await
}

async fn change_tag(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(typed): Form<TagForm>,
) -> Result<Response, AppError> {
    editor(&viewer, "/redaksi/tag")?;
    session::check_csrf(&headers, &viewer, &typed.csrf)?;
    let Some(id) = form_id(&typed.id)? else {
        return Err(AppError::BadRequest("id: which tag?".into()));
    };
    let mut tx = state.begin().await?;
    let outcome = match typed.action.as_str() {
        "delete" => taxonomy::delete_tag(&mut tx, id).await.map(|()| "dihapus"),
        "rename" => match tag_name(&typed.name) {
            Ok(name) => taxonomy::rename_tag(&mut tx, id, &name)
                .await
                .map(|kept| if kept == id { "tersimpan" } else { "digabung" }),
            Err(error) => Err(StoreError::Invalid(vec![error])),
        },
        other => {
            return Err(AppError::BadRequest(format!(
                "action: expected rename or delete, got {other:?}"
            )));
        }
    };
    match outcome {
        Ok(code) => {
            tx.commit().await?;
            state.refresh().await?;
            Ok(Redirect::to(&format!("/redaksi/tag?pesan={code}")).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            drop(tx);
            render_tags(
                &state,
                &viewer,
                &headers,
                &typed.q,
                Some((&typed, errors)),
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
