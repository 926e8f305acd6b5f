//! Running stories and series: the reader's `/topik/{slug}` page (pinned summary, key events,
//! a live timeline, the articles or numbered instalments), the timeline's server-sent events,
//! and the newsroom's `/redaksi/topik` where editors set stories up and writers post updates.

use std::{
    collections::{HashMap, VecDeque},
    convert::Infallible,
};

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{
        IntoResponse, Redirect, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::{get, post},
};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use serde::Deserialize;
use warta_core::{
    FieldError,
    account::Action,
    story::{self, StoryInput},
};
use warta_store::{
    articles::{self, Filter},
    stories::{self, Story, Update},
};

use crate::{
    AppError, AppState,
    pages::{self, Chrome, Meta},
    query::QueryParams,
    routes::newsroom::permitted,
    session::{self, Viewer},
    views::{Card, Moment, Pager},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/topik/{slug}", get(page))
        .route("/langsung/topik/{slug}", get(events))
        .route("/redaksi/topik", get(list_desk).post(create))
        .route("/redaksi/topik/{id}", get(story_desk).post(change))
        .route("/redaksi/topik/{id}/kabar", post(post_update))
}

/// How many updates the page shows; older ones stay linkable from the key events.
const TIMELINE: i64 = 100;
/// Articles per page of a story.
const PER_PAGE: u32 = 20;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// An update as pages and events show it.
#[derive(Debug, Clone)]
pub struct UpdateView {
    pub id: i64,
    pub body: String,
    pub key_event: bool,
    pub when: Moment,
    /// "24/11 14:05 WIB": short, and still clear on a story that runs for days.
    pub clock: String,
    /// When the update was last corrected.
    pub edited: Option<Moment>,
}

impl UpdateView {
    fn new(update: &Update, zone: warta_core::Zone) -> UpdateView {
        let moment = at(update.created_at);
        UpdateView {
            id: update.id,
            body: update.body.clone(),
            key_event: update.key_event != 0,
            when: Moment::new(moment, zone),
            clock: format!(
                "{} {}",
                zone.local(moment).format("%d/%m %H:%M"),
                zone.abbreviation()
            ),
            edited: update.edited_at.map(|t| Moment::new(at(t), zone)),
        }
    }

    fn json(&self) -> String {
        serde_json::json!({
            "id": self.id,
            "body": self.body,
            "key": self.key_event,
            "stamp": self.when.stamp,
            "machine": self.when.machine,
            "clock": self.clock,
            "edited": self.edited.as_ref().map(|m| &m.stamp),
            "edited_machine": self.edited.as_ref().map(|m| &m.machine),
        })
        .to_string()
    }
}

/// An instalment of a series as its list shows it.
struct Instalment {
    label: String,
    headline: String,
    href: String,
    when: Moment,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    chrome: Chrome,
    meta: Meta,
    title: String,
    slug: String,
    series: bool,
    summary: Vec<String>,
    key_events: Vec<UpdateView>,
    updates: Vec<UpdateView>,
    newest: i64,
    /// When the page was rendered (Unix seconds): its event stream resends later corrections.
    rendered: i64,
    cards: Vec<Card>,
    instalments: Vec<Instalment>,
    pager: Pager,
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = QueryParams::parse(query.as_deref())?.page()?;
    let now = Utc::now();
    let store = &state.store;
    let Some(story) = stories::by_slug(store, &slug).await? else {
        return Err(AppError::NotFound);
    };
    let updates = stories::updates(store, story.id, TIMELINE).await?;
    let mut items = articles::list(
        store,
        Filter::Story(&slug),
        now,
        PER_PAGE + 1,
        articles::Start::Skip((page - 1) * PER_PAGE),
    )
    .await?;
    if page > 1 && items.is_empty() {
        return Err(AppError::NotFound);
    }
    let has_next = items.len() > PER_PAGE as usize;
    items.truncate(PER_PAGE as usize);
    let site = state.site();
    let zone = site.zone;
    let updates: Vec<UpdateView> = updates.iter().map(|u| UpdateView::new(u, zone)).collect();
    let instalments = match story.start() {
        Some(start) => items
            .iter()
            .map(|a| Instalment {
                label: story::instalment(start, a.published_at, zone)
                    .map(|n| story::instalment_title(&story.instalment_label, n))
                    .and_then(|title| story::instalment_label_for(title, &a.headline))
                    .unwrap_or_default(),
                headline: a.headline.clone(),
                href: a.path(),
                when: Moment::new(a.published_at, zone),
            })
            .collect(),
        None => Vec::new(),
    };
    let summary = story::paragraphs(&story.summary);
    let href = story.path();
    let description = summary
        .first()
        .cloned()
        .or_else(|| updates.first().map(|u| u.body.clone()))
        .unwrap_or_else(|| story.title.clone());
    let canonical = format!("{}{href}", site.base_url);
    let json_ld = live_blog(&story, &updates, &canonical, &site.name);
    let view = StoryPage {
        chrome: Chrome::new(&state, &viewer, None),
        meta: Meta {
            title: format!("{} - {}", story.title, site.name),
            og_title: story.title.clone(),
            description: warta_core::body::truncate_words(&description, 160),
            canonical: format!(
                "{}{}",
                site.base_url,
                if page > 1 {
                    format!("{href}?page={page}")
                } else {
                    href.clone()
                }
            ),
            og_type: "website",
            json_ld,
            ..Meta::default()
        },
        title: story.title.clone(),
        slug: story.slug.clone(),
        series: story.start().is_some(),
        summary,
        key_events: updates.iter().filter(|u| u.key_event).cloned().collect(),
        newest: updates.first().map_or(0, |u| u.id),
        rendered: now.timestamp(),
        updates,
        cards: if story.start().is_some() {
            Vec::new()
        } else {
            items.iter().map(|s| Card::new(s, zone)).collect()
        },
        instalments,
        pager: Pager::new(&href, page, has_next),
    };
    pages::public(&view)
}

/// A story with updates as `LiveBlogPosting` structured data, so search engines can show it as
/// live coverage with its newest updates.
fn live_blog(story: &Story, updates: &[UpdateView], canonical: &str, site: &str) -> Option<String> {
    let newest = updates.first()?;
    let oldest = updates.last()?;
    let entries: Vec<serde_json::Value> = updates
        .iter()
        .take(20)
        .map(|u| {
            let mut entry = serde_json::json!({
                "@type": "BlogPosting",
                "headline": warta_core::body::truncate_words(&u.body, 110),
                "articleBody": u.body,
                "datePublished": u.when.machine,
                "url": format!("{canonical}#kabar-{}", u.id),
            });
            if let Some(edited) = &u.edited {
                entry["dateModified"] = serde_json::Value::from(edited.machine.clone());
            }
            entry
        })
        .collect();
    let object = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": story.title,
        "description": story::paragraphs(&story.summary).first().cloned().unwrap_or_else(|| story.title.clone()),
        "url": canonical,
        "coverageStartTime": oldest.when.machine,
        "datePublished": oldest.when.machine,
        "dateModified": newest.when.machine,
        // Updates are the newsroom's, not one writer's.
        "author": {"@type": "Organization", "name": site},
        "publisher": {"@type": "Organization", "name": site},
        "liveBlogUpdate": entries,
    });
    Some(crate::views::script_json(&object))
}

/// One story's timeline as it changes. A new update is a plain event, its JSON the data and
/// its id the update's, so a reconnecting browser (`Last-Event-ID`) or a page that says what it
/// shows (`?setelah=N`) receives only what it lacks. The first event is a `sync` naming which
/// updates up to that one are still on the timeline (the page drops the others), followed by
/// an `edit` for each corrected since the page was rendered (`?sejak=` its Unix time). After
/// that a corrected update comes as an `edit` event and a deleted one (or one pushed out of
/// the page's window) as a `remove` event naming its id. None of these carry an id, so a
/// reconnect resumes after the newest update.
async fn events(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let params = QueryParams::parse(query.as_deref())?;
    let Some(story) = stories::by_slug(&mut *state.conn().await?, &slug).await? else {
        return Err(AppError::NotFound);
    };
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .or_else(|| params.get("setelah").and_then(|v| v.parse().ok()))
        .unwrap_or(0);
    let follower = Follower {
        changes: state.data_changes(),
        state,
        story_id: story.id,
        after,
        since: params.get("sejak").and_then(|v| v.parse().ok()),
        shown: None,
        pending: VecDeque::new(),
        wait: false,
        version: None,
    };
    let stream = futures_util::stream::unfold(follower, |mut follower| async move {
        let event = follower.next().await?;
        Some((Ok(event), follower))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// What one open timeline has been sent, and what it is owed.
struct Follower {
    state: AppState,
    changes: tokio::sync::watch::Receiver<u64>,
    story_id: i64,
    /// The newest update the page holds.
    after: i64,
    /// When the page was rendered, if it said so.
    since: Option<i64>,
    /// The updates the page holds, each with a fingerprint of how it reads; `None` until the
    /// first look at the timeline.
    shown: Option<HashMap<i64, u64>>,
    pending: VecDeque<Event>,
    /// Whether the next look waits for a change (every look but the first).
    wait: bool,
    /// The story's timeline version at the last look.
    version: Option<i64>,
}

impl Follower {
    /// The next event, waiting for a change when none is owed; `None` when the server stops.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            // Set before the read: a read that fails waits for the next change, never spins.
            if std::mem::replace(&mut self.wait, true) && self.changes.changed().await.is_err() {
                return None;
            }
            match self.look().await {
                Ok(Some(updates)) => self.catch_up(&updates),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "reading a story's updates failed"),
            }
        }
    }

    /// The timeline as it stands, newest first, or `None` when it has not changed since the
    /// last look: most changes on the site are not this story's.
    async fn look(&mut self) -> Result<Option<Vec<Update>>, AppError> {
        let mut conn = self.state.conn().await?;
        let version = stories::timeline_version(&mut conn, self.story_id).await?;
        if self.shown.is_some() && self.version == Some(version) {
            return Ok(None);
        }
        let updates = stories::updates(&mut conn, self.story_id, TIMELINE).await?;
        self.version = Some(version);
        Ok(Some(updates))
    }

    /// Queues what the page lacks of `updates` (the timeline as it stands, newest first).
    fn catch_up(&mut self, updates: &[Update]) {
        let zone = self.state.site().zone;
        let edit = |update: &Update| {
            Event::default()
                .event("edit")
                .data(UpdateView::new(update, zone).json())
        };
        let shown = match &mut self.shown {
            Some(shown) => shown,
            None => {
                let held: Vec<&Update> = updates.iter().filter(|u| u.id <= self.after).collect();
                let ids: Vec<i64> = held.iter().map(|u| u.id).collect();
                self.pending.push_back(
                    Event::default()
                        .event("sync")
                        .data(serde_json::json!({"upto": self.after, "ids": ids}).to_string()),
                );
                if let Some(since) = self.since {
                    for update in held.iter().rev() {
                        if update.edited_at.is_some_and(|at| at >= since) {
                            self.pending.push_back(edit(update));
                        }
                    }
                }
                self.shown
                    .insert(held.iter().map(|u| (u.id, fingerprint(u))).collect())
            }
        };
        let mut gone: Vec<i64> = shown
            .keys()
            .filter(|id| !updates.iter().any(|u| u.id == **id))
            .copied()
            .collect();
        gone.sort_unstable();
        for id in gone {
            shown.remove(&id);
            self.pending
                .push_back(Event::default().event("remove").data(id.to_string()));
        }
        for update in updates.iter().rev() {
            if update.id > self.after {
                self.after = update.id;
                shown.insert(update.id, fingerprint(update));
                let view = UpdateView::new(update, zone);
                self.pending
                    .push_back(Event::default().id(view.id.to_string()).data(view.json()));
            } else if let Some(seen) = shown.get_mut(&update.id)
                && *seen != fingerprint(update)
            {
                *seen = fingerprint(update);
                self.pending.push_back(edit(update));
            }
        }
    }
}

/// How an update reads: two corrections in the same second still differ.
fn fingerprint(update: &Update) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (update.edited_at, update.key_event, &update.body).hash(&mut hasher);
    hasher.finish()
}

// The newsroom side.

fn editor(viewer: &Viewer, back_to: &str) -> Result<(), AppError> {
    permitted(
        viewer,
        back_to,
        Action::ManageSectionsAndTags,
        "Topik dan seri diatur oleh editor.",
    )
    .map(|_| ())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StoryForm {
    csrf: String,
    title: String,
    slug: String,
    summary: String,
    series_start: String,
    instalment_label: String,
}

#[derive(Template)]
#[template(path = "stories.html")]
struct StoriesDesk {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    errors: Vec<(&'static str, String)>,
    form: StoryForm,
    /// (id, title, public path, series)
    stories: Vec<(i64, String, String, bool)>,
    /// Set on one story's page.
    editing: Option<i64>,
    public_path: String,
    can_edit: bool,
    /// Each update and whether this viewer may correct or remove it.
    updates: Vec<(UpdateView, bool)>,
    update_body: String,
    update_key: bool,
    update_error: Option<String>,
    /// The update whose correction the form holds.
    correcting: Option<i64>,
}

impl StoriesDesk {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// What one desk page shows besides the story list.
#[derive(Default)]
struct Shown {
    editing: Option<Story>,
    form: StoryForm,
    errors: Vec<FieldError>,
    update_body: String,
    update_key: bool,
    update_error: Option<String>,
    /// Set when the form corrects this update (`?ubah=N`) instead of posting a new one.
    correcting: Option<i64>,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    shown: Shown,
) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let all = stories::all(&mut conn).await?;
    let updates = match &shown.editing {
        Some(story) => stories::updates(&mut conn, story.id, 50).await?,
        None => Vec::new(),
    };
    let mut shown = shown;
    if let (Some(story), Some(id)) = (&shown.editing, shown.correcting)
        && shown.update_error.is_none()
    {
        // The form starts from the update as it stands (older ones than the list shows too).
        let update = match updates.iter().find(|u| u.id == id) {
            Some(update) => update.clone(),
            None => stories::update(&mut conn, story.id, id)
                .await?
                .ok_or(AppError::NotFound)?,
        };
        if !may_change(viewer, &update) {
            return Err(not_yours());
        }
        shown.update_body = update.body;
        shown.update_key = update.key_event != 0;
    }
    drop(conn);
    let zone = state.site().zone;
    let (csrf, _) = session::csrf_token(headers, viewer);
    let status = if shown.errors.is_empty() && shown.update_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let can_edit = viewer
        .user
        .as_ref()
        .is_some_and(|u| u.role.may(Action::ManageSectionsAndTags));
    let title = match &shown.editing {
        Some(story) => story.title.clone(),
        None => "Topik dan seri".to_owned(),
    };
    let page = StoriesDesk {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, &title),
        csrf,
        errors: shown.errors.into_iter().map(|e| (e.field, e.id)).collect(),
        form: shown.form,
        stories: all
            .iter()
            .map(|s| (s.id, s.title.clone(), s.path(), s.start().is_some()))
            .collect(),
        editing: shown.editing.as_ref().map(|s| s.id),
        public_path: shown.editing.as_ref().map(Story::path).unwrap_or_default(),
        can_edit,
        updates: updates
            .iter()
            .map(|u| (UpdateView::new(u, zone), may_change(viewer, u)))
            .collect(),
        update_body: shown.update_body,
        update_key: shown.update_key,
        update_error: shown.update_error,
        correcting: shown.correcting,
    };
    pages::private(status, &page)
}

fn form_of(story: &Story) -> StoryForm {
    StoryForm {
        csrf: String::new(),
        title: story.title.clone(),
        slug: story.slug.clone(),
        summary: story.summary.clone(),
        series_start: story.series_start.clone().unwrap_or_default(),
        instalment_label: story.instalment_label.clone(),
    }
}

/// Writers may open the desk to post updates; editors also create and change stories.
fn writer(viewer: &Viewer, back_to: &str) -> Result<i64, AppError> {
    permitted(
        viewer,
        back_to,
        Action::PublishOwn,
        "Kabar terkini dikirim oleh penulis dan editor.",
    )
    .map(|u| u.id)
}

async fn list_desk(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    writer(&viewer, "/redaksi/topik")?;
    render(&state, &viewer, &headers, Shown::default()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<StoryForm>,
) -> Result<Response, AppError> {
    editor(&viewer, "/redaksi/topik")?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    save(&state, &viewer, &headers, None, form).await
}

async fn save(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    editing: Option<Story>,
    form: StoryForm,
) -> Result<Response, AppError> {
    let parsed = StoryInput::parse(
        &form.title,
        &form.slug,
        &form.summary,
        &form.series_start,
        &form.instalment_label,
    );
    let errors = match parsed {
        Ok(input) => {
            let mut tx = state.begin().await?;
            match stories::save(&mut tx, editing.as_ref().map(|s| s.id), &input, Utc::now()).await {
                Ok(id) => {
                    tx.commit().await?;
                    state.refresh().await?;
                    return Ok(Redirect::to(&format!("/redaksi/topik/{id}")).into_response());
                }
                Err(warta_store::StoreError::Invalid(errors)) => errors,
                Err(error) => return Err(error.into()),
            }
        }
        Err(errors) => errors,
    };
    render(
        state,
        viewer,
        headers,
        Shown {
            editing,
            form,
            errors,
            ..Shown::default()
        },
    )
    .await
}

async fn find(state: &AppState, id: i64) -> Result<Story, AppError> {
    stories::by_id(&mut *state.conn().await?, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn story_desk(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    writer(&viewer, &format!("/redaksi/topik/{id}"))?;
    let params = QueryParams::parse(query.as_deref())?;
    let correcting = match params.get("ubah") {
        Some(text) => Some(update_id(text)?),
        None => None,
    };
    let story = find(&state, id).await?;
    let shown = Shown {
        form: form_of(&story),
        editing: Some(story),
        correcting,
        ..Shown::default()
    };
    render(&state, &viewer, &headers, shown).await
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<StoryForm>,
) -> Result<Response, AppError> {
    editor(&viewer, &format!("/redaksi/topik/{id}"))?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let story = find(&state, id).await?;
    save(&state, &viewer, &headers, Some(story), form).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UpdateForm {
    csrf: String,
    /// "post", "edit" or "delete".
    action: String,
    body: String,
    key_event: String,
    id: String,
}

async fn post_update(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<UpdateForm>,
) -> Result<Response, AppError> {
    let user = writer(&viewer, &format!("/redaksi/topik/{id}"))?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let story = find(&state, id).await?;
    let now = Utc::now();
    let mut tx = state.begin().await?;
    if matches!(form.action.as_str(), "edit" | "delete") {
        let update = stories::update(&mut tx, story.id, update_id(&form.id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may_change(&viewer, &update) {
            return Err(not_yours());
        }
    }
    match form.action.as_str() {
        "delete" => {
            if !stories::delete_update(&mut tx, story.id, update_id(&form.id)?).await? {
                return Err(AppError::NotFound);
            }
        }
        action => {
            let correcting = match action {
                "edit" => Some(update_id(&form.id)?),
                _ => None,
            };
            let key_event = form.key_event == "1";
            let body = match story::parse_update(&form.body) {
                Ok(body) => body,
                Err(error) => {
                    drop(tx);
                    // The form comes back with what was typed.
                    let shown = Shown {
                        form: form_of(&story),
                        editing: Some(story),
                        update_body: form.body,
                        update_key: key_event,
                        update_error: Some(error.id),
                        correcting,
                        ..Shown::default()
                    };
                    return render(&state, &viewer, &headers, shown).await;
                }
            };
            match correcting {
                Some(update) => {
                    if !stories::edit_update(&mut tx, story.id, update, &body, key_event, now)
                        .await?
                    {
                        return Err(AppError::NotFound);
                    }
                    tracing::info!(story = story.id, update, user, "live update corrected");
                }
                None => {
                    let update =
                        stories::add_update(&mut tx, story.id, &body, key_event, Some(user), now)
                            .await?;
                    tracing::info!(story = story.id, update, user, "live update posted");
                }
            }
        }
    }
    tx.commit().await?;
    // Open timelines on this node hear now; other nodes within their change poll.
    state.refresh().await?;
    Ok(Redirect::to(&format!("/redaksi/topik/{}", story.id)).into_response())
}

/// A writer corrects and removes their own updates; an editor anyone's, as with articles.
fn may_change(viewer: &Viewer, update: &stories::Update) -> bool {
    viewer.user.as_ref().is_some_and(|u| {
        u.role.may(Action::EditAny)
            || (u.role.may(Action::PublishOwn) && update.created_by == Some(u.id))
    })
}

fn not_yours() -> AppError {
    AppError::NotAllowed {
        id: "Kabar ini dikirim orang lain: editor yang dapat mengubah atau menghapusnya.".into(),
        en: "Someone else posted this update: an editor can correct or remove it.".into(),
    }
}

/// An update's id from a form or a query.
fn update_id(text: &str) -> Result<i64, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("id: expected a number, got {text:?}")))
}
