//! Form bodies are UTF-8 text: a field that is not is refused by name, before any handler reads
//! it (urlencoded forms here, multipart text fields through [`field_text`]). axum's `Form` decodes leniently, turning every invalid byte into U+FFFD, so `%ff` and
//! `%fe` as a password were the same password, and names and comments were stored with "�".

use axum::{
    body::Body,
    extract::Request,
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::AppError;

/// Largest form body checked here (axum's own default limit for forms). A larger one, or one
/// of unknown length, passes on unread to its route, whose own limit (the article editor's is
/// larger, and checked after sign-in) decides; browsers send the length of every form.
const MAX_FORM: usize = 2 * 1024 * 1024;

/// Passes every request on, having checked an urlencoded body's fields when it has one. The
/// JSON APIs are left to their own error format.
pub async fn utf8_only(request: Request, next: Next) -> Response {
    let urlencoded = request.method() == Method::POST
        && !request.uri().path().starts_with("/api/")
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if !urlencoded || length.is_none_or(|n| n > MAX_FORM) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM).await else {
        // Shorter or longer than announced: not a browser's form.
        return AppError::BadRequest("the body does not match its Content-Length".into())
            .into_response();
    };
    if let Some(field) = not_text(&bytes) {
        return AppError::BadParameter {
            id: format!("Isian {field:?} bukan teks UTF-8 yang sah."),
            en: format!("field {field:?} is not valid UTF-8 text"),
        }
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A multipart form's text field, refused by name unless it is UTF-8 (multer, under axum's
/// `Multipart`, reads text fields leniently, as `Form` does).
pub async fn field_text(field: axum::extract::multipart::Field<'_>) -> Result<String, AppError> {
    let name = field.name().unwrap_or_default().to_owned();
    let bytes = field
        .bytes()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| AppError::BadParameter {
        id: format!("Isian {name:?} bukan teks UTF-8 yang sah."),
        en: format!("field {name:?} is not valid UTF-8 text"),
    })
}

/// The name of the first field whose name or value does not decode to UTF-8.
fn not_text(body: &[u8]) -> Option<String> {
    let decodes = |part: &[u8]| {
        let spaced: Vec<u8> = part
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect();
        percent_encoding::percent_decode(&spaced)
            .decode_utf8()
            .is_ok()
    };
    body.split(|&b| b == b'&').find_map(|pair| {
        let mut halves = pair.splitn(2, |&b| b == b'=');
        let name = halves.next().unwrap_or_default();
        let value = halves.next().unwrap_or_default();
        (!decodes(name) || !decodes(value)).then(|| {
            String::from_utf8_lossy(&percent_encoding::percent_decode(name).collect::<Vec<u8>>())
                .into_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_that_is_not_text() {
        assert_eq!(not_text(b"name=Sari+Dewi&body=Kaf%C3%A9"), None);
        assert_eq!(not_text(b""), None);
        assert_eq!(not_text(b"csrf=1&password=%ff%fe"), Some("password".into()));
        assert_eq!(not_text(b"a=1&%ff=2"), Some("\u{fffd}".into()));
        assert_eq!(not_text(b"body=\xff"), Some("body".into()));
    }
}
