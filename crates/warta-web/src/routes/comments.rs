//! Comments ("Komentar") under articles: posting and replying (without JavaScript), the
//! author's edit and delete within fifteen minutes, reports, and the moderators' queue with the
//! site's rules at `/redaksi/komentar`.

use std::{net::SocketAddr, time::Duration};

use askama::Template;
use axum::{
    Form, Router,
    extract::{ConnectInfo, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use warta_core::{
    account::Action,
    comment::{self, CommentRules, CommentStatus},
};
use warta_store::{
    comments::{self, CommentRow, Refused},
    settings,
};

use crate::{
    AppError, AppState,
    pages::{self, Chrome, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
    views::{Moment, Pager},
};

/// Threads per page under an article.
pub const PER_PAGE: i64 = 20;
/// Per reader: comments in a window, so a flood cannot bury a discussion.
const PER_USER: usize = 5;
const PER_USER_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Per address: several readers may share one (offices, mobile carriers).
const PER_IP: usize = 20;
const PER_IP_WINDOW: Duration = Duration::from_secs(10 * 60);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/komentar", post(create))
        .route("/komentar/{id}/ubah", get(edit_form).post(edit))
        .route("/komentar/{id}/hapus", post(delete))
        .route("/komentar/{id}/laporkan", post(report))
        .route("/redaksi/komentar", get(queue).post(moderate))
}

/// One comment as the article page shows it.
pub struct CommentView {
    pub id: i64,
    /// Deleted after others replied: shown as a placeholder, without author or text.
    pub deleted: bool,
    pub author: String,
    pub html: String,
    pub posted: Moment,
    pub edited: bool,
    /// The viewer wrote it and may still change it.
    pub own_editable: bool,
    pub replies: Vec<CommentView>,
}

/// The comments block of an article page.
pub struct CommentsView {
    pub article_id: i64,
    pub count: i64,
    pub open: bool,
    pub threads: Vec<CommentView>,
    pub pager: Pager,
    /// The signed-in viewer's token (forms are shown only to signed-in readers).
    pub csrf: Option<String>,
    pub sign_in_href: String,
    /// Signed in, address not verified yet: the block says so in place of the comment and
    /// reply forms (their own earlier comments keep their edit and delete buttons).
    pub verify_first: bool,
}

fn moment(seconds: i64, zone: warta_core::Zone) -> Moment {
    Moment::new(
        DateTime::from_timestamp(seconds, 0).unwrap_or_default(),
        zone,
    )
}

/// How an article's comments stand, read with the article (see `articles::published_page`).
pub struct Standing {
    pub article_id: i64,
    pub visible: i64,
    pub open: bool,
}

/// The comments under an article, page `page` of its threads.
pub async fn for_article(
    state: &AppState,
    viewer: &Viewer,
    standing: Standing,
    path: &str,
    page: i64,
) -> Result<CommentsView, AppError> {
    let now = Utc::now();
    let Standing {
        article_id,
        visible: count,
        open,
    } = standing;
    // No visible comment, no thread to read.
    let (rows, more) = match count {
        0 => (Vec::new(), false),
        _ => comments::thread_in(&state.store, article_id, PER_PAGE, page).await?,
    };
    let zone = state.site().zone;
    let viewer_id = viewer.user.as_ref().map(|u| u.id);
    let verified = viewer.user.as_ref().is_some_and(|u| u.verified);
    let view = |row: &CommentRow| CommentView {
        id: row.id,
        deleted: row.status == CommentStatus::Deleted.as_str(),
        author: row.author.clone(),
        html: comment::to_html(&row.body),
        posted: moment(row.created_at, zone),
        edited: row.edited_at.is_some(),
        own_editable: viewer_id == Some(row.user_id)
            && row.status != CommentStatus::Deleted.as_str()
            && comment::editable(
                DateTime::from_timestamp(row.created_at, 0).unwrap_or_default(),
                now,
            ),
        replies: Vec::new(),
    };
    let mut threads: Vec<CommentView> = rows
        .iter()
        .filter(|r| r.parent_id.is_none())
        .map(view)
        .collect();
    for reply in rows.iter().filter(|r| r.parent_id.is_some()) {
        if let Some(parent) = threads.iter_mut().find(|t| Some(t.id) == reply.parent_id) {
            parent.replies.push(view(reply));
        }
    }
    let base = format!("{path}?komentar=");
    let href = |n: i64| {
        if n <= 1 {
            format!("{path}#komentar")
        } else {
            format!("{base}{n}#komentar")
        }
    };
    Ok(CommentsView {
        article_id,
        count,
        open,
        threads,
        pager: Pager {
            page: u32::try_from(page).unwrap_or(1),
            previous: (page > 1).then(|| href(page - 1)),
            next: more.then(|| href(page + 1)),
        },
        csrf: viewer.csrf(),
        verify_first: viewer.user.is_some() && !verified,
        sign_in_href: format!(
            "/masuk?next={}",
            percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC)
        ),
    })
}

/// The site's comment rules as stored.
async fn rules(state: &AppState) -> Result<CommentRules, AppError> {
    let stored = settings::all(&mut *state.conn().await?).await?;
    Ok(CommentRules::default().with_stored(stored.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CommentForm {
    csrf: String,
    article_id: i64,
    parent_id: String,
    body: String,
}

#[derive(Template)]
#[template(path = "comment-form.html")]
struct CommentFormPage {
    chrome: Chrome,
    meta: Meta,
    title: &'static str,
    action: String,
    csrf: String,
    article_id: i64,
    parent_id: String,
    body: String,
    error: Option<String>,
    back: String,
}

/// Where a comment form posts to and where "back" leads.
struct FormTarget {
    action: String,
    back: String,
}

/// The form again, with the text as typed and why it was refused.
fn refused(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    typed: &CommentForm,
    FormTarget { action, back }: FormTarget,
    (status, error): (StatusCode, String),
) -> Result<Response, AppError> {
    let (csrf, _) = session::csrf_token(headers, viewer);
    let page = CommentFormPage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, words(state).your_comment),
        title: words(state).your_comment,
        action,
        csrf,
        article_id: typed.article_id,
        parent_id: typed.parent_id.clone(),
        body: typed.body.clone(),
        error: Some(error),
        back,
    };
    pages::private(status, &page)
}

fn expired(state: &AppState) -> String {
    state.site().language.catalog().form_expired_kept.to_owned()
}

/// Where the article lives, to send the reader back.
async fn article_path(state: &AppState, article_id: i64) -> Result<String, AppError> {
    let mut conn = state.conn().await?;
    let article = warta_store::articles::any_by_id(&mut conn, article_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(article.path())
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(typed): Form<CommentForm>,
) -> Result<Response, AppError> {
    // Only live articles take comments: anything else is not found, so a draft's slug (made
    // from its headline) never shows in a redirect.
    if comments::open_on(&mut *state.conn().await?, typed.article_id, Utc::now())
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let path = article_path(&state, typed.article_id).await?;
    let user = viewer.require(&path)?.clone();
    // A token that expired (signed out and in again in another tab) costs the reader nothing
    // they typed: the form comes back with it and a fresh token.
    if session::check_csrf(&headers, &viewer, &typed.csrf).is_err() {
        let target = FormTarget {
            action: "/komentar".into(),
            back: format!("{path}#komentar"),
        };
        let expired = (StatusCode::FORBIDDEN, expired(&state));
        return refused(&state, &viewer, &headers, &typed, target, expired);
    }
    // A verified address is what a throwaway account lacks: comments wait for it.
    if !user.verified {
        return Err(AppError::NotAllowed {
            id: "Verifikasi alamat surel Anda dulu (tautannya dikirim saat mendaftar; kirim ulang dari halaman Akun).".into(),
            en: "Verify your e-mail address first (the link was mailed at registration; send it again from the Account page).".into(),
        });
    }
    let back = format!("{path}#komentar");
    let refuse = |status, error: String| {
        let target = FormTarget {
            action: "/komentar".into(),
            back: back.clone(),
        };
        refused(&state, &viewer, &headers, &typed, target, (status, error))
    };
    let wait = |w: Duration| {
        let minutes = w.as_secs().div_ceil(60).max(1);
        words(&state)
            .too_fast
            .replace("{minutes}", &minutes.to_string())
    };
    // The text first: a comment the rules refuse writes nothing, so correcting it is not
    // held against the reader's rate.
    let rules = rules(&state).await?;
    let body = match rules.check(&typed.body) {
        Ok(body) => body,
        Err(problem) => {
            let message = words(&state).problem(&problem);
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, message);
        }
    };
    if let Err(w) = state
        .limiter
        .hit(
            &format!("comment-user:{}", user.id),
            PER_USER,
            PER_USER_WINDOW,
        )
        .await
    {
        return refuse(StatusCode::TOO_MANY_REQUESTS, wait(w));
    }
    if let Err(w) = state
        .limiter
        .hit(&format!("comment-ip:{}", peer.ip()), PER_IP, PER_IP_WINDOW)
        .await
    {
        return refuse(StatusCode::TOO_MANY_REQUESTS, wait(w));
    }
    let parent_id = match typed.parent_id.trim() {
        "" => None,
        text => Some(text.parse::<i64>().map_err(|_| {
            AppError::BadRequest(format!("parent_id: expected a number, got {text:?}"))
        })?),
    };
    let status = if rules.pre_moderation {
        CommentStatus::Pending
    } else {
        CommentStatus::Visible
    };
    let now = Utc::now();
    let mut tx = state.begin().await?;
    match comments::post(
        &mut tx,
        typed.article_id,
        parent_id,
        user.id,
        &body,
        status,
        now,
    )
    .await?
    {
        Ok(id) => {
            tx.commit().await?;
            state.refresh().await?;
            tracing::info!(
                comment = id,
                user = user.id,
                article = typed.article_id,
                "comment posted"
            );
            let to = if status == CommentStatus::Pending {
                format!("{path}?komentar=menunggu#komentar")
            } else {
                format!("{path}#komentar-{id}")
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(why) => {
            drop(tx);
            refuse(StatusCode::FORBIDDEN, refusal(words(&state), why).into())
        }
    }
}

/// The signed-in author's comment, still within the edit window.
async fn own_editable(state: &AppState, viewer: &Viewer, id: i64) -> Result<CommentRow, AppError> {
    let (row, editable) = own(state, viewer, id).await?;
    if !editable {
        return Err(AppError::Forbidden(window_closed(state)));
    }
    Ok(row)
}

/// The viewer's own comment, and whether its edit window is still open.
async fn own(state: &AppState, viewer: &Viewer, id: i64) -> Result<(CommentRow, bool), AppError> {
    let user = viewer.require("/")?;
    let row = comments::by_id(&mut *state.conn().await?, id)
        .await?
        .filter(|row| row.status != CommentStatus::Deleted.as_str())
        .ok_or(AppError::NotFound)?;
    if row.user_id != user.id {
        return Err(AppError::Forbidden(words(state).not_yours.into()));
    }
    let posted = DateTime::from_timestamp(row.created_at, 0).unwrap_or_default();
    let editable = comment::editable(posted, Utc::now());
    Ok((row, editable))
}

/// Why a comment or its edit was refused, in the site's words.
fn refusal(w: &warta_core::i18n::CommentWords, why: Refused) -> &'static str {
    match why {
        Refused::Closed => w.closed,
        Refused::Banned => w.banned,
        Refused::BadParent => w.bad_parent,
        Refused::Hidden => w.hidden,
    }
}

fn window_closed(state: &AppState) -> String {
    words(state)
        .window_closed
        .replace("{minutes}", &comment::EDIT_WINDOW_MINUTES.to_string())
}

/// The comment words in the site's language.
fn words(state: &AppState) -> &'static warta_core::i18n::CommentWords {
    state.site().language.catalog().comment
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let row = own_editable(&state, &viewer, id).await?;
    let (csrf, _) = session::csrf_token(&headers, &viewer);
    let back = format!(
        "{}#komentar-{id}",
        article_path(&state, row.article_id).await?
    );
    let page = CommentFormPage {
        chrome: Chrome::new(&state, &viewer, None).with_forms(),
        meta: pages::private_meta(&state, words(&state).edit_title),
        title: words(&state).edit_title,
        action: format!("/komentar/{id}/ubah"),
        csrf,
        article_id: row.article_id,
        parent_id: String::new(),
        body: row.body,
        error: None,
        back,
    };
    pages::private(StatusCode::OK, &page)
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(typed): Form<CommentForm>,
) -> Result<Response, AppError> {
    let (row, editable) = own(&state, &viewer, id).await?;
    let path = article_path(&state, row.article_id).await?;
    let target = FormTarget {
        action: format!("/komentar/{id}/ubah"),
        back: format!("{path}#komentar-{id}"),
    };
    if session::check_csrf(&headers, &viewer, &typed.csrf).is_err() {
        let expired = (StatusCode::FORBIDDEN, expired(&state));
        return refused(&state, &viewer, &headers, &typed, target, expired);
    }
    // The window may close while the reader types: the text comes back to be copied.
    if !editable {
        let refusal = (StatusCode::FORBIDDEN, window_closed(&state));
        return refused(&state, &viewer, &headers, &typed, target, refusal);
    }
    let rules = rules(&state).await?;
    let body = match rules.check(&typed.body) {
        Ok(body) => body,
        Err(problem) => {
            let refusal = (
                StatusCode::UNPROCESSABLE_ENTITY,
                words(&state).problem(&problem),
            );
            return refused(&state, &viewer, &headers, &typed, target, refusal);
        }
    };
    let mut tx = state.begin().await?;
    if let Err(why) = comments::edit(&mut tx, id, &body, Utc::now()).await? {
        drop(tx);
        let refusal = (StatusCode::FORBIDDEN, refusal(words(&state), why).into());
        return refused(&state, &viewer, &headers, &typed, target, refusal);
    }
    if rules.pre_moderation {
        // A changed text is a new text: it waits for a moderator again.
        comments::set_status(&mut tx, id, CommentStatus::Pending).await?;
    }
    tx.commit().await?;
    state.refresh().await?;
    Ok(Redirect::to(&format!("{path}#komentar-{id}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfOnly {
    csrf: String,
}

/// Authors delete their own comment within the window; moderators any comment, any time.
async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(typed): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let user = viewer.require("/")?;
    session::check_csrf(&headers, &viewer, &typed.csrf)?;
    let row = if user.role.may(Action::EditAny) {
        comments::by_id(&mut *state.conn().await?, id)
            .await?
            .ok_or(AppError::NotFound)?
    } else {
        own_editable(&state, &viewer, id).await?
    };
    let path = article_path(&state, row.article_id).await?;
    let mut tx = state.begin().await?;
    comments::delete(&mut tx, id).await?;
    tx.commit().await?;
    state.refresh().await?;
    tracing::info!(comment = id, user = user.id, "comment deleted");
    Ok(Redirect::to(&format!("{path}#komentar")).into_response())
}

async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(typed): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let user = viewer.require("/")?;
    session::check_csrf(&headers, &viewer, &typed.csrf)?;
    let row = comments::by_id(&mut *state.conn().await?, id)
        .await?
        // Readers report what they can read.
        .filter(|row| row.status == CommentStatus::Visible.as_str())
        .ok_or(AppError::NotFound)?;
    comments::report(&mut *state.conn().await?, id, user.id, Utc::now()).await?;
    let path = article_path(&state, row.article_id).await?;
    Ok(Redirect::to(&format!("{path}?komentar=dilaporkan#komentar-{id}")).into_response())
}

#[derive(Template)]
#[template(path = "comment-queue.html")]
struct QueuePage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    rows: Vec<QueueRow>,
    /// Readers banned from commenting: (id, name, email, since), each with a button to lift it.
    banned: Vec<(i64, String, String, String)>,
    /// The rules form, for admins.
    rules: Option<RulesView>,
}

struct QueueRow {
    id: i64,
    user_id: i64,
    author: String,
    html: String,
    pending: bool,
    reports: i64,
    posted: String,
    article: String,
}

struct RulesView {
    pre_moderation: bool,
    blocked_words: String,
    /// As stored, or as typed when the rules were refused.
    max_links: String,
    error: Option<&'static str>,
}

fn moderator(viewer: &Viewer) -> Result<&warta_store::accounts::User, AppError> {
    permitted(
        viewer,
        "/redaksi/komentar",
        Action::EditAny,
        "Komentar dimoderasi oleh editor.",
    )
}

async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    render_queue(&state, &viewer, &headers, None).await
}

/// The queue with the rules form as stored, or as typed when `refused` (with the reason).
async fn render_queue(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    refused: Option<RulesView>,
) -> Result<Response, AppError> {
    let user = moderator(viewer)?;
    let mut conn = state.conn().await?;
    let rows = comments::queue(&mut conn, 200).await?;
    let zone = state.site().zone;
    let banned = comments::banned(&mut conn)
        .await?
        .into_iter()
        .map(|(id, name, email, at)| (id, name, email, moment(at, zone).stamp))
        .collect();
    drop(conn);
    let mut view = Vec::with_capacity(rows.len());
    for row in rows {
        view.push(QueueRow {
            id: row.id,
            user_id: row.user_id,
            author: row.author,
            html: comment::to_html(&row.body),
            pending: row.status == CommentStatus::Pending.as_str(),
            reports: row.reports,
            posted: moment(row.created_at, zone).stamp,
            article: format!("{}#komentar", article_path(state, row.article_id).await?),
        });
    }
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let rules = match refused {
        Some(typed) => Some(typed),
        None if user.role.may(Action::ManageSite) => {
            let r = rules(state).await?;
            Some(RulesView {
                pre_moderation: r.pre_moderation,
                blocked_words: r.blocked_words.join("\n"),
                max_links: r.max_links.to_string(),
                error: None,
            })
        }
        None => None,
    };
    let (csrf, _) = session::csrf_token(headers, viewer);
    let page = QueuePage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Moderasi komentar"),
        csrf,
        rows: view,
        banned,
        rules,
    };
    pages::private(status, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ModerationForm {
    csrf: String,
    /// approve, hide, delete, ban, unban or rules.
    action: String,
    id: String,
    user_id: String,
    moderation: String,
    blocked_words: String,
    max_links: String,
}

fn number(field: &str, text: &str) -> Result<i64, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("{field}: expected a number, got {text:?}")))
}

async fn moderate(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<ModerationForm>,
) -> Result<Response, AppError> {
    let user = moderator(&viewer)?.clone();
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let now = Utc::now();
    let mut tx = state.begin().await?;
    let found = match form.action.as_str() {
        "approve" => {
            comments::set_status(&mut tx, number("id", &form.id)?, CommentStatus::Visible).await?
        }
        "hide" => {
            comments::set_status(&mut tx, number("id", &form.id)?, CommentStatus::Hidden).await?
        }
        "delete" => comments::delete(&mut tx, number("id", &form.id)?).await?,
        "ban" | "unban" => {
            comments::set_banned(
                &mut tx,
                number("user_id", &form.user_id)?,
                form.action == "ban",
                now,
            )
            .await?;
            true
        }
        "rules" => {
            if !user.role.may(Action::ManageSite) {
                return Err(AppError::Forbidden(
                    "Aturan komentar diatur oleh admin.".into(),
                ));
            }
            // Moderation is "pre" or "post", nothing else: anything else (a forged or
            // missing choice) must not switch pre-moderation off.
            let pre_moderation = match form.moderation.as_str() {
                "pre" => Some(true),
                "post" => Some(false),
                _ => None,
            };
            let max_links = form
                .max_links
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 20);
            let error = match (pre_moderation, max_links) {
                (None, _) => Some("Moderasi: pilih sebelum atau sesudah tayang"),
                (_, None) => Some("Tautan paling banyak per komentar: bilangan bulat 0 sampai 20"),
                _ => None,
            };
            let (Some(pre_moderation), Some(max_links), None) = (pre_moderation, max_links, error)
            else {
                drop(tx);
                let typed = RulesView {
                    pre_moderation: form.moderation == "pre",
                    blocked_words: form.blocked_words,
                    max_links: form.max_links,
                    error,
                };
                return render_queue(&state, &viewer, &headers, Some(typed)).await;
            };
            let rules = CommentRules {
                pre_moderation,
                blocked_words: form
                    .blocked_words
                    .lines()
                    .map(|w| w.trim().to_lowercase())
                    .filter(|w| !w.is_empty())
                    .collect(),
                max_links,
            };
            settings::set(&mut tx, &rules.pairs()).await?;
            true
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "action: expected approve, hide, delete, ban, unban or rules, got {other:?}"
            )));
        }
    };
    if !found {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    // This node's pages follow at once; the others within the change poll.
    state.refresh().await?;
    tracing::info!(action = %form.action, user = user.id, "comment moderation");
    Ok(Redirect::to("/redaksi/komentar").into_response())
}
