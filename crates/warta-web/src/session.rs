//! Who is asking: the session cookie, the signed-in user, CSRF tokens and cookie headers.
//!
//! CSRF uses one rule for everyone: a signed-in visitor's token is derived from their session
//! secret (so it changes when the session does, at every sign-in); a visitor without a session
//! gets a random token in its own cookie and must send it back in the form (double submit).

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, header, request::Parts},
};
use chrono::{Duration, Utc};
use warta_core::secret;
use warta_store::accounts::{self, User};

use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "warta_session";
const CSRF_COOKIE: &str = "warta_csrf";
/// A remembered session lasts this long; an ordinary one until the browser closes (and at
/// most a day on the server).
pub const REMEMBER: Duration = Duration::days(30);
pub const ORDINARY: Duration = Duration::days(1);

/// The value of cookie `name` in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The visitor: signed in or not.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<User>,
    /// The signed-in reader has a live "+" membership (no ads, members-only articles).
    pub member: bool,
    /// The session secret from the cookie, when it names a live session.
    session: Option<String>,
}

impl Viewer {
    /// The signed-in user, or a redirect to the sign-in page.
    pub fn require(&self, back_to: &str) -> Result<&User, AppError> {
        self.user
            .as_ref()
            .ok_or_else(|| AppError::SignInRequired(back_to.to_owned()))
    }

    /// The CSRF token of a signed-in visitor (forms in the masthead need it on every page).
    pub fn csrf(&self) -> Option<String> {
        self.session
            .as_ref()
            .map(|s| secret::token_hash(&format!("csrf:{s}")))
    }

    pub fn session_hash(&self) -> Option<String> {
        self.session.as_deref().map(secret::token_hash)
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, AppError> {
        Viewer::of_session(state, cookie(&parts.headers, SESSION_COOKIE)).await
    }
}

impl Viewer {
    /// The viewer whose session cookie holds `secret_value` (none: nobody signed in).
    pub async fn of_session(
        state: &AppState,
        secret_value: Option<&str>,
    ) -> Result<Viewer, AppError> {
        let Some(secret_value) = secret_value else {
            return Ok(Viewer::default());
        };
        let id_hash = secret::token_hash(secret_value);
        let key = match &state.redis {
            Some(redis) => redis
                .session_user(&id_hash)
                .await
                .map_err(unavailable)?
                .map(accounts::ViewerKey::User),
            None => Some(accounts::ViewerKey::Session(&id_hash)),
        };
        let found = match key {
            Some(key) => accounts::viewer_in(&state.store, key, Utc::now()).await?,
            None => None,
        };
        let (user, member) = match found {
            Some((user, member)) => (Some(user), member),
            None => (None, false),
        };
        Ok(Viewer {
            member,
            session: user.is_some().then(|| secret_value.to_owned()),
            user,
        })
    }
}

/// The CSRF token a form on this response must carry, and whether it is new: a visitor
/// without a session gets it as a cookie too ([`csrf_cookie`]).
pub fn csrf_token(headers: &HeaderMap, viewer: &Viewer) -> (String, bool) {
    if let Some(token) = viewer.csrf() {
        return (token, false);
    }
    if let Some(existing) = anonymous_csrf(headers) {
        return (existing.to_owned(), false);
    }
    (secret::token(), true)
}

/// The cookie that gives an anonymous visitor `token` for the double-submit check.
pub fn csrf_cookie(state: &AppState, token: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        secure(state)
    ))
    .ok()
}

/// The anonymous visitor's CSRF cookie, when it is one this server could have issued (64
/// hex digits): an empty or short value planted by someone else must not pass the check.
fn anonymous_csrf(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, CSRF_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks a submitted CSRF token against the visitor's.
pub fn check_csrf(headers: &HeaderMap, viewer: &Viewer, submitted: &str) -> Result<(), AppError> {
    let expected = viewer
        .csrf()
        .or_else(|| anonymous_csrf(headers).map(str::to_owned));
    match expected {
        Some(expected) if !submitted.is_empty() && secret::same(&expected, submitted) => Ok(()),
        _ => Err(AppError::FormExpired),
    }
}

/// Starts a session for `user_id`: a fresh secret every time (so a session id planted before
/// sign-in is worthless), stored hashed, sent as an HttpOnly cookie.
pub async fn start(
    state: &AppState,
    user_id: i64,
    remember: bool,
) -> Result<HeaderValue, AppError> {
    let token = secret::token();
    let now = Utc::now();
    let lifetime = if remember { REMEMBER } else { ORDINARY };
    let id_hash = secret::token_hash(&token);
    match &state.redis {
        Some(redis) => redis
            .start_session(&id_hash, user_id, lifetime.to_std().unwrap_or_default())
            .await
            .map_err(unavailable)?,
        None => {
            let mut conn = state.conn().await?;
            accounts::start_session(&mut conn, &id_hash, user_id, now, now + lifetime).await?;
        }
    }
    let max_age = if remember {
        format!("; Max-Age={}", REMEMBER.num_seconds())
    } else {
        String::new()
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}{max_age}",
        secure(state)
    ))
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// Gives the viewer's session a new secret, keeping its lifetime, and returns the cookie that
/// carries it with the viewer as the new secret makes them (their forms' CSRF token follows
/// it); `None` when the viewer has no live session. After a password change: whoever copied
/// the old cookie (the reason to change a password) is signed out with the rest.
pub async fn renew(
    state: &AppState,
    viewer: &Viewer,
    user_id: i64,
) -> Result<Option<(HeaderValue, Viewer)>, AppError> {
    let Some(old_hash) = viewer.session_hash() else {
        return Ok(None);
    };
    let token = secret::token();
    let new_hash = secret::token_hash(&token);
    let left = match &state.redis {
        Some(redis) => redis
            .renew_session(user_id, &old_hash, &new_hash)
            .await
            .map_err(unavailable)?
            .and_then(|left| Duration::from_std(left).ok()),
        None => {
            let now = Utc::now();
            accounts::renew_session(&mut *state.conn().await?, &old_hash, &new_hash, now)
                .await?
                .map(|expires| Duration::seconds(expires - now.timestamp()))
        }
    };
    let Some(left) = left.filter(|left| *left > Duration::zero()) else {
        return Ok(None);
    };
    // A remembered session outlives the browser; an ordinary one ends with it.
    let max_age = if left > ORDINARY {
        format!("; Max-Age={}", left.num_seconds())
    } else {
        String::new()
    };
    let cookie = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}{max_age}",
        secure(state)
    ))
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let renewed = Viewer {
        session: Some(token),
        ..viewer.clone()
    };
    Ok(Some((cookie, renewed)))
}

/// Ends the session whose secret hashes to `id_hash`.
pub async fn end(state: &AppState, id_hash: &str) -> Result<(), AppError> {
    match &state.redis {
        Some(redis) => redis.end_session(id_hash).await.map_err(unavailable),
        None => Ok(accounts::end_session(&mut *state.conn().await?, id_hash).await?),
    }
}

/// Ends every session of `user_id` except `keep`: after a password change or reset, whoever
/// knew the old password is signed out everywhere.
pub async fn end_others(
    state: &AppState,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), AppError> {
    match &state.redis {
        Some(redis) => redis
            .end_other_sessions(user_id, keep)
            .await
            .map_err(unavailable),
        None => Ok(accounts::end_other_sessions(&mut *state.conn().await?, user_id, keep).await?),
    }
}

fn unavailable(error: redis::RedisError) -> AppError {
    AppError::Internal(format!("session store (redis): {error}"))
}

/// A header that removes the session cookie.
pub fn clear(state: &AppState) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax{}; Max-Age=0",
        secure(state)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("warta_session=; Path=/; Max-Age=0"))
}

/// Cookies are `Secure` when the site is served over TLS.
pub(crate) fn secure(state: &AppState) -> &'static str {
    if state.site().base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; warta_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn anonymous_csrf_is_double_submit() {
        let viewer = Viewer::default();
        let (token, new) = csrf_token(&HeaderMap::new(), &viewer);
        assert!(new);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("warta_csrf={token}")).unwrap(),
        );
        assert!(check_csrf(&headers, &viewer, &token).is_ok());
        assert!(check_csrf(&headers, &viewer, &secret::token()).is_err());
        assert!(check_csrf(&HeaderMap::new(), &viewer, &token).is_err());
        // A cookie someone planted, empty or of their choosing, proves nothing.
        for planted in ["", "abc", &"z".repeat(64)] {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::COOKIE,
                HeaderValue::from_str(&format!("warta_csrf={planted}")).unwrap(),
            );
            assert!(
                check_csrf(&headers, &viewer, planted).is_err(),
                "{planted:?}"
            );
        }
    }
}
