//! The admin API for automation (wire imports, scripts): per-user API keys, the same roles and
//! workflow rules as the newsroom, JSON in and out, documented at `/api/openapi.json`.

use axum::{
    Json, Router,
    extract::{FromRequest, FromRequestParts, Path, Request, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::Utc;
use serde::Deserialize;
use warta_core::{
    account::Action,
    import::record::ArticleRecord,
    secret,
    workflow::{self, Move},
};
use warta_store::{
    accounts::{self, User},
    newsroom,
};

use crate::{AppError, AppState, error::ApiError, views};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/admin/articles", post(create))
        .route(
            "/api/v1/admin/articles/{id}",
            get(read).put(update).delete(remove),
        )
        .route("/api/v1/admin/articles/{id}/publish", post(publish))
        .route("/api/v1/admin/articles/{id}/unpublish", post(unpublish))
}

/// A JSON body whose problems (not JSON, a missing field, a wrong type, the wrong content
/// type) are answered in the API's error format, as the OpenAPI description says, instead of
/// axum's plain-text rejections.
struct Body<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        Json::<T>::from_request(request, state)
            .await
            .map(|Json(value)| Body(value))
            .map_err(|rejection| ApiError(AppError::BadRequest(rejection.body_text())))
    }
}

/// An article id in the path, refused in the API's error format when it is not a number.
struct Id(i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| Id(id))
            .map_err(|_| {
                ApiError(AppError::BadRequest(
                    "id: expected an article's number".into(),
                ))
            })
    }
}

/// A caller identified by `Authorization: Bearer <key>`, who may use the newsroom.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiUser, ApiError> {
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or(ApiError(AppError::SignInRequired(String::new())))?;
        let user = accounts::api_key_user(
            &mut *state.conn().await?,
            &secret::token_hash(key),
            Utc::now(),
        )
        .await?
        .ok_or(ApiError(AppError::SignInRequired(String::new())))?;
        if !user.role.may(Action::EnterNewsroom) {
            return Err(ApiError(AppError::Forbidden(
                "this account may not use the newsroom".into(),
            )));
        }
        Ok(ApiUser(user))
    }
}

/// An article with what the newsroom knows of it.
fn admin_record(editable: &newsroom::Editable) -> serde_json::Value {
    let mut value = serde_json::to_value(views::record(&editable.article)).unwrap_or_default();
    value["status"] = serde_json::json!(editable.status.as_str());
    value["version"] = serde_json::json!(editable.version);
    value
}

/// A create or update: the article fields of Warta JSON, plus the move and (for updates) the
/// version the caller read.
#[derive(Debug, Deserialize)]
struct Submission {
    #[serde(flatten)]
    article: ArticleRecord,
    /// save (default), submit, publish or unpublish.
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    version: Option<i64>,
}

fn step(action: Option<&str>) -> Result<Move, ApiError> {
    Move::parse(action.unwrap_or("save")).ok_or_else(|| {
        ApiError(AppError::BadRequest(format!(
            "action: expected save, submit, publish or unpublish, got {:?}",
            action.unwrap_or_default()
        )))
    })
}

fn refused() -> ApiError {
    ApiError(AppError::Forbidden(
        "your role may not make this change to this article".into(),
    ))
}

/// Validates, authorizes and saves; answers with the stored article.
async fn save(
    state: &AppState,
    user: &User,
    current: Option<&newsroom::Editable>,
    mut record: ArticleRecord,
    action: Move,
    version: Option<i64>,
) -> Result<Response, ApiError> {
    let own = current.is_none_or(|c| c.owner_id == Some(user.id));
    workflow::check(user.role, own, current.map(|c| c.status), action).map_err(|_| refused())?;
    // A slug sent for an existing article is a rename, as in the editor: the old address keeps
    // answering with a redirect. Absent or empty, the address stays.
    let rename = match (current, record.slug.as_deref().map(str::trim)) {
        (Some(c), Some(wanted)) if !wanted.is_empty() && wanted != c.article.slug => {
            Some(wanted.to_owned())
        }
        _ => None,
    };
    if let Some(c) = current {
        record.slug = Some(c.article.slug.clone());
    }
    if let Some(error) = crate::routes::newsroom::unknown_section(
        state,
        user,
        record.section.as_deref().unwrap_or(""),
    )
    .await?
    {
        return Err(ApiError(AppError::BadRequest(error.to_string())));
    }
    let members_only = record.members_only;
    let draft = record.into_draft().normalize().map_err(|errors| {
        ApiError(AppError::BadRequest(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ))
    })?;
    let target = current.map(|c| (c.article.id, version.unwrap_or(c.version)));
    let status = action.target(current.map(|c| c.status));
    let mut tx = state.begin().await?;
    let saved = match newsroom::save(&mut tx, target, &draft, status, user.id, Utc::now()).await? {
        Ok(saved) => saved,
        Err(conflict) => {
            return Ok((
                StatusCode::CONFLICT,
                Json(serde_json::json!({"error": {"status": 409, "message": format!(
                    "the article changed since version {}; it is now at version {}: read it again and resend",
                    version.unwrap_or_default(), conflict.current_version)}})),
            )
                .into_response());
        }
    };
    if let Some(wanted) = &rename {
        warta_store::articles::rename(&mut tx, saved.id, wanted).await?;
    }
    if let Some(flag) = members_only {
        warta_store::articles::set_members_only(&mut tx, saved.id, flag).await?;
    }
    tx.commit().await.map_err(AppError::from)?;
    let stored = newsroom::editable(&mut *state.conn().await?, saved.id)
        .await?
        .ok_or(ApiError(AppError::NotFound))?;
    let code = if current.is_none() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(admin_record(&stored))).into_response())
}

async fn load(state: &AppState, user: &User, id: i64) -> Result<newsroom::Editable, ApiError> {
    let editable = newsroom::editable(&mut *state.conn().await?, id)
        .await?
        .ok_or(ApiError(AppError::NotFound))?;
    if editable.owner_id != Some(user.id) && !user.role.may(Action::EditAny) {
        return Err(refused());
    }
    Ok(editable)
}

async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Body(submission): Body<Submission>,
) -> Result<Response, ApiError> {
    let action = step(submission.action.as_deref())?;
    save(&state, &user, None, submission.article, action, None).await
}

async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let editable = load(&state, &user, id).await?;
    Ok(Json(admin_record(&editable)).into_response())
}

async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    Body(submission): Body<Submission>,
) -> Result<Response, ApiError> {
    let current = load(&state, &user, id).await?;
    let action = step(submission.action.as_deref())?;
    let version = submission.version.ok_or_else(|| {
        ApiError(AppError::BadRequest(
            "version: required, the version you read (optimistic locking)".into(),
        ))
    })?;
    save(
        &state,
        &user,
        Some(&current),
        submission.article,
        action,
        Some(version),
    )
    .await
}

/// Publishing or unpublishing keeps the stored text and changes the status only.
async fn change_status(
    state: &AppState,
    user: &User,
    id: i64,
    action: Move,
) -> Result<Response, ApiError> {
    let current = load(state, user, id).await?;
    let mut record = views::record(&current.article);
    record.body_markdown = current.article.body_markdown.clone();
    let version = Some(current.version);
    save(state, user, Some(&current), record, action, version).await
}

async fn publish(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<Response, ApiError> {
    change_status(&state, &user, id, Move::Publish).await
}

async fn unpublish(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<Response, ApiError> {
    change_status(&state, &user, id, Move::Unpublish).await
}

/// Deleting takes the same right as unpublishing.
async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let current = load(&state, &user, id).await?;
    let own = current.owner_id == Some(user.id);
    workflow::check(user.role, own, Some(current.status), Move::Unpublish)
        .map_err(|_| refused())?;
    let mut tx = state.begin().await?;
    newsroom::delete(&mut tx, id).await?;
    tx.commit().await.map_err(AppError::from)?;
    tracing::info!(
        article = id,
        user = user.id,
        "article deleted through the API"
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The OpenAPI 3.1 description of the read and admin APIs.
async fn openapi(State(state): State<AppState>) -> Response {
    let article = serde_json::json!({"$ref": "#/components/schemas/Article"});
    let error = serde_json::json!({"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let id = serde_json::json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let spec = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": format!("{} API", state.site().name), "version": env!("CARGO_PKG_VERSION")},
        "servers": [{"url": state.site().base_url}],
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer", "description": "A key made on /akun by a newsroom member"}},
            "schemas": {
                "Article": {"type": "object", "required": ["headline", "published_at"], "properties": {
                    "id": {"type": "integer", "readOnly": true}, "slug": {"type": "string", "description": "sent on PUT with a new value: a rename; the old address redirects"},
                    "url": {"type": "string", "readOnly": true}, "headline": {"type": "string"},
                    "summary": {"type": "string"}, "published_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "zone": {"enum": ["WIB", "WITA", "WIT"]},
                    "authors": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string"}}}},
                    "source": {"type": ["object", "null"], "properties": {"name": {"type": "string"}, "url": {"type": ["string", "null"]}}},
                    "dateline": {"type": ["string", "null"]}, "section": {"type": ["string", "null"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "body_markdown": {"type": "string"}, "body_html": {"type": "string", "readOnly": true},
                    "related": {"type": "array", "readOnly": true, "items": {"type": "object", "properties": {"headline": {"type": "string"}, "url": {"type": ["string", "null"]}}}},
                    "correction": {"type": ["string", "null"]},
                    "members_only": {"type": "boolean", "description": "only members read it in full; absent on input keeps what the article has"},
                    "story": {"type": "object", "readOnly": true, "description": "the running story or series, when the article belongs to one", "properties": {"title": {"type": "string"}, "url": {"type": "string"}, "series": {"type": "boolean"}, "instalment": {"type": "string"}}},
                    "status": {"enum": ["draft", "review", "published", "unpublished"], "readOnly": true},
                    "version": {"type": "integer"},
                    "action": {"enum": ["save", "submit", "publish", "unpublish"], "writeOnly": true}
                }},
                "ArticleList": {"type": "object", "properties": {"items": {"type": "array", "items": article}, "next": {"type": ["string", "null"]}}},
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}}
            }
        },
        "paths": {
            "/api/v1/articles": {"get": {"summary": "Published articles, newest first", "description": "Any parameter not listed is refused with a 400 naming it.", "parameters": [
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                {"name": "cursor", "in": "query", "description": "where `next` continues: the page after the article it names (not with page)", "schema": {"type": "string", "pattern": "^-?[0-9]+_[0-9]+$"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "section", "in": "query", "schema": {"type": "string"}},
                {"name": "tag", "in": "query", "schema": {"type": "string"}},
                {"name": "author", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ArticleList"}}}}, "400": error}}},
            "/api/v1/articles/{key}": {"get": {"summary": "One published article by id or slug", "description": "A number written as one (38, not 038) is an id; a slug of digits alone is found when no article has that id.", "parameters": [{"name": "key", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the article", "content": {"application/json": {"schema": article}}}, "400": error, "404": error}}},
            "/api/v1/admin/articles": {"post": {"summary": "Create an article", "security": [{"apiKey": []}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": article}}},
                "responses": {"201": {"description": "created", "content": {"application/json": {"schema": article}}}, "400": error, "401": error, "403": error}}},
            "/api/v1/admin/articles/{id}": {
                "get": {"summary": "Any article, any status", "security": [{"apiKey": []}], "parameters": [id], "responses": {"200": {"description": "the article", "content": {"application/json": {"schema": article}}}, "401": error, "403": error, "404": error}},
                "put": {"summary": "Replace an article's content (send the version you read)", "security": [{"apiKey": []}], "parameters": [id],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": article}}},
                    "responses": {"200": {"description": "saved", "content": {"application/json": {"schema": article}}}, "400": error, "401": error, "403": error, "404": error, "409": error}},
                "delete": {"summary": "Delete an article", "security": [{"apiKey": []}], "parameters": [id], "responses": {"204": {"description": "deleted"}, "401": error, "403": error, "404": error}}},
            "/api/v1/admin/articles/{id}/publish": {"post": {"summary": "Publish (or schedule, if its time is in the future)", "security": [{"apiKey": []}], "parameters": [id], "responses": {"200": {"description": "published", "content": {"application/json": {"schema": article}}}, "401": error, "403": error, "404": error}}},
            "/api/v1/admin/articles/{id}/unpublish": {"post": {"summary": "Take off the site", "security": [{"apiKey": []}], "parameters": [id], "responses": {"200": {"description": "unpublished", "content": {"application/json": {"schema": article}}}, "401": error, "403": error, "404": error}}}
        }
    });
    Json(spec).into_response()
}
