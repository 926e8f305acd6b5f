//! Reader e-mail: signing up at `/buletin` (double opt-in), managing or leaving by the link in
//! every message (one click, RFC 8058), each mailing's web version; and the newsroom's
//! `/redaksi/buletin`, where digests are drafted, edited and sent.

use std::net::SocketAddr;

use askama::Template;
use axum::{
    Form, Router,
    extract::{ConnectInfo, Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use warta_core::{
    account::{Action, normalize_email},
    i18n::Language,
    newsletter::{self, List},
};
use warta_store::newsletters::{self as store, SignUp};

use crate::{
    AppError, AppState,
    mail::Mail,
    newsletters::{Composed, compose, draft_digest},
    pages::{self, Chrome, MessagePage, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
    views::Link,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/buletin", get(sign_up_form).post(sign_up))
        .route("/buletin/konfirmasi", get(confirm))
        .route("/buletin/kelola", get(manage_form).post(manage))
        .route("/buletin/berhenti", get(leave_form).post(leave))
        .route("/buletin/edisi/{id}", get(web_version))
        .route("/redaksi/buletin", get(desk).post(desk_action))
        .route(
            "/redaksi/buletin/{id}",
            get(mailing_desk).post(mailing_action),
        )
}

/// Sign-ups per address per hour: enough to fix a typo, too few to mail-bomb someone.
const SIGN_UPS_PER_HOUR: usize = 5;

#[derive(Template)]
#[template(path = "newsletter-signup.html")]
struct SignUpPage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    /// Set when managing an existing subscription by its link.
    token: Option<String>,
    email: String,
    /// The refused field ("email" or "daftar") and why.
    error: Option<(&'static str, String)>,
    /// (value, label, chosen)
    lists: Vec<(&'static str, &'static str, bool)>,
    sections: Vec<(i64, String, bool)>,
}

/// Lists and sections ticked in the form.
struct Ticks {
    lists: Vec<List>,
    sections: Vec<i64>,
}

impl Ticks {
    /// As the form was sent: `daftar` and `kanal`, each possibly repeated.
    fn sent(pairs: &[(String, String)]) -> Ticks {
        Ticks {
            lists: pairs
                .iter()
                .filter(|(k, _)| k == "daftar")
                .filter_map(|(_, v)| List::parse(v))
                .collect(),
            sections: pairs
                .iter()
                .filter(|(k, _)| k == "kanal")
                .filter_map(|(_, v)| v.trim().parse().ok())
                .collect(),
        }
    }

    /// A subscriber's stored choices (section 0 is every section).
    fn stored(chosen: &[(String, i64)]) -> Ticks {
        Ticks {
            lists: List::ALL
                .into_iter()
                .filter(|l| chosen.iter().any(|(c, _)| c == l.as_str()))
                .collect(),
            sections: chosen.iter().map(|(_, s)| *s).filter(|s| *s != 0).collect(),
        }
    }

    /// A new reader's form: the daily digest, every section.
    fn fresh() -> Ticks {
        Ticks {
            lists: vec![List::Daily],
            sections: Vec::new(),
        }
    }
}

/// Each list for each chosen section, or for all sections (0) when none is chosen.
fn choices(lists: &[List], sections: &[i64]) -> Vec<(String, i64)> {
    let sections = if sections.is_empty() {
        &[0][..]
    } else {
        sections
    };
    lists
        .iter()
        .flat_map(|l| sections.iter().map(|s| (l.as_str().to_owned(), *s)))
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    token: Option<String>,
    email: String,
    ticks: &Ticks,
    error: Option<(&'static str, String)>,
) -> Result<Response, AppError> {
    let sections = warta_store::taxonomy::sections(&mut *state.conn().await?).await?;
    let (csrf, set) = session::csrf_token(headers, viewer);
    let page = SignUpPage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, words(state).page_title),
        csrf,
        error: error.clone(),
        email,
        lists: List::ALL
            .iter()
            .map(|l| (l.as_str(), words(state).list(*l), ticks.lists.contains(l)))
            .collect(),
        sections: sections
            .iter()
            .map(|s| (s.id, s.name.clone(), ticks.sections.contains(&s.id)))
            .collect(),
        token,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = pages::private(status, &page)?;
    if let Some(cookie) = set
        .then(|| session::csrf_cookie(state, &page.csrf))
        .flatten()
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

fn message(
    state: &AppState,
    viewer: &Viewer,
    title: &str,
    text: String,
) -> Result<Response, AppError> {
    pages::private(
        StatusCode::OK,
        &MessagePage {
            chrome: Chrome::new(state, viewer, None).without_ads(),
            meta: pages::private_meta(state, title),
            title: title.to_owned(),
            message: text,
            link: Some(Link {
                name: state.site().language.catalog().back_home.into(),
                href: "/".into(),
            }),
        },
    )
}

async fn sign_up_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let email = viewer
        .user
        .as_ref()
        .map(|u| u.email.clone())
        .unwrap_or_default();
    render_form(
        &state,
        &viewer,
        &headers,
        None,
        email,
        &Ticks::fresh(),
        None,
    )
    .await
}

async fn sign_up(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    session::check_csrf(&headers, &viewer, value(&pairs, "csrf"))?;
    let ticks = Ticks::sent(&pairs);
    let chosen = choices(&ticks.lists, &ticks.sections);
    let typed = value(&pairs, "email").to_owned();
    let email = match normalize_email(&typed) {
        Ok(email) if !ticks.lists.is_empty() => email,
        Ok(_) => {
            let error = Some(("daftar", words(&state).err_no_list.to_owned()));
            return render_form(&state, &viewer, &headers, None, typed, &ticks, error).await;
        }
        Err(_) => {
            let error = Some((
                "email",
                state.site().language.catalog().err_email.to_owned(),
            ));
            return render_form(&state, &viewer, &headers, None, typed, &ticks, error).await;
        }
    };
    for key in [
        format!("buletin:ip:{}", peer.ip()),
        format!("buletin:to:{email}"),
    ] {
        if let Err(wait) = state
            .limiter
            .hit(
                &key,
                SIGN_UPS_PER_HOUR,
                std::time::Duration::from_secs(3600),
            )
            .await
        {
            return Err(super::auth::too_many(state.site().language.catalog(), wait));
        }
    }
    let mut tx = state.begin().await?;
    let outcome = store::sign_up(&mut tx, &email, &chosen, chrono::Utc::now()).await?;
    tx.commit().await?;
    let site = state.site();
    let w = words(&state);
    let fill = |text: &str, link: &str| {
        text.replace("{site}", &site.name)
            .replace("{link}", link)
            .replace(
                "{days}",
                &warta_store::housekeeping::UNCONFIRMED_KEPT
                    .num_days()
                    .to_string(),
            )
    };
    let mail = match outcome {
        SignUp::Pending(token) => {
            let link = format!("{}/buletin/konfirmasi?token={token}", site.base_url);
            Mail::plain(
                email.clone(),
                fill(w.confirm_subject, &link),
                fill(w.confirm_body, &link),
            )
        }
        SignUp::Confirmed(token) => {
            let link = format!("{}/buletin/kelola?token={token}", site.base_url);
            Mail::plain(
                email.clone(),
                fill(w.already_subject, &link),
                fill(w.already_body, &link),
            )
        }
    };
    // The sign-up is stored; a mail server that is down must not undo it.
    if let Err(error) = state.mailer.send(&mail).await {
        tracing::error!(%error, "sending a newsletter confirmation failed");
    }
    message(
        &state,
        &viewer,
        w.check_inbox_title,
        w.check_inbox.replace("{email}", &email),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TokenQuery {
    token: String,
    daftar: String,
}

async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let Some(subscriber) = store::confirm(&mut conn, &query.token, chrono::Utc::now()).await?
    else {
        return Err(AppError::NotFound);
    };
    message(
        &state,
        &viewer,
        words(&state).confirmed_title,
        words(&state)
            .confirmed
            .replace("{email}", &subscriber.email),
    )
}

async fn manage_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let Some(subscriber) = store::by_token(&mut conn, &query.token).await? else {
        return Err(AppError::NotFound);
    };
    let chosen = store::choices(&mut conn, subscriber.id).await?;
    drop(conn);
    render_form(
        &state,
        &viewer,
        &headers,
        Some(query.token),
        subscriber.email,
        &Ticks::stored(&chosen),
        None,
    )
    .await
}

async fn manage(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    session::check_csrf(&headers, &viewer, value(&pairs, "csrf"))?;
    let token = value(&pairs, "token");
    let Ticks { lists, sections } = Ticks::sent(&pairs);
    let mut tx = state.begin().await?;
    let Some(subscriber) = store::by_token(&mut tx, token).await? else {
        return Err(AppError::NotFound);
    };
    store::set_choices(&mut tx, subscriber.id, &choices(&lists, &sections)).await?;
    // Following the link from a mail proves the address, as the confirmation link does.
    store::confirm(&mut tx, token, chrono::Utc::now()).await?;
    tx.commit().await?;
    let w = words(&state);
    let text = if lists.is_empty() {
        w.left_all
    } else {
        w.saved
    };
    message(&state, &viewer, w.saved_title, text.to_owned())
}

async fn leave_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    if store::by_token(&mut *state.conn().await?, &query.token)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let list = List::parse(&query.daftar);
    #[derive(Template)]
    #[template(path = "newsletter-leave.html")]
    struct LeavePage {
        chrome: Chrome,
        meta: Meta,
        token: String,
        list: String,
        label: &'static str,
    }
    let w = words(&state);
    pages::private(
        StatusCode::OK,
        &LeavePage {
            chrome: Chrome::new(&state, &viewer, None).without_ads(),
            meta: pages::private_meta(&state, w.leave_title),
            token: query.token,
            list: list.map(|l| l.as_str()).unwrap_or_default().to_owned(),
            label: list.map_or(w.every_mail, |l| w.list(l)),
        },
    )
}

/// The unsubscribe link itself: a POST to it (a mail program's one-click request per RFC 8058,
/// or the button on the page) leaves the list at once. The token is the authority, so no CSRF
/// token is asked for; leaving a list is the only thing it can do here.
async fn leave(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let list = List::parse(&query.daftar).map(List::as_str);
    let mut tx = state.begin().await?;
    if !store::unsubscribe(&mut tx, &query.token, list).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    tracing::info!(list = list.unwrap_or("all"), "unsubscribed");
    let w = words(&state);
    let left = List::parse(&query.daftar).map_or(w.every_mail, |l| w.list(l));
    message(
        &state,
        &viewer,
        w.leave_title,
        w.left.replace("{list}", left),
    )
}

#[derive(Template)]
#[template(path = "newsletter.html")]
struct WebVersion {
    chrome: Chrome,
    meta: Meta,
    m: Composed,
    when: String,
}

async fn web_version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Some(mailing) = store::mailing(&mut *state.conn().await?, id).await? else {
        return Err(AppError::NotFound);
    };
    if mailing.status == "draft" {
        return Err(AppError::NotFound);
    }
    let site = state.site();
    let m = compose(&state, &mailing).await?;
    let view = WebVersion {
        chrome: Chrome::new(&state, &viewer, None),
        meta: Meta {
            title: format!("{} - {}", m.subject, site.name),
            og_title: m.subject.clone(),
            description: m.subject.clone(),
            canonical: m.web_url.clone(),
            og_type: "website",
            ..Meta::default()
        },
        when: site.zone.stamp(
            chrono::DateTime::from_timestamp(mailing.sent_at.unwrap_or(mailing.created_at), 0)
                .unwrap_or_default(),
        ),
        m,
    };
    pages::public(&view)
}

// The newsroom side.

fn editor(viewer: &Viewer) -> Result<i64, AppError> {
    permitted(
        viewer,
        "/redaksi/buletin",
        Action::SetLeadAndBreaking,
        "Buletin dikirim oleh editor.",
    )
    .map(|u| u.id)
}

/// A mailing in the newsroom's list.
struct MailingRow {
    id: i64,
    subject: String,
    list: &'static str,
    status: String,
    progress: String,
    at: String,
}

#[derive(Template)]
#[template(path = "newsletter-desk.html")]
struct Desk {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    /// (list label, section name, confirmed subscribers)
    audience: Vec<(&'static str, String, i64)>,
    mailings: Vec<MailingRow>,
    sections: Vec<(i64, String)>,
}

fn progress_text(counts: &[(String, i64)]) -> String {
    counts
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn desk(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    editor(&viewer)?;
    let mut conn = state.conn().await?;
    let sections = warta_store::taxonomy::sections(&mut conn).await?;
    let section_name = |id: i64| {
        if id == 0 {
            "Semua kanal".to_owned()
        } else {
            sections
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| format!("#{id}"), |s| s.name.clone())
        }
    };
    let audience = store::audience(&mut conn)
        .await?
        .into_iter()
        .filter_map(|(list, section, n)| {
            List::parse(&list).map(|l| (l.label(Language::Id), section_name(section), n))
        })
        .collect();
    let mut mailings = Vec::new();
    let zone = state.site().zone;
    for m in store::recent(&mut conn, 30).await? {
        let counts = store::progress(&mut conn, m.id).await?;
        mailings.push(MailingRow {
            id: m.id,
            list: List::parse(&m.list).map_or("", |l| l.label(Language::Id)),
            status: m.status.clone(),
            progress: progress_text(&counts),
            at: zone.stamp(chrono::DateTime::from_timestamp(m.created_at, 0).unwrap_or_default()),
            subject: m.subject,
        });
    }
    drop(conn);
    let (csrf, _) = session::csrf_token(&headers, &viewer);
    pages::private(
        StatusCode::OK,
        &Desk {
            chrome: Chrome::new(&state, &viewer, None).with_forms(),
            meta: pages::private_meta(&state, "Buletin"),
            csrf,
            audience,
            mailings,
            sections: sections.iter().map(|s| (s.id, s.name.clone())).collect(),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ComposeForm {
    csrf: String,
    list: String,
    section: String,
}

async fn desk_action(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<ComposeForm>,
) -> Result<Response, AppError> {
    let user = editor(&viewer)?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let list = List::parse(&form.list)
        .filter(|l| List::DIGESTS.contains(l))
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "list: expected daily or weekly, got {:?}",
                form.list
            ))
        })?;
    let section = match form.section.trim() {
        "" => 0,
        text => text.parse().map_err(|_| {
            AppError::BadRequest(format!("section: expected a section id, got {text:?}"))
        })?,
    };
    let id = draft_digest(&state, list, section, None, Some(user))
        .await?
        .ok_or_else(|| AppError::Internal("the draft was not created".into()))?;
    Ok(Redirect::to(&format!("/redaksi/buletin/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "newsletter-edit.html")]
struct EditPage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    id: i64,
    draft: bool,
    status: String,
    progress: String,
    interrupted: i64,
    /// The stored subject.
    heading: String,
    /// The subject field: the stored subject, or what was typed when it was refused.
    subject: String,
    intro: String,
    article_ids: String,
    /// The articles as they will appear, in order.
    items: Vec<(String, String)>,
    error: Option<String>,
    /// When the draft goes out by itself, in the site's zone ("29/11/2026, 06:30 WIB").
    send_at: Option<String>,
}

async fn mailing_desk(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    editor(&viewer)?;
    render_mailing(&state, &viewer, &headers, id, None).await
}

/// What an editor typed into a draft that was refused, shown again instead of the stored text.
struct Refused<'a> {
    form: &'a MailingForm,
    error: String,
}

async fn render_mailing(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
    refused: Option<Refused<'_>>,
) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let Some(mailing) = store::mailing(&mut conn, id).await? else {
        return Err(AppError::NotFound);
    };
    let counts = store::progress(&mut conn, id).await?;
    drop(conn);
    let composed = compose(state, &mailing).await?;
    let (csrf, _) = session::csrf_token(headers, viewer);
    // The form shows what was typed when it was refused; the heading keeps the stored subject.
    let (subject, intro, article_ids, error) = match refused {
        Some(r) => (
            r.form.subject.clone(),
            r.form.intro.clone(),
            r.form.article_ids.clone(),
            Some(r.error),
        ),
        None => (
            mailing.subject.clone(),
            mailing.intro.clone(),
            mailing.article_ids.clone(),
            None,
        ),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    pages::private(
        status,
        &EditPage {
            chrome: Chrome::new(state, viewer, None).with_forms(),
            meta: pages::private_meta(state, &mailing.subject),
            csrf,
            id,
            draft: mailing.status == "draft",
            status: mailing.status.clone(),
            progress: progress_text(&counts),
            interrupted: counts
                .iter()
                .find(|(s, _)| s == "interrupted")
                .map_or(0, |(_, n)| *n),
            heading: mailing.subject,
            subject,
            intro,
            article_ids,
            items: composed
                .items
                .into_iter()
                .map(|i| (i.headline, i.url))
                .collect(),
            error,
            // Only while the site sends digests by itself (see `newsletters::send_due`).
            send_at: mailing
                .send_at
                .filter(|_| mailing.status == "draft" && state.site().digest_send_after.is_some())
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|t| state.site().zone.stamp(t)),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MailingForm {
    csrf: String,
    /// save, send, hold or retry.
    action: String,
    subject: String,
    intro: String,
    article_ids: String,
}

async fn mailing_action(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<MailingForm>,
) -> Result<Response, AppError> {
    editor(&viewer)?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let now = chrono::Utc::now();
    let mut tx = state.begin().await?;
    let Some(mailing) = store::mailing(&mut tx, id).await? else {
        return Err(AppError::NotFound);
    };
    match form.action.as_str() {
        "save" | "send" => {
            let subject = warta_core::article::collapse_spaces(&form.subject);
            let ids = newsletter::read_ids(&form.article_ids);
            // A draft that went out meanwhile (sent by itself, or by another editor) is not
            // changed; the edit comes back with the reason, not lost in a redirect.
            let refusal = if mailing.status != "draft" {
                Some(
                    "Edisi ini sudah terkirim selagi Anda menyunting; perubahan di bawah tidak disimpan."
                        .to_owned(),
                )
            } else if subject.is_empty() || subject.chars().count() > 200 {
                Some("Judul surel: 1 sampai 200 karakter".to_owned())
            } else {
                ids.as_ref().err().map(|e| format!("Artikel: {}", e.id))
            };
            if let Some(error) = refusal {
                drop(tx);
                let refused = Refused { form: &form, error };
                return render_mailing(&state, &viewer, &headers, id, Some(refused)).await;
            }
            let ids = newsletter::format_ids(&ids.unwrap_or_default());
            store::edit_draft(&mut tx, id, &subject, form.intro.trim(), &ids).await?;
            if form.action == "send" {
                let sections = [mailing.section_id];
                match store::queue(&mut tx, id, &sections, now).await? {
                    Some(n) => tracing::info!(mailing = id, recipients = n, "newsletter queued"),
                    None => {
                        return Err(AppError::BadRequest("Edisi ini sudah terkirim.".into()));
                    }
                }
            }
        }
        "hold" => {
            if !store::hold(&mut tx, id).await? {
                return Err(AppError::BadRequest("Edisi ini sudah terkirim.".into()));
            }
            tracing::info!(mailing = id, "automatic sending held for an editor");
        }
        "retry" => {
            let n = store::retry_interrupted(&mut tx, id).await?;
            tracing::info!(
                mailing = id,
                recipients = n,
                "interrupted sends queued again"
            );
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "action: expected save, send, hold or retry, got {other:?}"
            )));
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/redaksi/buletin/{id}")).into_response())
}

/// The newsletter words in the site's language. The newsroom's desk speaks Indonesian.
fn words(state: &AppState) -> &'static warta_core::i18n::NewsletterWords {
    state.site().language.catalog().newsletter
}
