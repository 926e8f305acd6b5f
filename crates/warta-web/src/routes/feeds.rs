//! Feeds and search-engine files: RSS 2.0 and Atom for the site and for each section, tag and
//! author; `sitemap.xml` (an index over article sitemaps of 10,000 URLs), the Google News
//! sitemap (the last 48 hours), and `robots.txt`. All are public responses, so the page cache
//! gives them ETags and 304s, and Last-Modified is the newest item's time.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{DateTime, Duration, Utc};
use warta_core::article::Article;
use warta_store::articles::{self, Filter, NamedKind, SitemapEntry, Start};

use crate::{
    AppError, AppState,
    views::{PictureView, author_href, section_href, tag_href},
};

/// Items per feed.
const FEED_ITEMS: u32 = 20;
/// URLs per article sitemap file (the format allows 50,000; smaller files are cheaper to redo).
const SITEMAP_URLS: i64 = 10_000;
/// The Google News sitemap covers this many hours and at most 1,000 URLs.
const NEWS_HOURS: i64 = 48;
const NEWS_URLS: i64 = 1_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rss.xml", get(|s| feed(s, Kind::Rss, None)))
        .route("/breaking/rss.xml", get(breaking))
        .route("/atom.xml", get(|s| feed(s, Kind::Atom, None)))
        .route(
            "/kanal/{slug}/rss.xml",
            get(|s, p| named(s, p, NamedKind::Section, Kind::Rss)),
        )
        .route(
            "/kanal/{slug}/atom.xml",
            get(|s, p| named(s, p, NamedKind::Section, Kind::Atom)),
        )
        .route(
            "/tag/{slug}/rss.xml",
            get(|s, p| named(s, p, NamedKind::Tag, Kind::Rss)),
        )
        .route(
            "/tag/{slug}/atom.xml",
            get(|s, p| named(s, p, NamedKind::Tag, Kind::Atom)),
        )
        .route(
            "/penulis/{slug}/rss.xml",
            get(|s, p| named(s, p, NamedKind::Author, Kind::Rss)),
        )
        .route(
            "/penulis/{slug}/atom.xml",
            get(|s, p| named(s, p, NamedKind::Author, Kind::Atom)),
        )
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemap/{file}", get(sitemap_file))
        .route("/robots.txt", get(robots))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rss,
    Atom,
}

/// One feed entry, every text ready for the templates (which escape it).
struct Item {
    title: String,
    url: String,
    /// The item's own id when it is not its link (an alert: two alerts may link one article).
    guid: Option<String>,
    summary: String,
    published_rss: String,
    published: String,
    updated: String,
    authors: Vec<String>,
    categories: Vec<String>,
    /// (url, bytes, type)
    enclosure: Option<(String, u64, &'static str)>,
}

#[derive(Template)]
#[template(path = "rss.xml")]
struct Rss {
    title: String,
    home: String,
    self_url: String,
    description: String,
    language: &'static str,
    updated_rss: String,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "atom.xml")]
struct Atom {
    /// The feed's language, `xml:lang`.
    lang: &'static str,
    title: String,
    /// The feed's author, the site: Atom wants one for entries without bylines of their own.
    publisher: String,
    home: String,
    self_url: String,
    updated: String,
    items: Vec<Item>,
}

async fn named(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    kind: NamedKind,
    format: Kind,
) -> Result<Response, AppError> {
    feed(State(state), format, Some((kind, slug))).await
}

async fn feed(
    State(state): State<AppState>,
    format: Kind,
    scope: Option<(NamedKind, String)>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let site = state.site();
    let mut conn = state.conn().await?;
    let (filter, title, page) = match &scope {
        None => (Filter::All, site.name.clone(), "/".to_owned()),
        Some((kind, slug)) => {
            let Some(named) = articles::named_by_slug(&mut conn, *kind, slug).await? else {
                return Err(AppError::NotFound);
            };
            let (filter, href) = match kind {
                NamedKind::Section => (Filter::Section(slug), section_href(slug)),
                NamedKind::Tag => (Filter::Tag(slug), tag_href(slug)),
                NamedKind::Author => (Filter::Author(slug), author_href(slug)),
            };
            (filter, format!("{} - {}", named.name, site.name), href)
        }
    };
    let ids: Vec<i64> = articles::list(&mut conn, filter, now, FEED_ITEMS, Start::Skip(0))
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    let full = articles::published_by_ids(&mut conn, &ids, now).await?;
    drop(conn);
    let base = site.base_url.clone();
    let mut items = Vec::with_capacity(full.len());
    for article in &full {
        items.push(item(&state, &base, article).await);
    }
    let newest = full
        .iter()
        .map(|a| a.updated_at.unwrap_or(a.published_at).max(a.published_at))
        .max()
        .unwrap_or(now);
    let suffix = if format == Kind::Rss {
        "rss.xml"
    } else {
        "atom.xml"
    };
    let self_path = if page == "/" {
        format!("/{suffix}")
    } else {
        format!("{page}/{suffix}")
    };
    // The site's own line describes the site's feed, not a section's.
    let description = if scope.is_none() && !site.tagline.is_empty() {
        site.tagline.clone()
    } else {
        format!("{title} - {}", site.language.catalog().latest)
    };
    let (body, content_type) = match format {
        Kind::Rss => (
            Rss {
                title,
                home: format!("{base}{page}"),
                self_url: format!("{base}{self_path}"),
                description,
                language: site.language.tag(),
                updated_rss: newest.to_rfc2822(),
                items,
            }
            .render()?,
            "application/rss+xml; charset=utf-8",
        ),
        Kind::Atom => (
            Atom {
                lang: state.site().language.tag(),
                title,
                publisher: site.name.clone(),
                home: format!("{base}{page}"),
                self_url: format!("{base}{self_path}"),
                updated: newest.to_rfc3339(),
                items,
            }
            .render()?,
            "application/atom+xml; charset=utf-8",
        ),
    };
    Ok(xml(body, content_type))
}

async fn item(state: &AppState, base: &str, article: &Article) -> Item {
    let zone = state.site().zone;
    let updated = article
        .updated_at
        .unwrap_or(article.published_at)
        .max(article.published_at);
    let mut categories: Vec<String> = article.section.iter().map(|s| s.name.clone()).collect();
    categories.extend(article.tags.iter().map(|t| t.name.clone()));
    let mut enclosure = None;
    if let Some(picture) = &article.picture
        && let Some(path) = PictureView::largest(picture)
    {
        // The variant's real size: feed readers use it to decide whether to download.
        let file = state
            .config
            .media_dir
            .join(path.trim_start_matches("/media/"));
        let bytes = tokio::fs::metadata(&file)
            .await
            .map(|m| m.len())
            .unwrap_or(0);
        let kind = if picture.extension == "png" {
            "image/png"
        } else {
            "image/jpeg"
        };
        enclosure = Some((format!("{base}{path}"), bytes, kind));
    }
    Item {
        title: article.headline.clone(),
        url: format!("{base}{}", article.path()),
        guid: Some(article_guid(base, article.id)),
        summary: article.summary.clone(),
        published_rss: article.published_at.to_rfc2822(),
        published: zone.rfc3339(article.published_at),
        updated: zone.rfc3339(updated),
        authors: article.authors.iter().map(|a| a.name.clone()).collect(),
        categories,
        enclosure,
    }
}

/// An article's identity in feeds: its address changes with a rename (the slug) and a feed
/// reader would show it again as new, so it is a tag URI (RFC 4151) of the site's host and
/// the article's id instead.
fn article_guid(base: &str, id: i64) -> String {
    let host = base
        .split_once("://")
        .map_or(base, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    format!("tag:{host},2026:artikel-{id}")
}

/// `/breaking/rss.xml`: the breaking-news channel as a feed, the newest alerts first (live or
/// ended), so feed readers and bridges that poll get every alert the site sends.
async fn breaking(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    let base = &site.base_url;
    let breaking = site.language.catalog().breaking;
    let alerts = warta_store::alerts::recent(&mut *state.conn().await?, 20).await?;
    let newest = alerts.iter().map(|a| a.created_at).max();
    let items = alerts
        .iter()
        .map(|a| {
            let url = match a.url.as_deref() {
                Some(path) if path.starts_with('/') => format!("{base}{path}"),
                Some(url) => url.to_owned(),
                None => format!("{base}/#breaking-{}", a.id),
            };
            Item {
                title: a.text.clone(),
                url,
                guid: Some(format!("{base}/breaking/rss.xml#{}", a.id)),
                summary: a.text.clone(),
                published_rss: a.created_at.to_rfc2822(),
                published: site.zone.rfc3339(a.created_at),
                updated: site.zone.rfc3339(a.created_at),
                authors: Vec::new(),
                categories: vec![breaking.to_owned()],
                enclosure: None,
            }
        })
        .collect();
    let body = Rss {
        title: format!("{} - {breaking}", site.name),
        home: format!("{base}/"),
        self_url: format!("{base}/breaking/rss.xml"),
        description: format!("{} - {breaking}", site.name),
        language: site.language.tag(),
        updated_rss: newest.unwrap_or_else(Utc::now).to_rfc2822(),
        items,
    }
    .render()?;
    let mut response = xml(body, "application/rss+xml; charset=utf-8");
    // Pollers should come back soon: this feed is a channel for news that cannot wait.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=30"),
    );
    Ok(response)
}

/// An XML answer, its Last-Modified the moment it was rendered. Not the newest item's time:
/// that moves back when the newest is unpublished and stays put when an older one is edited or
/// back-dated, and a client asking If-Modified-Since would keep a feed that changed. The page
/// cache keeps the rendering (and its time) until anything changes.
fn xml(body: String, content_type: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    let rendered = Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    if let Ok(value) = HeaderValue::from_str(&rendered) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    response
}

#[derive(Template)]
#[template(path = "sitemap-index.xml")]
struct SitemapIndex {
    files: Vec<(String, String)>,
}

/// `/sitemap.xml`: the news sitemap, the sections, and one file per 10,000 articles, each with
/// when it last changed, so that crawlers refetch only those that did.
async fn sitemap_index(State(state): State<AppState>) -> Result<Response, AppError> {
    let now = Utc::now();
    let mut conn = state.conn().await?;
    let files = articles::sitemap_file_changes(&mut conn, now, SITEMAP_URLS).await?;
    let pages = page_changes(&mut conn, now, 1).await?;
    drop(conn);
    let base = state.site().base_url.clone();
    let stamp = |at: Option<DateTime<Utc>>| at.unwrap_or(now).to_rfc3339();
    let newest = pages.newest_article;
    let mut list = vec![
        (format!("{base}/sitemap/berita.xml"), stamp(newest)),
        (format!("{base}/sitemap/kanal.xml"), stamp(pages.latest())),
    ];
    for n in 1..=files.len().max(1) {
        let changed = files.get(n - 1).copied();
        list.push((format!("{base}/sitemap/artikel-{n}.xml"), stamp(changed)));
    }
    Ok(xml(
        SitemapIndex { files: list }.render()?,
        "application/xml; charset=utf-8",
    ))
}

/// When the pages of `kanal.xml` last changed.
struct PageChanges {
    /// The newest publication: what changes the home page and the section pages.
    newest_article: Option<DateTime<Utc>>,
    stories: Vec<warta_store::stories::Story>,
    videos: Vec<warta_store::videos::Video>,
}

impl PageChanges {
    /// The latest change of any of them.
    fn latest(&self) -> Option<DateTime<Utc>> {
        let stories = self.stories.iter().map(|s| at(s.modified_at));
        let videos = self.videos.first().map(|v| at(v.published_at));
        self.newest_article
            .into_iter()
            .chain(stories)
            .chain(videos)
            .max()
    }
}

/// The newest article, every story, and the newest `videos` videos.
async fn page_changes(
    conn: &mut warta_store::Connection,
    now: DateTime<Utc>,
    videos: u32,
) -> Result<PageChanges, AppError> {
    let newest = articles::list(&mut *conn, Filter::All, now, 1, Start::Skip(0)).await?;
    Ok(PageChanges {
        newest_article: newest.first().map(|a| a.published_at),
        stories: warta_store::stories::all(conn).await?,
        videos: warta_store::videos::latest(conn, videos, 0).await?,
    })
}

/// A stored Unix time.
fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct Urlset {
    /// (absolute URL, lastmod)
    urls: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "sitemap-news.xml")]
struct NewsSitemap {
    name: String,
    language: &'static str,
    /// (absolute URL, publication date, title)
    urls: Vec<(String, String, String)>,
}

/// `/sitemap/artikel-N.xml`, `/sitemap/kanal.xml` and `/sitemap/berita.xml` (Google News).
async fn sitemap_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let site = state.site();
    let base = site.base_url.clone();
    let absolute = |e: &SitemapEntry| format!("{base}{}", e.path);
    let body = match file.as_str() {
        "berita.xml" => {
            let since = now - Duration::hours(NEWS_HOURS);
            let entries = articles::sitemap_entries(
                &mut *state.conn().await?,
                now,
                Some(since),
                NEWS_URLS,
                0,
            )
            .await?;
            NewsSitemap {
                name: site.name.clone(),
                language: site.language.tag(),
                urls: entries
                    .iter()
                    .map(|e| (absolute(e), e.published_at.to_rfc3339(), e.headline.clone()))
                    .collect(),
            }
            .render()?
        }
        "kanal.xml" => {
            let pages = page_changes(&mut *state.conn().await?, now, SITEMAP_URLS as u32).await?;
            let stamp = pages.newest_article.unwrap_or(now).to_rfc3339();
            let mut urls = vec![(format!("{base}/"), stamp.clone())];
            urls.extend(
                state
                    .nav()
                    .iter()
                    .map(|s| (format!("{base}{}", section_href(&s.slug)), stamp.clone())),
            );
            // Running stories and videos: pages of their own, not articles.
            for story in &pages.stories {
                urls.push((
                    format!("{base}{}", story.path()),
                    at(story.modified_at).to_rfc3339(),
                ));
            }
            if let Some(newest) = pages.videos.first() {
                urls.push((
                    format!("{base}/video"),
                    at(newest.published_at).to_rfc3339(),
                ));
            }
            for video in &pages.videos {
                urls.push((
                    format!("{base}{}", video.path()),
                    at(video.published_at).to_rfc3339(),
                ));
            }
            Urlset { urls }.render()?
        }
        other => {
            let n: i64 = other
                .strip_prefix("artikel-")
                .and_then(|rest| rest.strip_suffix(".xml"))
                .and_then(|n| n.parse().ok())
                .filter(|n| (1..=100_000).contains(n))
                .ok_or(AppError::NotFound)?;
            let entries = articles::sitemap_entries(
                &mut *state.conn().await?,
                now,
                None,
                SITEMAP_URLS,
                (n - 1) * SITEMAP_URLS,
            )
            .await?;
            if entries.is_empty() && n > 1 {
                return Err(AppError::NotFound);
            }
            Urlset {
                urls: entries
                    .iter()
                    .map(|e| (absolute(e), e.modified_at.to_rfc3339()))
                    .collect(),
            }
            .render()?
        }
    };
    Ok(xml(body, "application/xml; charset=utf-8"))
}

/// Everything public may be crawled; the newsroom, accounts, search results and the admin
/// API may not.
async fn robots(State(state): State<AppState>) -> Response {
    let base = state.site().base_url.clone();
    let body = format!(
        "User-agent: *\nDisallow: /redaksi\nDisallow: /akun\nDisallow: /masuk\nDisallow: /daftar\n\
         Disallow: /cari\nDisallow: /api/v1/admin\nDisallow: /langsung\n\
         Disallow: /buletin/konfirmasi\nDisallow: /buletin/kelola\nDisallow: /buletin/berhenti\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
    );
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
