//! The newsroom at `/redaksi`: the article list, and the editor that writes, submits,
//! publishes, schedules and unpublishes, with the role rules of `warta_core::workflow`.

use askama::Template;
use axum::{
    Form, Router,
    extract::{FromRequestParts, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};
use serde::Deserialize;
use warta_core::{
    ArticleDraft, FieldError, Source, Zone,
    account::{Action, Role},
    alert::{self, NewAlert},
    article::{Hero, MAX_SUMMARY, Named, article_path, is_image_key},
    body,
    revision::{Change, line_diff},
    workflow::{self, Move, Refusal, Status},
};
use warta_store::{
    StoreError,
    accounts::User,
    alerts, images,
    newsroom::{self, DeskFilter, Editable},
    taxonomy,
};

use crate::{
    AppError, AppState, media,
    pages::{self, Chrome, Meta},
    session::{self, Viewer},
};

const PER_PAGE: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/redaksi", get(desk))
        .route(
            "/redaksi/tulis",
            get(new_form)
                .post(create)
                .layer(axum::extract::DefaultBodyLimit::max(EDITOR_BODY_LIMIT)),
        )
        .route(
            "/redaksi/artikel/{id}",
            get(edit_form)
                .post(update)
                .layer(axum::extract::DefaultBodyLimit::max(EDITOR_BODY_LIMIT)),
        )
        .route("/redaksi/artikel/{id}/revisi", get(compare))
        .route("/redaksi/cari-artikel", get(find_related))
        .route("/redaksi/orang", get(people).post(set_role))
        .route("/redaksi/pratinjau", axum::routing::post(live_preview))
}

/// The signed-in newsroom member whose role may do `action`, or why not.
pub(crate) fn permitted<'a>(
    viewer: &'a Viewer,
    back_to: &str,
    action: Action,
    refusal: &str,
) -> Result<&'a User, AppError> {
    let user = member(viewer, back_to)?;
    if !user.role.may(action) {
        return Err(AppError::Forbidden(refusal.into()));
    }
    Ok(user)
}

/// The signed-in newsroom member, or the reason there is none.
fn member<'a>(viewer: &'a Viewer, back_to: &str) -> Result<&'a User, AppError> {
    let user = viewer.require(back_to)?;
    if !user.role.may(Action::EnterNewsroom) {
        return Err(AppError::NotAllowed {
            id: "Ruang redaksi untuk kontributor, penulis, editor dan admin.".into(),
            en: "The newsroom is for contributors, writers, editors and admins.".into(),
        });
    }
    Ok(user)
}

#[derive(Template)]
#[template(path = "desk.html")]
struct DeskPage {
    chrome: Chrome,
    meta: Meta,
    manage_people: bool,
    manage_taxonomy: bool,
    /// Writers and up: live updates on stories, video.
    publish: bool,
    query: String,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    /// Sections and authors to filter by: (slug, name, chosen).
    sections: Vec<(String, String, bool)>,
    authors: Vec<(String, String, bool)>,
    /// A search or filter is set: an empty list says nothing matched, not that there is nothing.
    filtered: bool,
    rows: Vec<DeskView>,
}

struct DeskView {
    id: i64,
    headline: String,
    status: &'static str,
    section: String,
    owner: String,
    modified: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeskQuery {
    q: String,
    status: String,
    #[serde(rename = "kanal")]
    section: String,
    #[serde(rename = "penulis")]
    author: String,
}

const STATUSES: [(&str, &str); 4] = [
    ("draft", "Draf"),
    ("review", "Menunggu review"),
    ("published", "Terbit / terjadwal"),
    ("unpublished", "Ditarik"),
];

async fn desk(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<DeskQuery>,
) -> Result<Response, AppError> {
    let user = member(&viewer, "/redaksi")?;
    if query.q.chars().count() > 200 {
        return Err(AppError::BadRequest(
            "parameter \"q\": at most 200 characters".into(),
        ));
    }
    let status = match query.status.as_str() {
        "" => None,
        text => Some(Status::parse(text).ok_or_else(|| {
            AppError::BadRequest(format!("parameter \"status\": expected draft, review, published or unpublished, got {text:?}"))
        })?),
    };
    let filter = DeskFilter {
        status,
        section: Some(query.section.as_str()).filter(|s| !s.is_empty()),
        author: Some(query.author.as_str()).filter(|s| !s.is_empty()),
        owner: (!user.role.may(Action::EditAny)).then_some(user.id),
        query: Some(query.q.trim()).filter(|q| !q.is_empty()),
    };
    let now = Utc::now();
    let mut conn = state.conn().await?;
    let rows = newsroom::desk(&mut conn, &filter, PER_PAGE, 0).await?;
    let choices = |named: Vec<Named>, chosen: &str| {
        named
            .into_iter()
            .map(|n| {
                let on = n.slug == chosen;
                (n.slug, n.name, on)
            })
            .collect()
    };
    let sections = taxonomy::sections(&mut conn)
        .await?
        .into_iter()
        .map(|s| Named {
            name: s.name,
            slug: s.slug,
        })
        .collect();
    let sections = choices(sections, &query.section);
    let authors = choices(taxonomy::people(&mut conn).await?, &query.author);
    drop(conn);
    let zone = state.site().zone;
    let page = DeskPage {
        chrome: Chrome::new(&state, &viewer, None).with_forms(),
        meta: pages::private_meta(&state, "Redaksi"),
        manage_people: user.role.may(Action::ManagePeople),
        manage_taxonomy: user.role.may(Action::ManageSectionsAndTags),
        publish: user.role.may(Action::PublishOwn),
        filtered: !query.q.trim().is_empty()
            || !query.status.is_empty()
            || !query.section.is_empty()
            || !query.author.is_empty(),
        sections,
        authors,
        query: query.q.clone(),
        status: query.status.clone(),
        statuses: STATUSES.to_vec(),
        rows: rows
            .into_iter()
            .map(|row| DeskView {
                id: row.id,
                headline: row.headline,
                status: Status::parse(&row.status)
                    .unwrap_or(Status::Draft)
                    .shown(timestamp(row.published_at), now)
                    .label_id(),
                section: row.section.unwrap_or_default(),
                owner: row.owner.unwrap_or_default(),
                modified: zone.stamp(timestamp(row.modified_at)),
            })
            .collect(),
    };
    pages::private(StatusCode::OK, &page)
}

fn timestamp(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// The editor form as typed: every value is kept as text so a failed save loses nothing.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct EditorInput {
    csrf: String,
    version: i64,
    action: String,
    headline: String,
    /// The article's address; empty makes it from the headline. A new one for a saved
    /// article is a rename: the old address then redirects (`articles::rename`).
    slug: String,
    summary: String,
    body: String,
    section: String,
    tags: String,
    authors: String,
    source_name: String,
    source_url: String,
    dateline: String,
    zone: String,
    published_at: String,
    /// The time and zone the form opened with (hidden fields): a zone changed while the time
    /// was left as it was changes how the moment is shown, not the moment (a published article
    /// would otherwise jump hours, even back to "scheduled").
    opened_at: String,
    opened_zone: String,
    correction: String,
    /// "1" when the article should lead the home page (editors only).
    lead: String,
    /// "1" when the article is breaking news (editors only; see `routes::breaking`).
    breaking: String,
    /// "1" when readers may no longer comment (editors only).
    comments_closed: String,
    /// "1" when only members read the whole article (editors only).
    members_only: String,
    /// The running story or series it belongs to: a story id, or empty.
    story: String,
    /// The key of the uploaded hero image; filled by an upload so a failed save keeps it.
    hero_image: String,
    hero_caption: String,
    hero_credit: String,
    seo_title: String,
    seo_description: String,
}

impl EditorInput {
    fn from_article(editable: &Editable, now: DateTime<Utc>) -> EditorInput {
        let a = &editable.article;
        let hero = a.picture.as_ref().map(|p| &p.hero);
        // A summary the body made is left to the body: typed back in, it would stop
        // following the text.
        let derived = body::summary_from_markdown(&a.body_markdown, MAX_SUMMARY);
        // An article that has never been live goes out when it is published, not when it was
        // first saved; its time is shown only when it is set for later.
        let never_live = matches!(editable.status, Status::Draft | Status::Review);
        let published_at = if never_live && a.published_at <= now {
            String::new()
        } else {
            let local = a.zone.local(a.published_at);
            // Minutes, as the field takes them, unless seconds were stored: a save must not
            // move the time.
            let form = if local.second() == 0 {
                "%Y-%m-%dT%H:%M"
            } else {
                "%Y-%m-%dT%H:%M:%S"
            };
            local.format(form).to_string()
        };
        EditorInput {
            version: editable.version,
            headline: a.headline.clone(),
            slug: a.slug.clone(),
            summary: if a.summary == derived {
                String::new()
            } else {
                a.summary.clone()
            },
            body: a.body_markdown.clone(),
            section: a
                .section
                .as_ref()
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            tags: a
                .tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            authors: a
                .authors
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            source_name: a
                .source
                .as_ref()
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            source_url: a
                .source
                .as_ref()
                .and_then(|s| s.url.clone())
                .unwrap_or_default(),
            dateline: a.dateline.clone().unwrap_or_default(),
            hero_image: hero.map(|h| h.image.clone()).unwrap_or_default(),
            hero_caption: hero.map(|h| h.caption.clone()).unwrap_or_default(),
            hero_credit: hero.and_then(|h| h.credit.clone()).unwrap_or_default(),
            seo_title: a.seo_title.clone().unwrap_or_default(),
            seo_description: a.seo_description.clone().unwrap_or_default(),
            zone: a.zone.abbreviation().to_owned(),
            opened_at: published_at.clone(),
            opened_zone: a.zone.abbreviation().to_owned(),
            correction: a.correction.clone().unwrap_or_default(),
            lead: if editable.lead {
                "1".into()
            } else {
                String::new()
            },
            published_at,
            ..EditorInput::default()
        }
    }

    /// The draft this input describes, or the fields that could not be read.
    fn draft(
        &self,
        now: DateTime<Utc>,
        default_zone: Zone,
    ) -> Result<ArticleDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let zone = match self.zone.trim() {
            "" => default_zone,
            text => Zone::parse(text).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "zone",
                    "pilih WIB, WITA atau WIT",
                    "choose WIB, WITA or WIT",
                ));
                default_zone
            }),
        };
        // The time as opened is read in the zone it was shown in.
        let time_zone = match Zone::parse(&self.opened_zone) {
            Some(opened)
                if !self.opened_at.trim().is_empty()
                    && self.published_at.trim() == self.opened_at.trim() =>
            {
                opened
            }
            _ => zone,
        };
        let published_at = match self.published_at.trim() {
            "" => now,
            // Browsers send minutes, or seconds when the field allows them.
            text => match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
                .ok()
                .and_then(|local| time_zone.offset().from_local_datetime(&local).single())
            {
                Some(at) => at.with_timezone(&Utc),
                None => {
                    // Read on with the present time, so every other mistake is named too.
                    errors.push(FieldError::new(
                        "published_at",
                        "isi tanggal dan jam, misalnya 2026-11-28T14:00",
                        "expected a date and time like 2026-11-28T14:00",
                    ));
                    now
                }
            },
        };
        let list = |text: &str| {
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let draft = ArticleDraft {
            slug: Some(self.slug.trim().to_owned()).filter(|s| !s.is_empty()),
            headline: self.headline.clone(),
            summary: self.summary.clone(),
            body_markdown: self.body.clone(),
            published_at,
            updated_at: None,
            zone,
            authors: list(&self.authors),
            source: Some(Source {
                name: self.source_name.clone(),
                url: Some(self.source_url.clone()),
            }),
            dateline: Some(self.dateline.clone()),
            section: Some(self.section.clone()),
            tags: list(&self.tags),
            correction: Some(self.correction.clone()),
            hero: Some(Hero {
                image: self.hero_image.clone(),
                caption: self.hero_caption.clone(),
                credit: Some(self.hero_credit.clone()),
            }),
            seo_title: Some(self.seo_title.clone()),
            seo_description: Some(self.seo_description.clone()),
        }
        .normalize();
        match draft {
            Ok(draft) if errors.is_empty() => Ok(draft),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }
}

/// A field of the editor.
struct EditorField {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    hint: &'static str,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "editor.html")]
struct EditorPage {
    chrome: Chrome,
    meta: Meta,
    /// The article's id (0 for a new one), for revision links.
    id: i64,
    title: String,
    action: String,
    csrf: String,
    version: i64,
    /// See [`EditorInput::opened_at`].
    opened_at: String,
    opened_zone: String,
    status_label: Option<&'static str>,
    public_link: Option<String>,
    errors: Vec<String>,
    fields: Vec<EditorField>,
    /// Each zone and whether it is the chosen one.
    zones: Vec<(&'static str, bool)>,
    /// Why the chosen story was refused (it is a select outside the field list).
    story_error: Option<String>,
    actions: Vec<(&'static str, &'static str)>,
    preview: Option<String>,
    revisions: Vec<RevisionView>,
    /// The smallest variant of the chosen hero image.
    hero_preview: Option<String>,
    /// Related stored articles the search index suggests linking: the "Baca juga" lines.
    suggestions: Vec<String>,
    /// The lead-story checkbox: shown to editors, with its state.
    can_lead: bool,
    lead: bool,
    breaking: bool,
    comments_closed: bool,
    members_only: bool,
    /// Stories to choose from: (id, title, chosen).
    stories: Vec<(i64, String, bool)>,
}

struct RevisionView {
    version: i64,
    status: String,
    saved_by: String,
    saved_at: String,
}

/// Everything the editor page needs besides the input.
struct EditorContext {
    id: Option<i64>,
    status: Option<Status>,
    published_at: Option<DateTime<Utc>>,
    public_link: Option<String>,
    own: bool,
    /// Currently a lead story.
    lead: bool,
    /// Currently breaking news.
    breaking: bool,
    /// Comments currently closed.
    comments_closed: bool,
    /// Currently members-only.
    members_only: bool,
    /// The story it belongs to now.
    story: Option<i64>,
    revisions: Vec<RevisionView>,
}

/// Who is at the desk: what every editor page is rendered for.
struct Desk<'a> {
    state: &'a AppState,
    viewer: &'a Viewer,
    headers: &'a HeaderMap,
    user: &'a User,
}

/// What the editor page says besides the form: field errors, general messages, a preview.
struct Feedback {
    errors: Vec<FieldError>,
    general: Vec<String>,
    preview: Option<String>,
    status: StatusCode,
}

impl Feedback {
    fn none() -> Feedback {
        Feedback {
            errors: Vec::new(),
            general: Vec::new(),
            preview: None,
            status: StatusCode::OK,
        }
    }

    fn invalid(errors: Vec<FieldError>) -> Feedback {
        Feedback {
            errors,
            general: vec!["Periksa isian yang ditandai.".into()],
            preview: None,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

async fn render_editor(
    desk: &Desk<'_>,
    context: &EditorContext,
    input: &EditorInput,
    feedback: Feedback,
) -> Result<Response, AppError> {
    let Desk {
        state,
        viewer,
        headers,
        user,
    } = *desk;
    let Feedback {
        errors,
        general,
        preview,
        status,
    } = feedback;
    let error = |name: &str| {
        let messages: Vec<&str> = errors
            .iter()
            .filter(|e| e.field == name || e.field.starts_with(&format!("{name}.")))
            .map(|e| e.id.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    };
    let field = |name: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 value: &str,
                 hint: &'static str| EditorField {
        name,
        label,
        kind,
        value: value.to_owned(),
        hint,
        error: error(match name {
            "body" => "body_markdown",
            "source_name" => "source.name",
            "source_url" => "source.url",
            "hero_file" => "hero.upload",
            "hero_image" => "hero.image",
            "hero_caption" => "hero.caption",
            "hero_credit" => "hero.credit",
            other => other,
        }),
    };
    let fields = vec![
        field("headline", "Judul", "text", &input.headline, ""),
        field(
            "slug",
            "Alamat (slug)",
            "text",
            &input.slug,
            "Huruf kecil, angka dan tanda hubung; kosongkan untuk dibuat dari judul. Alamat lama tetap dialihkan ke alamat baru.",
        ),
        field(
            "summary",
            "Ringkasan",
            "text",
            &input.summary,
            "Kosongkan untuk memakai awal isi berita.",
        ),
        field(
            "body",
            "Isi (Markdown)",
            "textarea",
            &input.body,
            "Tulis \"Baca juga: <judul artikel>\" pada paragraf tersendiri untuk tautan terkait.",
        ),
        field("section", "Kanal", "text", &input.section, ""),
        field("tags", "Tag", "text", &input.tags, "Pisahkan dengan koma."),
        field(
            "authors",
            "Penulis",
            "text",
            &input.authors,
            "Pisahkan dengan koma.",
        ),
        field("source_name", "Sumber", "text", &input.source_name, ""),
        field("source_url", "Tautan sumber", "url", &input.source_url, ""),
        field("dateline", "Kota (dateline)", "text", &input.dateline, ""),
        field("zone", "Zona waktu", "select", &input.zone, ""),
        field(
            "published_at",
            "Waktu terbit",
            "datetime-local",
            &input.published_at,
            "Kosongkan agar terbit saat tombol Terbitkan ditekan; waktu di masa depan menjadwalkan artikel.",
        ),
        field(
            "hero_file",
            "Foto utama",
            "file",
            "",
            "JPEG, PNG atau WebP, paling besar 12 MB. Diunggah saat Anda menyimpan atau melihat pratinjau.",
        ),
        field(
            "hero_image",
            "Kunci foto",
            "text",
            &input.hero_image,
            "Terisi otomatis setelah unggah; kosongkan untuk membuang foto.",
        ),
        field(
            "hero_caption",
            "Keterangan foto",
            "text",
            &input.hero_caption,
            "",
        ),
        field("hero_credit", "Kredit foto", "text", &input.hero_credit, ""),
        field(
            "seo_title",
            "Judul untuk mesin pencari",
            "text",
            &input.seo_title,
            "Kosongkan untuk memakai judul.",
        ),
        field(
            "seo_description",
            "Deskripsi untuk mesin pencari",
            "text",
            &input.seo_description,
            "Kosongkan untuk memakai ringkasan.",
        ),
        field(
            "correction",
            "Catatan koreksi",
            "text",
            &input.correction,
            "Tampil di bawah artikel bila diisi.",
        ),
    ];
    let mut actions = Vec::new();
    for (value, label, step) in [
        ("submit", "Kirim ke editor", Move::Submit),
        ("publish", "Terbitkan / jadwalkan", Move::Publish),
        ("unpublish", "Tarik dari situs", Move::Unpublish),
    ] {
        // Sending a live article to review would take it off the site: that is "Tarik".
        let pointless = (step == Move::Unpublish && context.status != Some(Status::Published))
            || (step == Move::Submit
                && matches!(context.status, Some(Status::Review | Status::Published)));
        if !pointless && workflow::check(user.role, context.own, context.status, step).is_ok() {
            actions.push((value, label));
        }
    }
    let (csrf, _) = session::csrf_token(headers, viewer);
    let now = Utc::now();
    let hero_preview = match input.hero_image.trim() {
        key if is_image_key(key) => images::by_key(&mut *state.conn().await?, key)
            .await?
            .and_then(|image| {
                let widths = images::parse_widths(&image.widths);
                let width = *widths.first()?;
                Some(media::variant_url(
                    &image.key,
                    width,
                    images::extension(&image.content_type),
                ))
            }),
        _ => None,
    };
    // Suggestions for an article the index knows, leaving out headlines the body already links.
    let suggestions = match context.id.and_then(|id| state.search.related(id).ok()) {
        Some(related) => related
            .iter()
            .filter(|hit| !input.body.contains(&hit.headline))
            .take(5)
            .map(|hit| format!("Baca juga: {}", hit.headline))
            .collect(),
        None => Vec::new(),
    };
    let page = EditorPage {
        hero_preview,
        suggestions,
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Editor"),
        id: context.id.unwrap_or(0),
        title: if context.id.is_some() {
            "Sunting artikel".into()
        } else {
            "Tulis artikel".into()
        },
        action: context.id.map_or_else(
            || "/redaksi/tulis".to_owned(),
            |id| format!("/redaksi/artikel/{id}"),
        ),
        csrf,
        version: input.version,
        opened_at: input.opened_at.clone(),
        opened_zone: input.opened_zone.clone(),
        status_label: context
            .status
            .zip(context.published_at)
            .map(|(s, at)| s.shown(at, now).label_id()),
        public_link: context.public_link.clone(),
        errors: general,
        story_error: error("story"),
        fields,
        zones: Zone::ALL
            .iter()
            .map(|z| (z.abbreviation(), z.abbreviation() == input.zone))
            .collect(),
        actions,
        preview,
        can_lead: user.role.may(Action::SetLeadAndBreaking),
        lead: !input.lead.is_empty(),
        breaking: !input.breaking.is_empty(),
        comments_closed: !input.comments_closed.is_empty(),
        members_only: !input.members_only.is_empty(),
        stories: warta_store::stories::all(&mut *state.conn().await?)
            .await?
            .into_iter()
            .map(|st| (st.id, st.title, input.story == st.id.to_string()))
            .collect(),
        revisions: context
            .revisions
            .iter()
            .map(|r| RevisionView {
                version: r.version,
                status: r.status.clone(),
                saved_by: r.saved_by.clone(),
                saved_at: r.saved_at.clone(),
            })
            .collect(),
    };
    pages::private(status, &page)
}

async fn context_for(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(EditorContext, Editable), AppError> {
    let mut conn = state.conn().await?;
    let Some(editable) = newsroom::editable(&mut conn, id).await? else {
        return Err(AppError::NotFound);
    };
    let own = editable.owner_id == Some(user.id);
    if !own && !user.role.may(Action::EditAny) {
        return Err(AppError::Forbidden(
            "Artikel ini milik orang lain; editor yang dapat mengubahnya.".into(),
        ));
    }
    let zone = state.site().zone;
    let revisions = newsroom::revisions(&mut conn, id)
        .await?
        .into_iter()
        .map(|r| RevisionView {
            version: r.version,
            status: Status::parse(&r.status).map_or(r.status, |s| s.label_id().to_owned()),
            saved_by: r.saved_by.unwrap_or_default(),
            saved_at: zone.stamp(timestamp(r.saved_at)),
        })
        .collect();
    // Only a live article has a page to look at; a scheduled one's address is a 404 yet.
    let public_link = (editable.status == Status::Published
        && editable.article.published_at <= Utc::now())
    .then(|| editable.article.path());
    let breaking = alerts::live_for_article(&mut conn, id, Utc::now()).await?;
    let comments_closed = warta_store::comments::closed(&mut conn, id).await?;
    Ok((
        EditorContext {
            id: Some(id),
            status: Some(editable.status),
            published_at: Some(editable.article.published_at),
            public_link,
            own,
            lead: editable.lead,
            breaking,
            comments_closed,
            members_only: editable.article.members_only,
            story: warta_store::stories::of_article(&mut conn, id)
                .await?
                .map(|st| st.id),
            revisions,
        },
        editable,
    ))
}

async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let user = member(&viewer, "/redaksi/tulis")?;
    let input = EditorInput {
        authors: user.name.clone(),
        zone: state.site().zone.abbreviation().into(),
        ..EditorInput::default()
    };
    let context = EditorContext {
        id: None,
        status: None,
        published_at: None,
        public_link: None,
        own: true,
        lead: false,
        breaking: false,
        comments_closed: false,
        members_only: false,
        story: None,
        revisions: Vec::new(),
    };
    render_editor(
        &Desk {
            state: &state,
            viewer: &viewer,
            headers: &headers,
            user,
        },
        &context,
        &input,
        Feedback::none(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EditQuery {
    /// Load this revision's text into the form.
    #[serde(rename = "pulihkan")]
    restore: Option<i64>,
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<EditQuery>,
) -> Result<Response, AppError> {
    let user = member(&viewer, &format!("/redaksi/artikel/{id}"))?;
    let (context, editable) = context_for(&state, user, id).await?;
    let mut input = EditorInput::from_article(&editable, Utc::now());
    if context.breaking {
        input.breaking = "1".into();
    }
    if context.comments_closed {
        input.comments_closed = "1".into();
    }
    if context.members_only {
        input.members_only = "1".into();
    }
    if let Some(story) = context.story {
        input.story = story.to_string();
    }
    let mut feedback = Feedback::none();
    if let Some(version) = query.restore {
        let Some(old) = newsroom::revision(&mut *state.conn().await?, id, version).await? else {
            return Err(AppError::NotFound);
        };
        input.headline = old.headline;
        input.summary = old.summary;
        input.body = old.body_markdown;
        feedback.general.push(format!(
            "Teks versi {version} dimuat ke formulir. Simpan untuk memulihkannya sebagai versi baru."
        ));
    }
    render_editor(
        &Desk {
            state: &state,
            viewer: &viewer,
            headers: &headers,
            user,
        },
        &context,
        &input,
        feedback,
    )
    .await
}

/// A section name this person may not bring into being: writers and contributors choose among
/// the sections editors set up, or a typo in the field would publish a new section page (and
/// put it in the newsletter's choices). Editors and admins create one by naming it, as import
/// does.
pub(crate) async fn unknown_section(
    state: &AppState,
    user: &User,
    typed: &str,
) -> Result<Option<FieldError>, AppError> {
    let name = typed.trim();
    if name.is_empty() || user.role.may(Action::ManageSectionsAndTags) {
        return Ok(None);
    }
    let slug = warta_core::slug::slugify(name);
    let sections = warta_store::taxonomy::sections(&mut *state.conn().await?).await?;
    if sections.iter().any(|s| s.name == name || s.slug == slug) {
        return Ok(None);
    }
    // The first few, as a reminder; the editor's field offers them all.
    let mut known: Vec<&str> = sections.iter().take(12).map(|s| s.name.as_str()).collect();
    if sections.len() > known.len() {
        known.push("…");
    }
    let (choose_id, choose_en) = if known.is_empty() {
        (
            "belum ada kanal sama sekali".to_owned(),
            "there are none yet".to_owned(),
        )
    } else {
        (
            format!("pilih salah satu: {}", known.join(", ")),
            format!("choose one of: {}", known.join(", ")),
        )
    };
    Ok(Some(FieldError::new(
        "section",
        format!("kanal \"{name}\" belum ada; {choose_id} (kanal baru dibuat editor)"),
        format!("there is no section \"{name}\"; {choose_en} (editors create new ones)"),
    )))
}

/// A story chosen from a form's list that is not there (deleted since the form opened).
pub(crate) fn story_gone() -> FieldError {
    FieldError::new(
        "story",
        "pilih topik dari daftar (topik itu tidak ada lagi)",
        "choose a story from the list (that one no longer exists)",
    )
}

/// The editor's form as sent: multipart when a browser sends it (it may carry a photo),
/// urlencoded from scripts and tests.
struct Submitted {
    input: EditorInput,
    upload: Option<(String, Vec<u8>)>,
}

impl axum::extract::FromRequest<AppState> for Submitted {
    type Rejection = AppError;

    async fn from_request(
        request: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, AppError> {
        // Who sends it is checked before the body (up to tens of megabytes) is read.
        let (mut parts, body) = request.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        member(&viewer, parts.uri.path())?;
        let request = axum::extract::Request::from_parts(parts, body);
        let multipart = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Form(input) = Form::<EditorInput>::from_request(request, state)
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?;
            return Ok(Submitted {
                input,
                upload: None,
            });
        }
        let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.body_text());
        let mut form = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        let mut pairs = Vec::new();
        let mut upload = None;
        while let Some(field) = form.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "hero_file" {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                if !bytes.is_empty() {
                    upload = Some((file_name, bytes.to_vec()));
                }
            } else {
                pairs.push((name, crate::form_text::field_text(field).await?));
            }
        }
        // One reading of the fields for both encodings: through the urlencoded form.
        let encoded =
            serde_urlencoded::to_string(&pairs).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let input = serde_urlencoded::from_str(&encoded)
            .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        Ok(Submitted { input, upload })
    }
}

/// Editor requests may carry a photo: room for the largest accepted one and the text around it.
/// Larger photos are refused by [`media::upload`] with the form kept, not by this limit.
const EDITOR_BODY_LIMIT: usize = 3 * media::MAX_UPLOAD_BYTES;

/// Stores a photo sent with the form and puts its key into the input; a refused photo becomes
/// a field error so the form comes back with everything else as typed.
async fn take_upload(
    state: &AppState,
    user: &User,
    submitted: Submitted,
) -> (EditorInput, Vec<FieldError>) {
    let Submitted { mut input, upload } = submitted;
    let mut errors = Vec::new();
    if let Some((name, bytes)) = upload {
        match media::upload(state, bytes, &name, user.id).await {
            Ok(image) => input.hero_image = image.key,
            Err(error) => {
                tracing::info!(%error, user = user.id, "photo upload refused");
                errors.push(error.for_field("hero.upload"));
            }
        }
    }
    (input, errors)
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    submitted: Submitted,
) -> Result<Response, AppError> {
    let user = member(&viewer, "/redaksi/tulis")?.clone();
    let context = EditorContext {
        id: None,
        status: None,
        published_at: None,
        public_link: None,
        own: true,
        lead: false,
        breaking: false,
        comments_closed: false,
        members_only: false,
        story: None,
        revisions: Vec::new(),
    };
    let desk = Desk {
        state: &state,
        viewer: &viewer,
        headers: &headers,
        user: &user,
    };
    submit(&desk, context, submitted).await
}

/// The editor's form as sent, new article or not: checked, its photo taken, saved.
async fn submit(
    desk: &Desk<'_>,
    context: EditorContext,
    submitted: Submitted,
) -> Result<Response, AppError> {
    if let Some(expired) = expired(desk, &context, &submitted).await {
        return expired;
    }
    let (input, upload_errors) = take_upload(desk.state, desk.user, submitted).await;
    save(
        desk.state,
        desk.viewer,
        desk.headers,
        desk.user,
        context,
        input,
        upload_errors,
    )
    .await
}

/// A form whose CSRF token no longer matches (signed out and in again in another tab, say)
/// comes back with everything typed and a fresh token, instead of a page that loses an
/// article's worth of text. A photo chosen in it has to be chosen again.
async fn expired(
    desk: &Desk<'_>,
    context: &EditorContext,
    submitted: &Submitted,
) -> Option<Result<Response, AppError>> {
    session::check_csrf(desk.headers, desk.viewer, &submitted.input.csrf).err()?;
    let feedback = Feedback {
        errors: Vec::new(),
        general: vec![
            "Formulir ini kedaluwarsa, jadi belum disimpan. Isian Anda masih di bawah: periksa lalu kirim lagi."
                .into(),
        ],
        preview: None,
        status: StatusCode::FORBIDDEN,
    };
    Some(render_editor(desk, context, &submitted.input, feedback).await)
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    submitted: Submitted,
) -> Result<Response, AppError> {
    let user = member(&viewer, &format!("/redaksi/artikel/{id}"))?.clone();
    let (context, _) = context_for(&state, &user, id).await?;
    let desk = Desk {
        state: &state,
        viewer: &viewer,
        headers: &headers,
        user: &user,
    };
    submit(&desk, context, submitted).await
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    /// What the last change did, or why it was refused.
    notice: Option<String>,
    error: Option<String>,
    people: Vec<PersonRow>,
}

struct PersonRow {
    id: i64,
    name: String,
    email: String,
    /// Every role, and whether it is this person's.
    roles: Vec<(&'static str, bool)>,
}

/// The signed-in admin, or why not.
fn admin(viewer: &Viewer) -> Result<&User, AppError> {
    permitted(
        viewer,
        "/redaksi/orang",
        Action::ManagePeople,
        "Orang dan peran dikelola oleh admin.",
    )
}

async fn people_page(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    outcome: Result<String, String>,
) -> Result<Response, AppError> {
    let users = warta_store::accounts::list(&mut *state.conn().await?).await?;
    let (status, notice, error) = match outcome {
        Ok(notice) => (StatusCode::OK, Some(notice).filter(|n| !n.is_empty()), None),
        Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, None, Some(error)),
    };
    let (csrf, _) = session::csrf_token(headers, viewer);
    let page = PeoplePage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Orang dan peran"),
        csrf,
        notice,
        error,
        people: users
            .into_iter()
            .map(|u| PersonRow {
                id: u.id,
                roles: Role::ALL
                    .iter()
                    .map(|r| (r.as_str(), *r == u.role))
                    .collect(),
                name: u.name,
                email: u.email,
            })
            .collect(),
    };
    pages::private(status, &page)
}

async fn people(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    people_page(&state, &viewer, &headers, Ok(String::new())).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoleInput {
    csrf: String,
    email: String,
    role: String,
}

async fn set_role(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(input): Form<RoleInput>,
) -> Result<Response, AppError> {
    let user = admin(&viewer)?;
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    let role = Role::parse(&input.role).ok_or_else(|| {
        AppError::BadRequest(format!(
            "role: expected reader, contributor, writer, editor or admin, got {:?}",
            input.role
        ))
    })?;
    if input.email == user.email && role != Role::Admin {
        let refusal = "Peran: Anda tidak dapat mencabut peran admin Anda sendiri; minta admin lain melakukannya";
        return people_page(&state, &viewer, &headers, Err(refusal.into())).await;
    }
    if !warta_store::accounts::set_role(&mut *state.conn().await?, &input.email, role).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(by = user.id, email = %input.email, role = role.as_str(), "role changed");
    people_page(
        &state,
        &viewer,
        &headers,
        Ok(format!("{} sekarang {}.", input.email, role.as_str())),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PreviewInput {
    csrf: String,
    body: String,
}

/// The editor's live preview: the body rendered exactly as readers will get it (sanitized),
/// as an HTML fragment. "Baca juga" lines show as text here; links resolve on the site.
async fn live_preview(
    State(_state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(input): Form<PreviewInput>,
) -> Result<Response, AppError> {
    member(&viewer, "/redaksi")?;
    session::check_csrf(&headers, &viewer, &input.csrf)?;
    if input.body.len() > 1_000_000 {
        return Err(AppError::BadRequest("body: at most 1 MB".into()));
    }
    let rendered = body::render(&input.body);
    let links: Vec<body::RelatedLink> = rendered
        .related
        .iter()
        .map(|headline| body::RelatedLink {
            headline: headline.clone(),
            url: None,
        })
        .collect();
    let mut response = body::link_related(&rendered.html, &links).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FindQuery {
    q: String,
}

#[derive(serde::Serialize)]
struct Candidate {
    headline: String,
    url: String,
    /// The exact line to put in the body.
    line: String,
}

/// Stored articles to link with "Baca juga": JSON for the editor's picker.
async fn find_related(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<FindQuery>,
) -> Result<Response, AppError> {
    member(&viewer, "/redaksi")?;
    let words = query.q.trim();
    if words.chars().count() > 200 {
        return Err(AppError::BadRequest(
            "parameter \"q\": at most 200 characters".into(),
        ));
    }
    let found = if words.chars().count() < 2 {
        Vec::new()
    } else {
        newsroom::find_headlines(&mut *state.conn().await?, words, 10, Utc::now()).await?
    };
    let items: Vec<Candidate> = found
        .into_iter()
        .map(|(headline, url)| Candidate {
            line: format!("{}: {headline}", body::RELATED_LABEL),
            headline,
            url,
        })
        .collect();
    let mut response = axum::Json(serde_json::json!({ "items": items })).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "revisions.html")]
struct ComparePage {
    chrome: Chrome,
    meta: Meta,
    id: i64,
    from: i64,
    to: i64,
    /// (part name, lines as (css class, text)).
    parts: Vec<(&'static str, Vec<(&'static str, String)>)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompareQuery {
    #[serde(rename = "dari")]
    from: i64,
    #[serde(rename = "ke")]
    to: i64,
}

/// Two versions side by side as a line diff of headline, summary and body.
async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let user = member(&viewer, &format!("/redaksi/artikel/{id}"))?;
    context_for(&state, user, id).await?;
    let mut conn = state.conn().await?;
    let (Some(old), Some(new)) = (
        newsroom::revision(&mut conn, id, query.from).await?,
        newsroom::revision(&mut conn, id, query.to).await?,
    ) else {
        return Err(AppError::NotFound);
    };
    let lines = |a: &str, b: &str| {
        line_diff(a, b)
            .into_iter()
            .map(|line| {
                let class = match line.change {
                    Change::Same => "same",
                    Change::Removed => "removed",
                    Change::Added => "added",
                };
                (class, line.text)
            })
            .collect()
    };
    let page = ComparePage {
        chrome: Chrome::new(&state, &viewer, None).with_forms(),
        meta: pages::private_meta(&state, "Bandingkan versi"),
        id,
        from: old.version,
        to: new.version,
        parts: vec![
            ("Judul", lines(&old.headline, &new.headline)),
            ("Ringkasan", lines(&old.summary, &new.summary)),
            ("Isi", lines(&old.body_markdown, &new.body_markdown)),
        ],
    };
    pages::private(StatusCode::OK, &page)
}

/// Validates, checks the move against the role, saves with optimistic locking, and answers
/// with a redirect; every failure re-renders the form with what was typed.
async fn save(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    user: &User,
    context: EditorContext,
    input: EditorInput,
    upload_errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let desk = Desk {
        state,
        viewer,
        headers,
        user,
    };
    let now = Utc::now();
    let mut draft = input.draft(now, state.site().zone);
    let mut choices = Vec::new();
    choices.extend(unknown_section(state, user, &input.section).await?);
    // A story chosen from the list: one deleted since the form opened is named, not dropped.
    let story = input.story.trim();
    if !story.is_empty() {
        let found = match story.parse::<i64>() {
            Ok(id) => warta_store::stories::by_id(&mut *state.conn().await?, id)
                .await?
                .is_some(),
            Err(_) => false,
        };
        if !found {
            choices.push(story_gone());
        }
    }
    if !choices.is_empty() {
        draft = Err(match draft {
            Ok(_) => choices,
            Err(mut errors) => {
                errors.extend(choices);
                errors
            }
        });
    }
    if !upload_errors.is_empty() {
        let mut errors = upload_errors;
        errors.extend(draft.err().unwrap_or_default());
        return render_editor(&desk, &context, &input, Feedback::invalid(errors)).await;
    }
    if input.action == "preview" {
        let preview = draft
            .as_ref()
            .ok()
            .map(|d| body::render(&d.body_markdown).html);
        let errors = draft.err().unwrap_or_default();
        return render_editor(
            &desk,
            &context,
            &input,
            Feedback {
                errors,
                general: Vec::new(),
                preview,
                status: StatusCode::OK,
            },
        )
        .await;
    }
    let step = Move::parse(&input.action).ok_or_else(|| {
        AppError::BadRequest(format!(
            "action: expected save, submit, publish or unpublish, got {:?}",
            input.action
        ))
    })?;
    // Refused with the editor still filled in: an editor may have published the piece while a
    // contributor was still writing, and what they typed must not be lost.
    if let Err(refusal) = workflow::check(user.role, context.own, context.status, step) {
        let why = match refusal {
            Refusal::NotYours => {
                "Artikel ini milik penulis lain; hanya editor yang dapat mengubahnya."
            }
            Refusal::NotAllowed if user.role == Role::Contributor => {
                "Kontributor mengirim artikel untuk ditinjau; artikel kontributor yang sudah terbit \
                 atau ditarik diubah oleh editor."
            }
            Refusal::NotAllowed => "Peran Anda tidak boleh membuat perubahan ini.",
        };
        let feedback = Feedback {
            errors: Vec::new(),
            general: vec![format!(
                "{why} Isian di bawah belum disimpan; salin bila Anda memerlukannya."
            )],
            preview: None,
            status: StatusCode::FORBIDDEN,
        };
        return render_editor(&desk, &context, &input, feedback).await;
    }
    let mut draft = match draft {
        Ok(draft) => draft,
        Err(errors) => {
            return render_editor(&desk, &context, &input, Feedback::invalid(errors)).await;
        }
    };
    let status = step.target(context.status);
    // A change to an article readers already have shows as "Diperbarui".
    let live = context.status == Some(Status::Published)
        && context.published_at.is_some_and(|at| at <= now);
    if live && status == Status::Published {
        draft.updated_at = Some(now.max(draft.published_at));
    }
    let target = context.id.map(|id| (id, input.version));
    let mut tx = state.begin().await?;
    let outcome = newsroom::save(&mut tx, target, &draft, status, user.id, now).await;
    // A saved article keeps its address unless the form asks for a new one.
    let outcome = match (outcome, &draft.slug) {
        (Ok(Ok(saved)), Some(wanted)) if context.id.is_some() && *wanted != saved.slug => {
            let renamed = warta_store::articles::rename(&mut tx, saved.id, wanted).await;
            renamed.map(|()| {
                Ok(warta_store::articles::Saved {
                    slug: wanted.clone(),
                    ..saved
                })
            })
        }
        (outcome, _) => outcome,
    };
    match outcome {
        Ok(Ok(saved)) => {
            let want_lead = input.lead == "1";
            if user.role.may(Action::SetLeadAndBreaking) && want_lead != context.lead {
                warta_store::articles::set_lead(&mut tx, saved.id, want_lead, now).await?;
            }
            let want_members_only = input.members_only == "1";
            if user.role.may(Action::EditAny) && want_members_only != context.members_only {
                warta_store::articles::set_members_only(&mut tx, saved.id, want_members_only)
                    .await?;
            }
            // Only ids of existing stories (checked above; one deleted since leaves the
            // article out of stories rather than pointing nowhere).
            let want_story = match input.story.trim().parse::<i64>() {
                Ok(id) => warta_store::stories::by_id(&mut tx, id)
                    .await?
                    .map(|s| s.id),
                Err(_) => None,
            };
            if want_story != context.story {
                warta_store::stories::set_article(&mut tx, saved.id, want_story).await?;
            }
            let want_closed = input.comments_closed == "1";
            if user.role.may(Action::EditAny) && want_closed != context.comments_closed {
                warta_store::comments::set_closed(&mut tx, saved.id, want_closed, now).await?;
            }
            let readers_have_it = status == Status::Published && draft.published_at <= now;
            let want_breaking = input.breaking == "1" && readers_have_it;
            if !readers_have_it
                || (user.role.may(Action::SetLeadAndBreaking) && !want_breaking && context.breaking)
            {
                alerts::end_for_article(&mut tx, saved.id, now).await?;
            } else if user.role.may(Action::SetLeadAndBreaking)
                && want_breaking
                && !context.breaking
            {
                let alert = NewAlert {
                    text: draft.headline.clone(),
                    url: Some(article_path(&saved.slug, draft.published_at, draft.zone)),
                    ends_at: now + chrono::Duration::minutes(alert::DEFAULT_MINUTES),
                };
                alerts::start(&mut tx, &alert, Some(saved.id), user.id, now).await?;
            }
            tx.commit().await?;
            // The banner and open pages follow at once on this node.
            state.refresh().await?;
            tracing::info!(
                article = saved.id,
                user = user.id,
                status = status.as_str(),
                "article saved"
            );
            Ok(Redirect::to(&format!("/redaksi/artikel/{}", saved.id)).into_response())
        }
        Ok(Err(conflict)) => {
            drop(tx);
            let message = format!(
                "Artikel ini sudah disimpan orang lain (versi {}) sejak Anda membukanya. Teks Anda tetap di bawah; salin bagian Anda, lalu buka ulang artikel untuk melihat versi terbaru.",
                conflict.current_version
            );
            render_editor(
                &desk,
                &context,
                &input,
                Feedback {
                    errors: Vec::new(),
                    general: vec![message],
                    preview: None,
                    status: StatusCode::CONFLICT,
                },
            )
            .await
        }
        Err(StoreError::Invalid(errors)) => {
            drop(tx);
            render_editor(&desk, &context, &input, Feedback::invalid(errors)).await
        }
        Err(other) => Err(other.into()),
    }
}
