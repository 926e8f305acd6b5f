//! Errors of the web layer, and how each becomes a page or a JSON body.

use axum::{
    Json,
    body::Body,
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{AppState, pages, session::Viewer};

/// A request that could not be answered with what it asked for.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The visitor may not do this; the message says why (in Indonesian: the newsroom's own
    /// refusals, which only its members meet).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The visitor may not do this, said in both site languages: a reader meets it (the
    /// newsroom's door), so the page says it in the site's language.
    #[error("forbidden: {en}")]
    NotAllowed { id: String, en: String },
    /// A form's CSRF token is stale or forged. Readers meet this too (a comment form left
    /// open overnight), so its page speaks the site's language.
    #[error("the form expired or came from another site; reload the page and try again")]
    FormExpired,
    /// A page for signed-in people; carries the path to come back to.
    #[error("sign-in required")]
    SignInRequired(String),
    /// Too many attempts; the message says when to retry.
    #[error("{0}")]
    TooManyRequests(String),
    /// The request itself was wrong; the message says what was expected.
    #[error("{0}")]
    BadRequest(String),
    /// A malformed query parameter, said in both site languages: a reader who edited the
    /// address reads it in the site's language, the API answers in English.
    #[error("{en}")]
    BadParameter { id: String, en: String },
    /// Anything else; details go to the log, never to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<warta_store::StoreError> for AppError {
    fn from(error: warta_store::StoreError) -> Self {
        match error {
            warta_store::StoreError::Invalid(errors) => AppError::BadRequest(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            warta_store::StoreError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<warta_store::SqlxError> for AppError {
    fn from(error: warta_store::SqlxError) -> Self {
        warta_store::StoreError::from(error).into()
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(format!("template: {error}"))
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) | AppError::NotAllowed { .. } | AppError::FormExpired => {
                StatusCode::FORBIDDEN
            }
            AppError::SignInRequired(_) => StatusCode::SEE_OTHER,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) | AppError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            // Inside the request span, so the line carries the request id.
            tracing::error!(%detail, "request failed");
        }
    }
}

/// Marks a response whose page body the `pages` middleware still has to render (it has the
/// site's name and language, which `IntoResponse` does not).
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub message: Message,
}

/// What an error page says under its title.
#[derive(Debug, Clone)]
pub enum Message {
    /// The status's own words from the catalogue.
    Default,
    /// The handler's reason.
    Text(String),
    /// The catalogue's words for an expired form.
    FormExpired,
    /// The reason in Indonesian and in English; the site's language picks.
    Bilingual { id: String, en: String },
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let message = match self {
            AppError::SignInRequired(back_to) => {
                let target = format!(
                    "/masuk?next={}",
                    percent_encoding::utf8_percent_encode(
                        &back_to,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                );
                return axum::response::Redirect::to(&target).into_response();
            }
            AppError::BadRequest(message)
            | AppError::Forbidden(message)
            | AppError::TooManyRequests(message) => Message::Text(message),
            AppError::FormExpired => Message::FormExpired,
            AppError::BadParameter { id, en } | AppError::NotAllowed { id, en } => {
                Message::Bilingual { id, en }
            }
            _ => Message::Default,
        };
        let mut response = status.into_response();
        response
            .extensions_mut()
            .insert(ErrorPage { status, message });
        response
    }
}

/// The API's error body: `{"error": {"status": 404, "message": "..."}}`.
#[derive(Debug, Serialize)]
struct ApiErrorBody {
    error: ApiErrorDetail,
}

#[derive(Debug, Serialize)]
struct ApiErrorDetail {
    status: u16,
    message: String,
}

/// An [`AppError`] answered as JSON, for API routes.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = match self.0 {
            AppError::SignInRequired(_) => StatusCode::UNAUTHORIZED,
            _ => self.0.status(),
        };
        let message = match self.0 {
            AppError::NotFound => "no such resource".to_owned(),
            AppError::SignInRequired(_) => {
                "send a valid API key: Authorization: Bearer <key>".to_owned()
            }
            AppError::BadRequest(message)
            | AppError::Forbidden(message)
            | AppError::TooManyRequests(message) => message,
            AppError::Internal(_) => "internal error; it has been logged".to_owned(),
            AppError::FormExpired => AppError::FormExpired.to_string(),
            AppError::BadParameter { en, .. } | AppError::NotAllowed { en, .. } => en,
        };
        (
            status,
            Json(ApiErrorBody {
                error: ApiErrorDetail {
                    status: status.as_u16(),
                    message,
                },
            }),
        )
            .into_response()
    }
}

/// Renders the page of every response marked with [`ErrorPage`], and of axum's own refusals
/// of a request it could not read (an id that is not a number, a malformed form), which
/// come as English plain text.
pub async fn pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let machine = path.starts_with("/api/") || path.starts_with("/media/");
    // Kept for the error page: a signed-in reader's 404 still shows their account and, for a
    // member, no ads.
    let session = crate::session::cookie(request.headers(), crate::session::SESSION_COOKIE)
        .map(str::to_owned);
    let response = next.run(request).await;
    let page = response.extensions().get::<ErrorPage>().cloned();
    if page.is_none() && (machine || !is_rejection(&response)) {
        return response;
    }
    // A server error's page is shown as to a visitor: the lookup may be what failed (Redis or
    // the store down), and asking again would only make the reader wait twice. A failed lookup
    // for a client error does the same.
    let viewer = if response.status().is_server_error() {
        Viewer::default()
    } else {
        Viewer::of_session(&state, session.as_deref())
            .await
            .unwrap_or_default()
    };
    let Some(page) = page else {
        if response.status() == StatusCode::METHOD_NOT_ALLOWED {
            // The router's own answer, empty: the page, keeping what it allows.
            let mut rendered = pages::error_page(&state, &viewer, response.status(), None);
            if let Some(allow) = response.headers().get(header::ALLOW) {
                rendered.headers_mut().insert(header::ALLOW, allow.clone());
            }
            return rendered;
        }
        let unreadable = state.site().language.catalog().unreadable;
        return pages::error_page(&state, &viewer, response.status(), Some(unreadable));
    };
    let request_id = response.headers().get("x-request-id").cloned();
    let message = match &page.message {
        Message::Default => None,
        Message::Text(text) => Some(text.as_str()),
        Message::FormExpired => Some(state.site().language.catalog().form_expired),
        Message::Bilingual { id, en } => Some(match state.site().language {
            warta_core::i18n::Language::Id => id.as_str(),
            warta_core::i18n::Language::En => en.as_str(),
        }),
    };
    let mut rendered = pages::error_page(&state, &viewer, page.status, message);
    if let Some(id) = request_id {
        rendered.headers_mut().insert("x-request-id", id);
    }
    rendered
}

/// An extractor's refusal, a client error in plain text (handlers answer in HTML or JSON), or
/// the router's empty answer to a method a path does not take.
fn is_rejection(response: &Response) -> bool {
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        return axum::body::HttpBody::size_hint(response.body()).exact() == Some(0);
    }
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    plain
        && matches!(
            response.status(),
            StatusCode::BAD_REQUEST
                | StatusCode::PAYLOAD_TOO_LARGE
                | StatusCode::UNSUPPORTED_MEDIA_TYPE
                | StatusCode::UNPROCESSABLE_ENTITY
        )
}

/// A handler that panicked: log it and answer 500 without details. The server keeps running.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(%detail, "handler panicked");
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "500 Internal Server Error",
    )
        .into_response();
    response.extensions_mut().insert(ErrorPage {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: Message::Default,
    });
    response
}
