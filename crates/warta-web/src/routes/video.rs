//! Video: the list of videos at `/video`, a page per video with its own `VideoObject`
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
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
    /// The token of a video file a refused form kept (see [`Received::token`]), so the
    /// writer does not send a large file again over a slow line for a typo elsewhere.
    kept: String,
    /// Its size, for the line that says it was received.
    kept_bytes: usize,
    /// The key of a poster image a refused form already stored.
    poster_key: String,
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

    /// "3,2 MB": the kept file's size as the desk writes numbers.
    fn kept_size(&self) -> String {
        media::size_text(self.typed.kept_bytes)
    }
}

fn writer(viewer: &Viewer) -> Result<i64, AppError> {
    permitted(
        viewer,
        "/redaksi/video",
        Action::PublishOwn,
        "Video diterbitkan oleh penulis dan editor.",
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
    /// Names the staging file; a refused form carries it back to use the file after all.
    token: String,
    staging: std::path::PathBuf,
    container: Container,
    bytes: usize,
}

/// Where uploads wait to be published: outside the media folder, so nothing serves them, and
/// usually on the same disk, so publishing is a rename (see [`publish_file`]).
fn staging_dir(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("staging").join("video")
}

/// Moves a staged upload into the media folder: a rename, or, when the media folder is another
/// file system (a volume shared by several nodes), a copy under a temporary name renamed into
/// place, so no node ever serves half a video.
async fn publish_file(staged: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    if tokio::fs::rename(staged, to).await.is_ok() {
        return Ok(());
    }
    let partial = to.with_extension("part");
    tokio::fs::copy(staged, &partial).await?;
    tokio::fs::rename(&partial, to).await?;
    // Published either way; a staging file left behind goes with the hourly sweep.
    if let Err(error) = tokio::fs::remove_file(staged).await {
        tracing::warn!(%error, path = %staged.display(), "a published upload stayed in staging");
    }
    Ok(())
}

/// A staging file not taken up for this long belongs to a form nobody sent again.
const STAGED_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// The staging file of one writer's token, `USER-TOKEN`: a token works only for the writer
/// who sent the file, and names nothing but a token's 32 hex digits.
fn staged_path(dir: &std::path::Path, user: i64, token: &str) -> Option<std::path::PathBuf> {
    (token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| dir.join(format!("{user}-{token}")))
}

/// Takes up the file a refused form kept, checking its first bytes again.
async fn reclaim(dir: &std::path::Path, user: i64, token: &str) -> Result<Received, FieldError> {
    let gone = || {
        FieldError::new(
            "file",
            "berkas yang tadi diterima sudah tidak ada; pilih lagi",
            "the file received earlier is gone; choose it again",
        )
    };
    let staging = staged_path(dir, user, token).ok_or_else(gone)?;
    let mut file = tokio::fs::File::open(&staging).await.map_err(|_| gone())?;
    let mut head = [0u8; 12];
    file.read_exact(&mut head).await.map_err(|_| gone())?;
    let container = Container::sniff(&head).ok_or_else(not_a_video)?;
    let bytes = file.metadata().await.map_err(|_| gone())?.len();
    // Taken up again, the file's day before the sweep starts anew. One futimens call.
    let _ = file
        .into_std()
        .await
        .set_modified(std::time::SystemTime::now());
    Ok(Received {
        token: token.to_owned(),
        staging,
        container,
        bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
    })
}

/// Removes staging files older than [`STAGED_FOR`]: kept by forms nobody sent again, or
/// left by an upload the server did not live to finish. Returns how many went.
pub async fn sweep_staged(data_dir: &std::path::Path) -> std::io::Result<usize> {
    let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
    let mut entries = match tokio::fs::read_dir(staging_dir(data_dir)).await {
        Ok(entries) => entries,
        Err(e) if gone(&e) => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    while let Some(entry) = entries.next_entry().await? {
        // A file published or replaced while the sweep runs is simply no longer there.
        let age = match entry.metadata().await.and_then(|m| m.modified()) {
            Ok(modified) => modified.elapsed().unwrap_or_default(),
            Err(e) if gone(&e) => continue,
            Err(e) => return Err(e),
        };
        if age > STAGED_FOR {
            match tokio::fs::remove_file(entry.path()).await {
                Ok(()) => removed += 1,
                Err(e) if gone(&e) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

/// Streams one file field to a staging file, checking its first bytes and its size on the way.
async fn receive(
    dir: &std::path::Path,
    user: i64,
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<Option<Received>, FieldError> {
    // The disk's trouble is the operator's: logged, and the writer told plainly.
    let storage = |e: std::io::Error| {
        tracing::error!(error = %e, "storing an uploaded video failed");
        FieldError::new(
            "file",
            "berkas tidak dapat disimpan; coba lagi sebentar lagi",
            format!("could not store it: {e}"),
        )
    };
    let mut head: Vec<u8> = Vec::new();
    let token = secret::token()[..32].to_owned();
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
                    "unggahan terputus; pilih berkasnya lagi",
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
            let path = dir.join(format!("{user}-{token}"));
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
                token,
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
        "berkas harus berupa video MP4 atau WebM",
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
    let dir = staging_dir(&state.config.data_dir);
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.body_text());
    let mut typed = Typed::default();
    let mut csrf = String::new();
    let mut received: Option<Received> = None;
    let mut poster: Option<(String, Vec<u8>)> = None;
    let mut errors = Vec::new();
    let mut drop_kept = false;
    let mut drop_poster = false;
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => match receive(&dir, user, &mut field).await {
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
                // (A file already staged is left to the hourly sweep if this refuses.)
                let value = crate::form_text::field_text(field).await?;
                match name.as_str() {
                    "csrf" => csrf = value,
                    "title" => typed.title = value,
                    "description" => typed.description = value,
                    "duration" => typed.duration = value,
                    "embed_url" => typed.embed_url = value,
                    "tags" => typed.tags = value,
                    "section" => typed.section = value,
                    "story" => typed.story = value,
                    "kept" => typed.kept = value,
                    "drop_kept" => drop_kept = !value.is_empty(),
                    "drop_poster" => drop_poster = !value.is_empty(),
                    "poster_key" => typed.poster_key = value,
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
    // The file a refused form kept stands in for one not sent again; a new one replaces it.
    let kept = std::mem::take(&mut typed.kept);
    if drop_kept || received.is_some() || errors.iter().any(|e| e.field == "file") {
        if let Some(old) = staged_path(&dir, user, &kept) {
            let _ = tokio::fs::remove_file(old).await;
        }
    } else if !kept.is_empty() {
        match reclaim(&dir, user, &kept).await {
            Ok(file) => received = Some(file),
            Err(error) => errors.push(error),
        }
    }
    // The poster is stored before the rest is checked, so a refusal keeps it too.
    let mut poster_key = std::mem::take(&mut typed.poster_key);
    if let Some((name, bytes)) = poster {
        match media::upload(&state, bytes, &name, user).await {
            Ok(image) => poster_key = image.key,
            Err(error) => errors.push(error.for_field("poster")),
        }
    } else if drop_poster
        || !warta_core::article::is_image_key(&poster_key)
        || !warta_store::images::exists(&mut *state.conn().await?, &poster_key).await?
    {
        poster_key.clear();
    }
    typed.poster_key.clone_from(&poster_key);
    let had_file = received.is_some() || errors.iter().any(|e| e.field == "file");
    let parsed = VideoInput::parse(
        &typed.title,
        &typed.description,
        &typed.duration,
        &typed.embed_url,
        &typed.tags,
        had_file,
    );
    // A section or story chosen from the form's lists: one deleted since the form was opened
    // (or a forged value) is a field error, not a broken reference.
    let number = |text: &str| text.trim().parse::<i64>().ok();
    {
        let mut conn = state.conn().await?;
        let sections = warta_store::taxonomy::sections(&mut conn).await?;
        let stories = warta_store::stories::all(&mut conn).await?;
        let chosen = |text: &str, ids: &[i64]| {
            text.trim().is_empty() || number(text).is_some_and(|n| ids.contains(&n))
        };
        let section_ids: Vec<i64> = sections.iter().map(|s| s.id).collect();
        let story_ids: Vec<i64> = stories.iter().map(|s| s.id).collect();
        if !chosen(&typed.section, &section_ids) {
            errors.push(FieldError::new(
                "section",
                "pilih kanal dari daftar (kanal itu tidak ada lagi)",
                "choose a section from the list (that one no longer exists)",
            ));
        }
        if !chosen(&typed.story, &story_ids) {
            errors.push(crate::routes::newsroom::story_gone());
        }
    }
    let refused = match parsed {
        Ok(input) if errors.is_empty() => Ok(input),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more.into_iter().filter(|e| e.field != "file" || !had_file));
            Err(errors)
        }
    };
    let input = match refused {
        Ok(input) => input,
        Err(errors) => {
            // The form comes back with the file kept on disk under its token.
            if let Some(file) = received {
                typed.kept = file.token;
                typed.kept_bytes = file.bytes;
            }
            return render(&state, &viewer, &headers, typed, errors).await;
        }
    };
    let poster_key = Some(poster_key).filter(|key| !key.is_empty());
    let (file_path, file_type, file_bytes) = match (&input.source, received) {
        (Source::Upload, Some(r)) => {
            let name = format!("{}.{}", &secret::token()[..24], r.container.extension());
            let published = state.config.media_dir.join("video");
            let stored = async {
                tokio::fs::create_dir_all(&published).await?;
                publish_file(&r.staging, &published.join(&name)).await
            };
            stored
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
        "Video dihapus oleh editor.",
    )?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let mut tx = state.begin().await?;
    let Some(file) = videos::delete(&mut tx, id).await? else {
        return Err(AppError::NotFound);
    };
    tx.commit().await?;
    if let Some(file) = file {
        let path = state.config.media_dir.join(file);
        if let Err(error) = tokio::fs::remove_file(&path).await {
            tracing::warn!(%error, path = %path.display(), "a deleted video's file stayed");
        }
    }
    state.refresh().await?;
    Ok(Redirect::to("/redaksi/video").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_token_names_a_staging_file_and_only_for_its_writer() {
        let dir = std::path::Path::new("/data/staging/video");
        let token = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            staged_path(dir, 7, token),
            Some(dir.join(format!("7-{token}")))
        );
        assert_ne!(staged_path(dir, 8, token), staged_path(dir, 7, token));
        for forged in [
            "../../warta.db",
            "",
            "0123456789abcdef",
            &format!("{token}/x"),
        ] {
            assert_eq!(staged_path(dir, 7, forged), None, "{forged}");
        }
    }

    #[test]
    fn nothing_waiting_is_under_the_served_media_folder() {
        let data = std::path::Path::new("/data");
        assert!(!staging_dir(data).starts_with(data.join("media")));
    }

    #[tokio::test]
    async fn the_sweep_removes_only_old_staging_files() {
        let data = std::env::temp_dir().join(format!("warta-sweep-{}", &secret::token()[..12]));
        let dir = staging_dir(&data);
        let published_dir = data.join("media").join("video");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&published_dir).unwrap();
        let old = dir.join("7-old");
        let fresh = dir.join("7-fresh");
        let published = published_dir.join("0123.webm");
        for path in [&old, &fresh, &published] {
            std::fs::write(path, b"x").unwrap();
        }
        let day_ago =
            std::time::SystemTime::now() - STAGED_FOR - std::time::Duration::from_secs(60);
        for path in [&old, &published] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(day_ago)
                .unwrap();
        }
        assert_eq!(sweep_staged(&data).await.unwrap(), 1);
        assert!(!old.exists());
        assert!(fresh.exists() && published.exists());
        assert_eq!(sweep_staged(&data.join("none")).await.unwrap(), 0);
        std::fs::remove_dir_all(&data).unwrap();
    }
}
