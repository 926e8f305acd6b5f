//! Form bodies are UTF-8 text: a field that is not is refused by name, before any handler reads
//! it. axum's `Form` decodes leniently, turning every invalid byte into U+FFFD, so `%ff` and
//! `%fe` as a password were the same password, and names and comments were stored with "�".

use axum::{
    body::Body,
    extract::Request,
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::AppError;

/// Largest form body read here; larger ones are refused (axum's own default for forms).
const MAX_FORM: usize = 2 * 1024 * 1024;

/// Passes every request on, having checked an urlencoded body's fields when it has one.
pub async fn utf8_only(request: Request, next: Next) -> Response {
    let urlencoded = request.method() == Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return AppError::BadParameter {
                id: format!("Isian formulir terlalu besar: paling banyak {MAX_FORM} bita."),
                en: format!("form too large: at most {MAX_FORM} bytes"),
            }
            .into_response();
        }
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
