//! Video: the "Video lainnya" list at `/video`, a page per video with its own `VideoObject`
//! data, and the newsroom's `/redaksi/video` where writers upload a file (streamed to disk,
//! served from `/media/video/` with range requests) or give a YouTube address, which pages load
//! only when the reader clicks the poster.

use askama::Template;
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::{DateTime, Utc};
use tokio::io::AsyncWriteExt;
use warta_core::{
    FieldError,
    account::Action,
    article::Named,
    secret, slug,
    video::{self, Container, Source, VideoInput},
};
use warta_store::{
    images,
    videos::{self, NewVideo, Video},
};

use crate::{
    AppError, AppState, media,
    pages::{self, Chrome, Meta},
    query::QueryParams,
    routes::newsroom::permitted,
    session::{self, Viewer},
    views::{Moment, Pager},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/video", get(list))
        .route("/video/{slug}", get(page))
        .route(
            "/redaksi/video",
            get(desk).post(upload).layer(DefaultBodyLimit::max(
                MAX_VIDEO_BYTES + media::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/redaksi/video/{id}/hapus", post(delete))
}

/// Largest video file accepted. News clips are minutes long; longer footage belongs on a
/// video host and is embedded.
pub const MAX_VIDEO_BYTES: usize = 512 * 1024 * 1024;
/// Videos per page of the list.
const PER_PAGE: u32 = 24;

/// A video as lists and pages show it.
#[derive(Debug, Clone)]
pub struct VideoCard {
    pub title: String,
    pub href: String,
    pub description: String,
    pub clock: String,
    /// A small poster variant.
    pub thumb: Option<String>,
    /// The poster for the player.
    pub poster: Option<String>,
    /// Set for an uploaded file: its URL and type.
    pub file: Option<(String, String)>,
    /// Set for an embed: (link to the host's page, the privacy-enhanced player's URL).
    pub embed: Option<(String, String)>,
    pub published: Moment,
    pub iso_duration: String,
    pub section: Option<Named>,
}

impl VideoCard {
    pub fn new(video: &Video, zone: warta_core::Zone) -> VideoCard {
        let poster_at = |min: u32| -> Option<String> {
            let key = video.poster_key.as_deref()?;
            let widths = images::parse_widths(video.poster_widths.as_deref().unwrap_or(""));
            let width = widths
                .iter()
                .copied()
                .find(|w| *w >= min)
                .or_else(|| widths.last().copied())?;
            let extension = images::extension(video.poster_type.as_deref().unwrap_or(""));
            Some(media::variant_url(key, width, extension))
        };
        let embed = match (video.embed_host.as_deref(), video.embed_id.as_deref()) {
            (Some("youtube"), Some(id)) => Some((
                format!("https://www.youtube.com/watch?v={id}"),
                format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
            )),
            _ => None,
        };
        VideoCard {
            title: video.title.clone(),
            href: video.path(),
            description: video.description.clone(),
            clock: video::clock(video.duration_seconds),
            thumb: poster_at(320),
            poster: poster_at(960),
            file: video.file_path.as_ref().map(|p| {
                (
                    format!("/media/{p}"),
                    video.file_type.clone().unwrap_or_default(),
                )
            }),
            embed,
            published: Moment::new(
                DateTime::from_timestamp(video.published_at, 0).unwrap_or_default(),
                zone,
            ),
            iso_duration: video::iso_duration(video.duration_seconds),
            section: video
                .section_name
                .clone()
                .zip(video.section_slug.clone())
                .map(|(name, slug)| Named { name, slug }),
        }
    }

    /// The page's `VideoObject` JSON-LD.
    fn json_ld(&self, base: &str, site: &str) -> String {
        let mut object = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": self.title,
            "description": if self.description.is_empty() { &self.title } else { &self.description },
            "uploadDate": self.published.machine,
            "duration": self.iso_duration,
            "url": format!("{base}{}", self.href),
            "publisher": {"@type": "Organization", "name": site},
        });
        if let Some(poster) = &self.poster {
            object["thumbnailUrl"] = format!("{base}{poster}").into();
        }
        if let Some((src, _)) = &self.file {
            object["contentUrl"] = format!("{base}{src}").into();
        }
        if let Some((_, player)) = &self.embed {
            object["embedUrl"] = player.trim_end_matches("?autoplay=1").into();
        }
        crate::views::script_json(&object)
    }
}

#[derive(Template)]
#[template(path = "videos.html")]
struct VideoList {
    chrome: Chrome,
    meta: Meta,
    videos: Vec<VideoCard>,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = QueryParams::parse(query.as_deref())?.page()?;
    let mut found = videos::latest(
        &mut *state.conn().await?,
        PER_PAGE + 1,
        (page - 1) * PER_PAGE,
    )
    .await?;
    if page > 1 && found.is_empty() {
        return Err(AppError::NotFound);
    }
    let has_next = found.len() > PER_PAGE as usize;
    found.truncate(PER_PAGE as usize);
    let site = state.site();
    let view = VideoList {
        chrome: Chrome::new(&state, &viewer, None),
        meta: Meta {
            title: format!("{} - {}", site.language.catalog().video.videos, site.name),
            og_title: site.language.catalog().video.videos.into(),
            description: site
                .language
                .catalog()
                .video
                .list_description
                .replace("{site}", &site.name),
            canonical: format!("{}/video", site.base_url),
            og_type: "website",
            ..Meta::default()
        },
        videos: found.iter().map(|v| VideoCard::new(v, site.zone)).collect(),
        pager: Pager::new("/video", page, has_next),
    };
    pages::public(&view)
}

#[derive(Template)]
#[template(path = "video.html")]
struct VideoPage {
    chrome: Chrome,
    meta: Meta,
    v: VideoCard,
    more: Vec<VideoCard>,
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let Some(video) = videos::by_slug(&mut conn, &slug).await? else {
        return Err(AppError::NotFound);
    };
    drop(conn);
    let latest = state.videos();
    let site = state.site();
    let tags = video.tag_list();
    let candidates: Vec<(Vec<String>, &Video)> = latest
        .iter()
        .filter(|v| v.id != video.id)
        .map(|v| (v.tag_list(), v))
        .collect();
    let more = more_videos(
        &candidates,
        &video::Context {
            section_id: video.section_id,
            story_id: video.story_id,
            tags: &tags,
        },
        4,
    );
    let v = VideoCard::new(&video, site.zone);
    let meta = Meta {
        title: format!("{} - {}", v.title, site.name),
        og_title: v.title.clone(),
        description: warta_core::body::truncate_words(
            if v.description.is_empty() {
                &v.title
            } else {
                &v.description
            },
            160,
        ),
        canonical: format!("{}{}", site.base_url, v.href),
        og_type: "video.other",
        json_ld: Some(v.json_ld(&site.base_url, &site.name)),
        image: v.poster.as_ref().map(|p| format!("{}{p}", site.base_url)),
        published_time: Some(v.published.machine.clone()),
        ..Meta::default()
    };
    let view = VideoPage {
        chrome: Chrome::new(&state, &viewer, None),
        meta,
        more: more.iter().map(|v| VideoCard::new(v, site.zone)).collect(),
        v,
    };
    pages::public(&view)
}

/// Up to `n` videos for `context`: the recommended ones, then the newest to fill the row.
fn more_videos<'a>(
    candidates: &[(Vec<String>, &'a Video)],
    context: &video::Context,
    n: usize,
) -> Vec<&'a Video> {
    let scored: Vec<video::Candidate> = candidates
        .iter()
        .map(|(tags, v)| video::Candidate {
            id: v.id,
            section_id: v.section_id,
            story_id: v.story_id,
            tags,
        })
        .collect();
    let mut ids = video::recommend(context, &scored, n);
    for (_, v) in candidates {
        if ids.len() >= n {
            break;
        }
        if !ids.contains(&v.id) {
            ids.push(v.id);
        }
    }
    ids.iter()
        .filter_map(|id| {
            candidates
                .iter()
                .find(|(_, v)| v.id == *id)
                .map(|(_, v)| *v)
        })
        .collect()
}

/// "Video rekomendasi" for an article: only videos that share its story, tags or section.
pub fn recommended(
    state: &AppState,
    article: &warta_core::article::Article,
    story_id: Option<i64>,
) -> Vec<VideoCard> {
    let latest = state.videos();
    if latest.is_empty() {
        return Vec::new();
    }
    let section_id = match &article.section {
        Some(section) => latest
            .iter()
            .find(|v| v.section_slug.as_deref() == Some(section.slug.as_str()))
            .and_then(|v| v.section_id),
        None => None,
    };
    let tags: Vec<String> = article.tags.iter().map(|t| t.name.to_lowercase()).collect();
    let tag_lists: Vec<Vec<String>> = latest.iter().map(Video::tag_list).collect();
    let candidates: Vec<video::Candidate> = latest
        .iter()
        .zip(&tag_lists)
        .map(|(v, tags)| video::Candidate {
            id: v.id,
            section_id: v.section_id,
            story_id: v.story_id,
            tags,
        })
        .collect();
    let context = video::Context {
        section_id,
        story_id,
        tags: &tags,
    };
    let zone = state.site().zone;
    video::recommend(&context, &candidates, 3)
        .iter()
        .filter_map(|id| latest.iter().find(|v| v.id == *id))
        .map(|v| VideoCard::new(v, zone))
        .collect()
}

// The newsroom side.

#[derive(Debug, Default, Clone)]
struct Typed {
    title: String,
    description: String,
    duration: String,
    embed_url: String,
    tags: String,
    section: String,
    story: String,
}

#[derive(Template)]
#[template(path = "video-desk.html")]
struct Desk {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    errors: Vec<(&'static str, String)>,
    typed: Typed,
    /// (id, name, chosen)
    sections: Vec<(i64, String, bool)>,
    stories: Vec<(i64, String, bool)>,
    /// (id, title, href, duration, kind)
    videos: Vec<(i64, String, String, String, &'static str)>,
}

impl Desk {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn writer(viewer: &Viewer) -> Result<i64, AppError> {
    permitted(
        viewer,
        "/redaksi/video",
        Action::PublishOwn,
        "videos are published by writers and editors",
    )
    .map(|u| u.id)
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    typed: Typed,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let sections = warta_store::taxonomy::sections(&mut conn).await?;
    let stories = warta_store::stories::all(&mut conn).await?;
    let recent = videos::latest(&mut conn, 50, 0).await?;
    drop(conn);
    let (csrf, _) = session::csrf_token(headers, viewer);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Desk {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Video"),
        csrf,
        errors: errors.into_iter().map(|e| (e.field, e.id)).collect(),
        sections: sections
            .iter()
            .map(|s| (s.id, s.name.clone(), typed.section == s.id.to_string()))
            .collect(),
        stories: stories
            .iter()
            .map(|s| (s.id, s.title.clone(), typed.story == s.id.to_string()))
            .collect(),
        videos: recent
            .iter()
            .map(|v| {
                (
                    v.id,
                    v.title.clone(),
                    v.path(),
                    video::clock(v.duration_seconds),
                    if v.file_path.is_some() {
                        "unggahan"
                    } else {
                        "YouTube"
                    },
                )
            })
            .collect(),
        typed,
    };
    pages::private(status, &page)
}

async fn desk(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    writer(&viewer)?;
    render(&state, &viewer, &headers, Typed::default(), Vec::new()).await
}

/// A video file written to disk as it arrives, not yet named for keeps.
struct Received {
    staging: std::path::PathBuf,
    container: Container,
    bytes: usize,
}

/// Streams one file field to a staging file, checking its first bytes and its size on the way.
async fn receive(
    dir: &std::path::Path,
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<Option<Received>, FieldError> {
    let storage = |e: std::io::Error| {
        FieldError::new(
            "file",
            format!("tidak dapat disimpan: {e}"),
            format!("could not store it: {e}"),
        )
    };
    let mut head: Vec<u8> = Vec::new();
    let mut file: Option<(tokio::fs::File, std::path::PathBuf)> = None;
    let mut total = 0usize;
    let mut container = None;
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                return Err(FieldError::new(
                    "file",
                    format!("unggahan terputus: {e}"),
                    format!("the upload broke off: {e}"),
                ));
            }
        };
        total += chunk.len();
        if total > MAX_VIDEO_BYTES {
            if let Some((_, path)) = file {
                let _ = tokio::fs::remove_file(path).await;
            }
            return Err(FieldError::new(
                "file",
                format!("paling besar {} MB", MAX_VIDEO_BYTES / 1024 / 1024),
                format!("at most {} MB", MAX_VIDEO_BYTES / 1024 / 1024),
            ));
        }
        if container.is_none() {
            head.extend_from_slice(&chunk);
            if head.len() < 12 {
                continue;
            }
            container = Some(Container::sniff(&head).ok_or_else(not_a_video)?);
            tokio::fs::create_dir_all(dir).await.map_err(storage)?;
            let path = dir.join(format!(".upload-{}", &secret::token()[..16]));
            let mut opened = tokio::fs::File::create(&path).await.map_err(storage)?;
            opened.write_all(&head).await.map_err(storage)?;
            file = Some((opened, path));
            continue;
        }
        if let Some((opened, _)) = file.as_mut() {
            opened.write_all(&chunk).await.map_err(storage)?;
        }
    }
    match (file, container) {
        (Some((opened, staging)), Some(container)) => {
            opened.sync_all().await.map_err(storage)?;
            Ok(Some(Received {
                staging,
                container,
                bytes: total,
            }))
        }
        _ if total == 0 => Ok(None),
        _ => Err(not_a_video()),
    }
}

/// The refusal of a file that is neither MP4 nor WebM.
fn not_a_video() -> FieldError {
    FieldError::new(
        "file",
        "diharapkan video MP4 atau WebM",
        "expected an MP4 or WebM video",
    )
}

async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let user = writer(&viewer)?;
    let dir = state.config.data_dir.join("media").join("video");
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.body_text());
    let mut typed = Typed::default();
    let mut csrf = String::new();
    let mut received: Option<Received> = None;
    let mut poster: Option<(String, Vec<u8>)> = None;
    let mut errors = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => match receive(&dir, &mut field).await {
                Ok(file) => received = file,
                Err(error) => errors.push(error),
            },
            "poster" => {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                if !bytes.is_empty() {
                    poster = Some((file_name, bytes.to_vec()));
                }
            }
            _ => {
                let value = field.text().await.map_err(bad)?;
                match name.as_str() {
                    "csrf" => csrf = value,
                    "title" => typed.title = value,
                    "description" => typed.description = value,
                    "duration" => typed.duration = value,
                    "embed_url" => typed.embed_url = value,
                    "tags" => typed.tags = value,
                    "section" => typed.section = value,
                    "story" => typed.story = value,
                    _ => {}
                }
            }
        }
    }
    let discard = |received: Option<Received>| async move {
        if let Some(r) = received {
            let _ = tokio::fs::remove_file(r.staging).await;
        }
    };
    if let Err(error) = session::check_csrf(&headers, &viewer, &csrf) {
        discard(received).await;
        return Err(error);
    }
    let had_file = received.is_some() || errors.iter().any(|e| e.field == "file");
    let parsed = VideoInput::parse(
        &typed.title,
        &typed.description,
        &typed.duration,
        &typed.embed_url,
        &typed.tags,
        had_file,
    );
    let number = |text: &str| text.trim().parse::<i64>().ok();
    let input = match parsed {
        Ok(input) if errors.is_empty() => input,
        Ok(_) => {
            discard(received).await;
            return render(&state, &viewer, &headers, typed, errors).await;
        }
        Err(more) => {
            discard(received).await;
            errors.extend(more.into_iter().filter(|e| e.field != "file" || !had_file));
            return render(&state, &viewer, &headers, typed, errors).await;
        }
    };
    let poster_key = match poster {
        Some((name, bytes)) => match media::upload(&state, bytes, &name, user).await {
            Ok(image) => Some(image.key),
            Err(error) => {
                discard(received).await;
                let errors = vec![error.for_field("poster")];
                return render(&state, &viewer, &headers, typed, errors).await;
            }
        },
        None => None,
    };
    let (file_path, file_type, file_bytes) = match (&input.source, received) {
        (Source::Upload, Some(r)) => {
            let name = format!("{}.{}", &secret::token()[..24], r.container.extension());
            tokio::fs::rename(&r.staging, dir.join(&name))
                .await
                .map_err(|e| AppError::Internal(format!("storing a video: {e}")))?;
            (
                Some(format!("video/{name}")),
                Some(r.container.mime().to_owned()),
                Some(i64::try_from(r.bytes).unwrap_or(i64::MAX)),
            )
        }
        (_, received) => {
            discard(received).await;
            (None, None, None)
        }
    };
    let (embed_host, embed_id) = match &input.source {
        Source::YouTube(id) => (Some("youtube".to_owned()), Some(id.clone())),
        Source::Upload => (None, None),
    };
    let new = NewVideo {
        slug: slug::slugify(&input.title),
        title: input.title.clone(),
        description: input.description.clone(),
        duration_seconds: input.duration_seconds,
        poster_key,
        file_path,
        file_type,
        file_bytes,
        embed_host,
        embed_id,
        section_id: number(&typed.section),
        story_id: number(&typed.story),
        tags: input.tags.join(","),
    };
    let mut tx = state.begin().await?;
    let (id, slug) = videos::insert(&mut tx, &new, Some(user), Utc::now()).await?;
    tx.commit().await?;
    tracing::info!(video = id, user, "video published");
    state.refresh().await?;
    Ok(Redirect::to(&format!("/video/{slug}")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct DeleteForm {
    csrf: String,
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<DeleteForm>,
) -> Result<Response, AppError> {
    permitted(
        &viewer,
        "/redaksi/video",
        Action::EditAny,
        "videos are removed by editors",
    )?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let mut tx = state.begin().await?;
    let Some(file) = videos::delete(&mut tx, id).await? else {
        return Err(AppError::NotFound);
    };
    tx.commit().await?;
    if let Some(file) = file {
        let path = state.config.data_dir.join("media").join(file);
        if let Err(error) = tokio::fs::remove_file(&path).await {
            tracing::warn!(%error, path = %path.display(), "a deleted video's file stayed");
        }
    }
    state.refresh().await?;
    Ok(Redirect::to("/redaksi/video").into_response())
}
