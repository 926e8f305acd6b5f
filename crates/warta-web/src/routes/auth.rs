//! Accounts: register, verify, sign in and out, reset and change the password.

use std::{net::SocketAddr, time::Duration};

use axum::{
    Form, Router,
    extract::{ConnectInfo, Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::Utc;
use serde::Deserialize;
use warta_core::{
    account::{Registration, check_password, normalize_email},
    i18n::Catalog,
    secret,
};
use warta_store::{
    StoreError,
    accounts::{self, Purpose},
};

use crate::{
    AppError, AppState,
    mail::Mail,
    pages::{self, AccountPage, Chrome, Field, Form as FormView, FormPage, MessagePage},
    session::{self, Viewer},
    views::Link,
};

/// Registrations and reset requests per address (client IP), failures per account, in
/// `WINDOW`.
const PER_IP: usize = 30;
const PER_ACCOUNT: usize = 5;
/// Sign-in attempts per address in `WINDOW`, successful ones included. A newsroom signs in
/// from one office address at the start of a shift (30 locked a whole desk out); guessing is
/// held back by the per-account limit, and 200 argon2 checks a quarter hour cost little.
const SIGN_INS_PER_IP: usize = 200;
const RESETS_PER_ACCOUNT: usize = 3;
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// How long e-mailed links work.
const RESET_LIFETIME: chrono::Duration = chrono::Duration::hours(1);
const VERIFY_LIFETIME: chrono::Duration = chrono::Duration::days(7);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/masuk", get(sign_in_form).post(sign_in))
        .route("/keluar", axum::routing::post(sign_out))
        .route("/daftar", get(register_form).post(register))
        .route("/verifikasi", get(verify))
        .route("/lupa-sandi", get(forgot_form).post(forgot))
        .route("/sandi-baru", get(reset_form).post(reset))
        .route("/akun", get(account))
        .route("/akun/verifikasi", axum::routing::post(resend_verification))
        .route("/akun/kunci", axum::routing::post(create_key))
        .route("/akun/kunci/{id}/cabut", axum::routing::post(revoke_key))
        .route("/akun/sandi", get(change_form).post(change))
}

/// Only paths on this site, so `next` cannot send people elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if warta_core::local_path::is_local(path) => path.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Renders a form page, setting the anonymous CSRF cookie when it is new.
fn form_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    form: FormView,
    new_token: bool,
) -> Result<Response, AppError> {
    let set_cookie = new_token
        .then(|| session::csrf_cookie(state, &form.csrf))
        .flatten();
    let page = FormPage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, form.title),
        form,
    };
    let mut response = pages::private(status, &page)?;
    if let Some(cookie) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

fn message(
    state: &AppState,
    viewer: &Viewer,
    title: &str,
    text: &str,
    link: Option<Link>,
) -> Result<Response, AppError> {
    let page = MessagePage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, title),
        title: title.to_owned(),
        message: text.to_owned(),
        link,
    };
    pages::private(StatusCode::OK, &page)
}

/// Why `password` was refused, in the site's words: too short, or too long.
fn password_problem(t: &Catalog, password: &str) -> &'static str {
    if password.chars().count() > warta_core::account::MAX_PASSWORD {
        t.err_password_long
    } else {
        t.err_password
    }
}

/// A rate limit's refusal in the site's words: how many minutes until the next try.
pub(crate) fn too_many(t: &Catalog, wait: Duration) -> AppError {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    AppError::TooManyRequests(t.err_too_many.replace("{minutes}", &minutes.to_string()))
}

/// An argon2id hash, computed off the async runtime (it takes tens of milliseconds of CPU).
async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || secret::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)
}

// ---- sign in -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignIn {
    csrf: String,
    email: String,
    password: String,
    remember: String,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NextQuery {
    next: Option<String>,
}

fn sign_in_view(
    t: &'static Catalog,
    csrf: String,
    input: &SignIn,
    error: Option<&str>,
) -> FormView {
    FormView {
        title: t.sign_in,
        intro: t.sign_in_invite,
        action: "/masuk".into(),
        csrf,
        hidden: vec![("next", input.next.clone())],
        fields: vec![
            Field {
                name: "email",
                label: t.email_address,
                kind: "email",
                value: input.email.clone(),
                autocomplete: "email",
                ..Field::default()
            },
            Field {
                name: "password",
                label: t.password,
                kind: "password",
                autocomplete: "current-password",
                ..Field::default()
            },
            Field {
                name: "remember",
                label: t.remember_me,
                kind: "checkbox",
                value: input.remember.clone(),
                autocomplete: "off",
                ..Field::default()
            },
        ],
        submit: t.sign_in,
        errors: error.map(str::to_owned).into_iter().collect(),
        links: vec![
            Link {
                name: t.forgot_password.into(),
                href: "/lupa-sandi".into(),
            },
            Link {
                name: format!("{} {}", t.no_account, t.register),
                href: "/daftar".into(),
            },
        ],
    }
}

async fn sign_in_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let (csrf, set) = session::csrf_token(&headers, &viewer);
    let input = SignIn {
        next: safe_next(query.next.as_deref()),
        ..SignIn::default()
    };
    form_page(
        &state,
        &viewer,
        StatusCode::OK,
        sign_in_view(state.site().language.catalog(), csrf, &input, None),
        set,
    )
}

async fn sign_in(
    State(state): State<AppState>,
    viewer: Viewer,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(input): Form<SignIn>,
) -> Result<Response, AppError> {
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    let t = state.site().language.catalog();
    let email = input.email.trim().to_lowercase();
    state
        .limiter
        .hit(&format!("signin-ip:{}", peer.ip()), SIGN_INS_PER_IP, WINDOW)
        .await
        .map_err(|w| too_many(t, w))?;
    let account_key = format!("signin-account:{email}");
    state
        .limiter
        .hit(&account_key, PER_ACCOUNT, WINDOW)
        .await
        .map_err(|w| too_many(t, w))?;

    let found = accounts::credentials(&mut *state.conn().await?, &email).await?;
    let password = input.password.clone();
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, secret::decoy_hash().to_owned()),
    };
    let matches = tokio::task::spawn_blocking(move || secret::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(user) = user.filter(|_| matches) else {
        let (csrf, _) = session::csrf_token(&headers, &viewer);
        return form_page(
            &state,
            &viewer,
            StatusCode::UNAUTHORIZED,
            sign_in_view(t, csrf, &input, Some(t.err_credentials)),
            false,
        );
    };
    state.limiter.reset(&account_key).await;
    if let Some(old) = viewer.session_hash() {
        session::end(&state, &old).await?;
    }
    let cookie = session::start(&state, user.id, !input.remember.is_empty()).await?;
    tracing::info!(user = user.id, "signed in");
    let mut response = Redirect::to(&safe_next(Some(&input.next))).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfOnly {
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(input): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    if let Some(hash) = viewer.session_hash() {
        session::end(&state, &hash).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::clear(&state));
    Ok(response)
}

// ---- register and verify -------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RegisterInput {
    csrf: String,
    name: String,
    email: String,
    password: String,
}

fn register_view(
    t: &'static Catalog,
    csrf: String,
    input: &RegisterInput,
    errors: &[(&str, &'static str)],
) -> FormView {
    let error = |name: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| (*m).to_owned())
    };
    FormView {
        title: t.register_title,
        action: "/daftar".into(),
        csrf,
        fields: vec![
            Field {
                name: "name",
                label: t.name,
                kind: "text",
                value: input.name.clone(),
                autocomplete: "name",
                error: error("name"),
                ..Field::default()
            },
            Field {
                name: "email",
                label: t.email_address,
                kind: "email",
                value: input.email.clone(),
                autocomplete: "email",
                error: error("email"),
                ..Field::default()
            },
            Field {
                name: "password",
                label: t.password,
                kind: "password",
                autocomplete: "new-password",
                hint: t.password_hint,
                error: error("password"),
                ..Field::default()
            },
        ],
        submit: t.register,
        links: vec![Link {
            name: format!("{} {}", t.have_account, t.sign_in),
            href: "/masuk".into(),
        }],
        ..FormView::default()
    }
}

async fn register_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (csrf, set) = session::csrf_token(&headers, &viewer);
    form_page(
        &state,
        &viewer,
        StatusCode::OK,
        register_view(
            state.site().language.catalog(),
            csrf,
            &RegisterInput::default(),
            &[],
        ),
        set,
    )
}

async fn register(
    State(state): State<AppState>,
    viewer: Viewer,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(input): Form<RegisterInput>,
) -> Result<Response, AppError> {
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    let t = state.site().language.catalog();
    state
        .limiter
        .hit(&format!("register-ip:{}", peer.ip()), PER_IP, WINDOW)
        .await
        .map_err(|w| too_many(t, w))?;
    let rejected = |errors: Vec<(&str, &'static str)>| {
        let (csrf, _) = session::csrf_token(&headers, &viewer);
        form_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            register_view(t, csrf, &input, &errors),
            false,
        )
    };
    let registration = Registration {
        name: input.name.clone(),
        email: input.email.clone(),
        password: input.password.clone(),
    };
    let valid = match registration.validate() {
        Ok(valid) => valid,
        Err(errors) => {
            let messages = errors
                .iter()
                .map(|e| match e.field {
                    "name" => ("name", t.err_name),
                    "email" => ("email", t.err_email),
                    _ => ("password", password_problem(t, &input.password)),
                })
                .collect();
            return rejected(messages);
        }
    };
    let hash = hash_password(valid.password.clone()).await?;
    let now = Utc::now();
    let created = {
        let mut conn = state.conn().await?;
        accounts::create(
            &mut conn,
            &valid.name,
            &valid.email,
            &hash,
            warta_core::account::Role::Reader,
            false,
            now,
        )
        .await
    };
    let user_id = match created {
        Ok(id) => id,
        Err(StoreError::Invalid(_)) => return rejected(vec![("email", t.err_email_taken)]),
        Err(other) => return Err(other.into()),
    };
    send_link(&state, user_id, &valid.email, Purpose::VerifyEmail).await?;
    let cookie = session::start(&state, user_id, false).await?;
    tracing::info!(user = user_id, "registered");
    let mut response = Redirect::to("/akun").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Issues a one-time token and mails its link.
async fn send_link(
    state: &AppState,
    user_id: i64,
    email: &str,
    purpose: Purpose,
) -> Result<(), AppError> {
    let t = state.site().language.catalog();
    let token = secret::token();
    let (lifetime, path, subject, body) = match purpose {
        Purpose::VerifyEmail => (
            VERIFY_LIFETIME,
            "/verifikasi",
            t.mail_verify_subject,
            t.mail_verify_body,
        ),
        Purpose::ResetPassword => (
            RESET_LIFETIME,
            "/sandi-baru",
            t.mail_reset_subject,
            t.mail_reset_body,
        ),
    };
    accounts::issue_token(
        &mut *state.conn().await?,
        &secret::token_hash(&token),
        user_id,
        purpose,
        Utc::now() + lifetime,
    )
    .await?;
    let mail = Mail::plain(
        email.to_owned(),
        format!("{subject} - {}", state.site().name),
        format!("{body}\n\n{}{path}?token={token}\n", state.site().base_url),
    );
    // The account and token are stored; a mail server that is down must not undo that. The
    // reader can ask for a new link.
    if let Err(error) = state.mailer.send(&mail).await {
        tracing::error!(%error, to = %mail.to, "sending mail failed");
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TokenQuery {
    token: String,
}

async fn verify(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let t = state.site().language.catalog();
    let now = Utc::now();
    let mut conn = state.conn().await?;
    match accounts::redeem_token(
        &mut conn,
        &secret::token_hash(&query.token),
        Purpose::VerifyEmail,
        now,
    )
    .await?
    {
        Some(user_id) => {
            accounts::mark_verified(&mut conn, user_id, now).await?;
            drop(conn);
            message(
                &state,
                &viewer,
                t.verified,
                t.verified_done,
                Some(Link {
                    name: t.back_home.into(),
                    href: "/".into(),
                }),
            )
        }
        None => Err(AppError::BadRequest(t.err_token.into())),
    }
}

// ---- forgotten and changed passwords -------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotInput {
    csrf: String,
    email: String,
}

async fn forgot_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let t = state.site().language.catalog();
    let (csrf, set) = session::csrf_token(&headers, &viewer);
    let form = forgot_view(t, csrf, "", None);
    form_page(&state, &viewer, StatusCode::OK, form, set)
}

/// The forgotten-password form, with what was typed and why it was refused.
fn forgot_view(t: &'static Catalog, csrf: String, typed: &str, error: Option<&str>) -> FormView {
    FormView {
        title: t.forgot_title,
        intro: t.forgot_intro,
        action: "/lupa-sandi".into(),
        csrf,
        fields: vec![Field {
            name: "email",
            label: t.email_address,
            kind: "email",
            value: typed.to_owned(),
            autocomplete: "email",
            error: error.map(str::to_owned),
            ..Field::default()
        }],
        submit: t.send_link,
        ..FormView::default()
    }
}

async fn forgot(
    State(state): State<AppState>,
    viewer: Viewer,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(input): Form<ForgotInput>,
) -> Result<Response, AppError> {
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    let t = state.site().language.catalog();
    state
        .limiter
        .hit(&format!("reset-ip:{}", peer.ip()), PER_IP, WINDOW)
        .await
        .map_err(|w| too_many(t, w))?;
    // A mistyped address is said so (that tells nothing about accounts); a well-formed one
    // gets the same answer whether or not it has an account.
    let Ok(email) = normalize_email(&input.email) else {
        let (csrf, _) = session::csrf_token(&headers, &viewer);
        let form = forgot_view(t, csrf, &input.email, Some(t.err_email));
        return form_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
            false,
        );
    };
    state
        .limiter
        .hit(
            &format!("reset-account:{email}"),
            RESETS_PER_ACCOUNT,
            WINDOW,
        )
        .await
        .map_err(|w| too_many(t, w))?;
    let user = accounts::by_email(&mut *state.conn().await?, &email).await?;
    if let Some(user) = user {
        send_link(&state, user.id, &user.email, Purpose::ResetPassword).await?;
    }
    message(&state, &viewer, t.forgot_title, t.sent_reset, None)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResetInput {
    csrf: String,
    token: String,
    password: String,
}

fn reset_view(
    t: &'static Catalog,
    csrf: String,
    token: &str,
    error: Option<&'static str>,
) -> FormView {
    FormView {
        title: t.forgot_title,
        action: "/sandi-baru".into(),
        csrf,
        hidden: vec![("token", token.to_owned())],
        fields: vec![Field {
            name: "password",
            label: t.new_password,
            kind: "password",
            autocomplete: "new-password",
            hint: t.password_hint,
            error: error.map(str::to_owned),
            ..Field::default()
        }],
        submit: t.save,
        ..FormView::default()
    }
}

async fn reset_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let (csrf, set) = session::csrf_token(&headers, &viewer);
    form_page(
        &state,
        &viewer,
        StatusCode::OK,
        reset_view(state.site().language.catalog(), csrf, &query.token, None),
        set,
    )
}

async fn reset(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(input): Form<ResetInput>,
) -> Result<Response, AppError> {
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    let t = state.site().language.catalog();
    if check_password(&input.password).is_err() {
        let (csrf, _) = session::csrf_token(&headers, &viewer);
        return form_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            reset_view(
                t,
                csrf,
                &input.token,
                Some(password_problem(t, &input.password)),
            ),
            false,
        );
    }
    let hash = hash_password(input.password.clone()).await?;
    let mut tx = state.begin().await?;
    let Some(user_id) = accounts::redeem_token(
        &mut tx,
        &secret::token_hash(&input.token),
        Purpose::ResetPassword,
        Utc::now(),
    )
    .await?
    else {
        return Err(AppError::BadRequest(t.err_token.into()));
    };
    accounts::set_password(&mut tx, user_id, &hash).await?;
    tx.commit().await?;
    // Every session ends: whoever had the old password is signed out everywhere.
    session::end_others(&state, user_id, None).await?;
    message(
        &state,
        &viewer,
        t.forgot_title,
        t.password_changed,
        Some(Link {
            name: t.sign_in.into(),
            href: "/masuk".into(),
        }),
    )
}

async fn account(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let user = viewer.require("/akun")?;
    let newsroom = user.role.may(warta_core::account::Action::EnterNewsroom);
    let zone = state.site().zone;
    let stamp = |at: i64| zone.stamp(chrono::DateTime::from_timestamp(at, 0).unwrap_or_default());
    let keys = if newsroom {
        accounts::api_keys(&mut *state.conn().await?, user.id)
            .await?
            .into_iter()
            .map(|k| pages::KeyView {
                id: k.id,
                name: k.name,
                created: stamp(k.created_at),
                used: k.last_used_at.map(stamp),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (csrf, _) = session::csrf_token(&headers, &viewer);
    let page = AccountPage {
        chrome: Chrome::new(&state, &viewer, None).with_forms(),
        meta: pages::private_meta(&state, state.site().language.catalog().account),
        newsroom,
        keys,
        csrf,
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role.as_str(),
        verified: user.verified,
    };
    pages::private(StatusCode::OK, &page)
}

/// Mails the verification link again (the first one lost, expired or never read); a few times
/// per account per quarter hour, as password resets.
async fn resend_verification(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(input): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let user = viewer.require("/akun")?.clone();
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    if user.verified {
        return Ok(Redirect::to("/akun").into_response());
    }
    let t = state.site().language.catalog();
    state
        .limiter
        .hit(
            &format!("verify-account:{}", user.id),
            RESETS_PER_ACCOUNT,
            WINDOW,
        )
        .await
        .map_err(|w| too_many(t, w))?;
    send_link(&state, user.id, &user.email, Purpose::VerifyEmail).await?;
    message(
        &state,
        &viewer,
        t.resend_verification,
        &t.verification_resent.replace("{email}", &user.email),
        Some(Link {
            name: t.account.into(),
            href: "/akun".into(),
        }),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct KeyInput {
    csrf: String,
    name: String,
}

/// Makes an API key and shows it once; only its hash is kept.
async fn create_key(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(input): Form<KeyInput>,
) -> Result<Response, AppError> {
    let user = viewer.require("/akun")?;
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    if !user.role.may(warta_core::account::Action::EnterNewsroom) {
        return Err(AppError::NotAllowed {
            id: "Kunci API hanya untuk anggota redaksi.".into(),
            en: "API keys are for newsroom members.".into(),
        });
    }
    let name = warta_core::article::collapse_spaces(&input.name);
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::BadRequest(
            "Nama kunci: 1 sampai 80 karakter, misalnya \"impor Antara\"".into(),
        ));
    }
    let key = format!("wk_{}", secret::token());
    accounts::create_api_key(
        &mut *state.conn().await?,
        user.id,
        &name,
        &secret::token_hash(&key),
        Utc::now(),
    )
    .await?;
    tracing::info!(user = user.id, "API key created");
    message(
        &state,
        &viewer,
        "Kunci API baru",
        &format!("Simpan kunci ini sekarang; kunci tidak akan ditampilkan lagi: {key}"),
        Some(Link {
            name: state.site().language.catalog().account.into(),
            href: "/akun".into(),
        }),
    )
}

async fn revoke_key(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(input): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let user = viewer.require("/akun")?;
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    if !accounts::revoke_api_key(&mut *state.conn().await?, user.id, id, Utc::now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/akun").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChangeInput {
    csrf: String,
    current: String,
    password: String,
}

fn change_view(t: &'static Catalog, csrf: String, errors: &[(&str, &'static str)]) -> FormView {
    let error = |name: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| (*m).to_owned())
    };
    FormView {
        title: t.change_password,
        action: "/akun/sandi".into(),
        csrf,
        fields: vec![
            Field {
                name: "current",
                label: t.current_password,
                kind: "password",
                autocomplete: "current-password",
                error: error("current"),
                ..Field::default()
            },
            Field {
                name: "password",
                label: t.new_password,
                kind: "password",
                autocomplete: "new-password",
                hint: t.password_hint,
                error: error("password"),
                ..Field::default()
            },
        ],
        submit: t.save,
        ..FormView::default()
    }
}

async fn change_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    viewer.require("/akun/sandi")?;
    let (csrf, set) = session::csrf_token(&headers, &viewer);
    form_page(
        &state,
        &viewer,
        StatusCode::OK,
        change_view(state.site().language.catalog(), csrf, &[]),
        set,
    )
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(input): Form<ChangeInput>,
) -> Result<Response, AppError> {
    let user = viewer.require("/akun/sandi")?.clone();
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    let t = state.site().language.catalog();
    let rejected = |errors: &[(&str, &'static str)]| {
        let (csrf, _) = session::csrf_token(&headers, &viewer);
        form_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            change_view(t, csrf, errors),
            false,
        )
    };
    state
        .limiter
        .hit(&format!("change:{}", user.id), PER_ACCOUNT, WINDOW)
        .await
        .map_err(|w| too_many(t, w))?;
    let Some((_, hash)) = accounts::credentials(&mut *state.conn().await?, &user.email).await?
    else {
        return Err(AppError::NotFound);
    };
    let (current, new) = (input.current.clone(), input.password.clone());
    let outcome = tokio::task::spawn_blocking(move || {
        if !secret::verify_password(&current, &hash) {
            return Ok(None);
        }
        secret::hash_password(&new).map(Some)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    if check_password(&input.password).is_err() {
        return rejected(&[("password", password_problem(t, &input.password))]);
    }
    let Some(new_hash) = outcome else {
        return rejected(&[("current", t.err_current_password)]);
    };
    // The session's new secret first: of two changes sent at once (a double click), the
    // second finds the old secret gone and asks to sign in, rather than ending the first's
    // new session as one of the "others".
    let Some((cookie, viewer)) = session::renew(&state, &viewer, user.id).await? else {
        return Err(AppError::SignInRequired("/akun/sandi".into()));
    };
    accounts::set_password(&mut *state.conn().await?, user.id, &new_hash).await?;
    session::end_others(&state, user.id, viewer.session_hash().as_deref()).await?;
    let mut response = message(
        &state,
        &viewer,
        t.change_password,
        t.password_changed,
        Some(Link {
            name: t.account.into(),
            href: "/akun".into(),
        }),
    )?;
    response
        .headers_mut()
        .append(axum::http::header::SET_COOKIE, cookie);
    Ok(response)
}
