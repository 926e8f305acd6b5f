//! The reader site: home, article pages, section/tag/author lists.

use axum::{
    Router,
    extract::{Path, RawQuery, State},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::Utc;
use warta_core::body::truncate_words;
use warta_store::{
    articles::{self, Filter, NamedKind, Start},
    taxonomy,
};

use crate::ads;
use crate::query::QueryParams;
use crate::routes::comments;
use crate::{
    AppError, AppState,
    pages::{
        self, ArticlePage, Chrome, HomePage, ListPage, Meta, Popular, SectionBlock, StoryLine,
    },
    session::Viewer,
    views::{ArticleView, Card, Link, Pager, author_href, section_href, tag_href},
};
use warta_core::ads::Slot;

/// Articles per list page.
const PER_PAGE: u32 = 20;
/// Articles in the home page's "latest" block, after the lead story.
const HOME_LATEST: u32 = 9;
/// Articles per section block on the home page.
const HOME_PER_SECTION: u32 = 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/read/{year}/{month}/{day}/{slug}", get(article))
        .route("/kanal/{slug}", get(section))
        .route("/tag/{slug}", get(tag))
        .route("/penulis/{slug}", get(author))
}

/// No route: a 404, except for an address with a trailing slash (`/kanal/sains/`, as people
/// and some link checkers write it), which goes to the address without it.
pub async fn not_found(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let path = uri.path();
    let trimmed = path.trim_end_matches('/');
    let reading = method == axum::http::Method::GET || method == axum::http::Method::HEAD;
    // Never to "//host" or "/\host": a browser reads those as another site.
    let local = trimmed.starts_with('/') && !trimmed[1..].starts_with(['/', '\\']);
    if reading && trimmed.len() < path.len() && local {
        return match uri.query() {
            Some(query) => Redirect::permanent(&format!("{trimmed}?{query}")).into_response(),
            None => Redirect::permanent(trimmed).into_response(),
        };
    }
    AppError::NotFound.into_response()
}

async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let now = Utc::now();
    // Read from the store, not a held connection: on an SQLite file that is on this thread.
    let store = &state.store;
    let chosen = articles::lead(store, now).await?;
    let latest = articles::list(store, Filter::All, now, HOME_LATEST + 2, Start::Skip(0)).await?;
    let per_section = articles::latest_per_section(store, now, HOME_PER_SECTION).await?;
    let popular = popular(&state, None).await?;
    let stories = warta_store::stories::with_articles(store, now, HOME_STORIES).await?;
    let zone = state.site().zone;

    let mut sections: Vec<SectionBlock> = Vec::new();
    for summary in &per_section {
        let Some(section) = &summary.section else {
            continue;
        };
        match sections.last_mut() {
            Some(block) if block.slug == section.slug => block.cards.push(Card::new(summary, zone)),
            _ => sections.push(SectionBlock {
                name: section.name.clone(),
                slug: section.slug.clone(),
                href: section_href(&section.slug),
                cards: vec![Card::new(summary, zone)],
            }),
        }
    }
    // The editors' chosen lead story, else the newest; the latest list never repeats it.
    let lead_summary = chosen.or_else(|| latest.first().cloned());
    let cards = latest
        .iter()
        .filter(|s| Some(s.id) != lead_summary.as_ref().map(|l| l.id))
        .take(HOME_LATEST as usize)
        .map(|s| Card::new(s, zone));
    let lead = lead_summary.as_ref().map(|s| Card::new(s, zone));
    let site = state.site();
    let page = HomePage {
        chrome: Chrome::new(&state, &viewer, None),
        meta: Meta {
            title: site.name.clone(),
            og_title: site.name.clone(),
            // The newsroom's own line when it wrote one; the lead story otherwise.
            description: if site.tagline.is_empty() {
                lead.as_ref()
                    .map(|l| truncate_words(&format!("{}: {}", l.headline, l.summary), 160))
                    .unwrap_or_default()
            } else {
                site.tagline.clone()
            },
            canonical: format!("{}/", site.base_url),
            og_type: "website",
            ..Meta::default()
        },
        lead,
        latest: cards.collect(),
        sections,
        popular,
        stories: stories
            .iter()
            .map(|s| Link {
                name: s.title.clone(),
                href: s.path(),
            })
            .collect(),
    };
    pages::public(&page)
}

async fn article(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((year, month, day, slug)): Path<(String, String, String, String)>,
    RawQuery(query): RawQuery,
    headers: axum::http::HeaderMap,
    metered: Option<axum::Extension<crate::cache::MeterExceeded>>,
) -> Result<Response, AppError> {
    let params = QueryParams::parse(query.as_deref())?;
    // `?komentar=N` pages the comments; two words report what just happened to one.
    let (comment_page, comment_notice) = match params.get("komentar") {
        Some("menunggu") => (1, Some(state.site().language.catalog().comment_waiting)),
        Some("dilaporkan") => (1, Some(state.site().language.catalog().comment_reported)),
        _ => (i64::from(params.number("komentar", 1, 1000, 1)?), None),
    };
    // Redirects keep the query (a campaign's tags, the comment page).
    let moved = |path: &str| match query.as_deref() {
        Some(q) if !q.is_empty() => Redirect::permanent(&format!("{path}?{q}")).into_response(),
        _ => Redirect::permanent(path).into_response(),
    };
    let Some(found) = articles::published_page_in(&state.store, &slug, Utc::now()).await? else {
        let mut conn = state.conn().await?;
        return match articles::path_for_old_slug(&mut conn, &slug, Utc::now()).await? {
            Some(path) => Ok(moved(&path)),
            None => Err(AppError::NotFound),
        };
    };
    let article = found.article;
    let path = article.path();
    if path != format!("/read/{year}/{month}/{day}/{slug}") {
        return Ok(moved(&path));
    }
    let mut view = ArticleView::new(&article, &state.site());
    // The story line and its newest articles, for an article in a story.
    let (story, same_story) = if found.in_story {
        let story = story_line(&state, &article).await?;
        let same_story = match &story {
            Some((_, slug)) => {
                articles::list(
                    &state.store,
                    Filter::Story(slug),
                    Utc::now(),
                    READ_ALSO as u32 + 1,
                    Start::Skip(0),
                )
                .await?
            }
            None => Vec::new(),
        };
        (story, same_story)
    } else {
        (None, Vec::new())
    };
    let c = comments::for_article(
        &state,
        &viewer,
        comments::Standing {
            article_id: article.id,
            visible: found.comments,
            open: found.comments_open,
        },
        &path,
        comment_page,
    )
    .await?;
    // No connection is held here: related articles may wait for a search.
    view.read_also = read_also(&state, &article, &same_story).await;
    let videos =
        crate::routes::video::recommended(&state, &article, story.as_ref().map(|(s, _)| s.id));
    let story = story.map(|(line, _)| line.line);
    // Members-only: members read it all; search crawlers too, inside the part the structured
    // data marks as paywalled; everyone else the first paragraph and an invitation.
    let crawler = warta_core::readership::search_crawler(
        headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
    );
    let meter_limit = metered.map(|axum::Extension(m)| m.0);
    let locked = (article.members_only || meter_limit.is_some()) && !viewer.member && !crawler;
    if locked {
        view.body_html = crate::views::teaser(&view.body_html);
    } else if article.members_only {
        view.body_html = format!("<div class=\"paywall\">{}</div>", view.body_html);
    }
    let meta = Meta {
        title: format!("{} - {}", view.seo_title, state.site().name),
        og_title: view.seo_title.clone(),
        description: view.seo_description.clone(),
        canonical: view.canonical.clone(),
        og_type: "article",
        published_time: Some(view.published.machine.clone()),
        modified_time: view.updated.as_ref().map(|u| u.machine.clone()),
        section: view.section.as_ref().map(|s| s.name.clone()),
        tags: view.tags.iter().map(|t| t.name.clone()).collect(),
        json_ld: Some(view.json_ld.clone()),
        robots: None,
        image: view.image_url.clone(),
        feed: None,
    };
    let current = article.section.as_ref().map(|s| s.slug.as_str());
    let members_only_plan = locked.then(|| {
        state
            .offer()
            .unwrap_or_else(|| format!("{}+", state.site().name))
    });
    let section = article.section.as_ref().map(|s| s.slug.as_str());
    if let Some(ad) = ads::pick(&state, &viewer, Slot::InArticle, section) {
        view.body_html = after_paragraph(&view.body_html, IN_ARTICLE_AFTER, &ad.html());
    }
    let ad_side = ads::pick(&state, &viewer, Slot::Sidebar, section);
    let unlocked_for_crawler = article.members_only && crawler && !viewer.member;
    let mut response = pages::public(&ArticlePage {
        chrome: Chrome::new(&state, &viewer, current),
        meta,
        a: view,
        c,
        comment_notice,
        ad_side,
        members_only_plan,
        meter_limit,
        story,
        videos,
    })?;
    if meter_limit.is_some() {
        // Rendered for this reader alone.
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("private, no-store"),
        );
    }
    if unlocked_for_crawler {
        // The full text of a members-only article: no shared cache (a CDN) may keep it.
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}

/// The in-article ad follows this paragraph.
const IN_ARTICLE_AFTER: usize = 3;

/// `body` with `insert` after its `n`th paragraph (at the end when it has fewer).
fn after_paragraph(body: &str, n: usize, insert: &str) -> String {
    let mut at = 0;
    for _ in 0..n {
        match body[at..].find("</p>") {
            Some(end) => at += end + "</p>".len(),
            None => return format!("{body}{insert}"),
        }
    }
    format!("{}{insert}{}", &body[..at], &body[at..])
}

/// How many articles each "Terpopuler" list shows.
const POPULAR: u32 = 5;

/// The most read of the last 24 hours and 7 days, site-wide or in one section.
async fn popular(state: &AppState, section: Option<&str>) -> Result<Popular, AppError> {
    let zone = state.site().zone;
    let list = |rows: &[warta_core::article::ArticleSummary]| {
        rows.iter().map(|s| Card::new(s, zone)).collect()
    };
    let day = state.most_read.get(state, section, 24, POPULAR).await?;
    let week = state.most_read.get(state, section, 24 * 7, POPULAR).await?;
    Ok(Popular {
        day: list(&day),
        week: list(&week),
    })
}

/// Running stories the home page links, the most recently updated first.
const HOME_STORIES: i64 = 5;

/// How many automatic suggestions follow an article.
const READ_ALSO: usize = 4;

/// The story line with the story's id, and the story's slug.
struct StoryFound {
    id: i64,
    line: StoryLine,
}

/// The running story or series of an article: its name and, for a series, the instalment's
/// number and its neighbours.
async fn story_line(
    state: &AppState,
    article: &warta_core::article::Article,
) -> Result<Option<(StoryFound, String)>, AppError> {
    let Some(story) = warta_store::stories::of_article(&state.store, article.id).await? else {
        return Ok(None);
    };
    let zone = state.site().zone;
    let start = story.start();
    let numbered = |at: chrono::DateTime<Utc>| {
        start
            .and_then(|start| warta_core::story::instalment(start, at, zone))
            .map(|n| warta_core::story::instalment_title(&story.instalment_label, n))
    };
    let (previous, next) = if start.is_some() {
        articles::story_neighbours(&state.store, article.id, Utc::now()).await?
    } else {
        (None, None)
    };
    let link = |a: warta_core::article::ArticleSummary| Link {
        name: match numbered(a.published_at)
            .and_then(|title| warta_core::story::instalment_label_for(title, &a.headline))
        {
            Some(label) => format!("{label}: {}", a.headline),
            None => a.headline.clone(),
        },
        href: a.path(),
    };
    let line = StoryLine {
        title: story.title.clone(),
        href: story.path(),
        series: start.is_some(),
        instalment: numbered(article.published_at),
        previous: previous.map(link),
        next: next.map(link),
    };
    Ok(Some((StoryFound { id: story.id, line }, story.slug)))
}

/// Suggestions for the block under the body, without those the editor already linked: the
/// newest of the same running story first, then related articles from the search index. A
/// failing index costs its part of the block, not the page.
async fn read_also(
    state: &AppState,
    article: &warta_core::article::Article,
    same_story: &[warta_core::article::ArticleSummary],
) -> Vec<Link> {
    let linked = |path: &str| {
        path == article.path()
            || article
                .related
                .iter()
                .any(|r| r.path.as_deref() == Some(path))
    };
    let mut links: Vec<Link> = same_story
        .iter()
        .filter(|a| !linked(&a.path()))
        .take(READ_ALSO)
        .map(|a| Link {
            name: a.headline.clone(),
            href: a.path(),
        })
        .collect();
    if links.len() < READ_ALSO {
        for hit in related(state, article).await {
            if links.len() >= READ_ALSO {
                break;
            }
            if !linked(&hit.href) && !links.iter().any(|l| l.href == hit.href) {
                links.push(hit);
            }
        }
    }
    links
}

/// Related articles from the search index (remembered per article).
async fn related(state: &AppState, article: &warta_core::article::Article) -> Vec<Link> {
    if !state.config.related_articles {
        return Vec::new();
    }
    let index = state.search.clone();
    let id = article.id;
    let computed = match index.related_cached(id) {
        Some(remembered) => Ok(Ok(remembered)),
        None => tokio::task::spawn_blocking(move || index.related(id)).await,
    };
    let related = match computed {
        Ok(Ok(related)) => related,
        Ok(Err(error)) => {
            tracing::warn!(%error, article = id, "related articles unavailable");
            return Vec::new();
        }
        Err(error) => {
            tracing::warn!(%error, article = id, "related articles task failed");
            return Vec::new();
        }
    };
    related
        .iter()
        .take(READ_ALSO * 2)
        .map(|hit| Link {
            name: hit.headline.clone(),
            href: hit.path.clone(),
        })
        .collect()
}

async fn section(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    list(state, viewer, NamedKind::Section, slug, query).await
}

async fn tag(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    list(state, viewer, NamedKind::Tag, slug, query).await
}

async fn author(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    list(state, viewer, NamedKind::Author, slug, query).await
}

/// A paged list of one section's, tag's or author's articles.
async fn list(
    state: AppState,
    viewer: Viewer,
    kind: NamedKind,
    slug: String,
    query: Option<String>,
) -> Result<Response, AppError> {
    let page = QueryParams::parse(query.as_deref())?.page()?;
    let store = &state.store;
    let Some(named) = articles::named_by_slug(store, kind, &slug).await? else {
        return Err(AppError::NotFound);
    };
    let filter = match kind {
        NamedKind::Section => Filter::Section(&slug),
        NamedKind::Tag => Filter::Tag(&slug),
        NamedKind::Author => Filter::Author(&slug),
    };
    let mut items = articles::list(
        store,
        filter,
        Utc::now(),
        PER_PAGE + 1,
        Start::Skip((page - 1) * PER_PAGE),
    )
    .await?;
    let (description, popular) = match kind {
        NamedKind::Section => (
            taxonomy::section_description(store, &slug).await?,
            popular(&state, Some(&slug)).await?,
        ),
        _ => (None, Popular::default()),
    };
    if items.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    let has_next = items.len() > PER_PAGE as usize;
    items.truncate(PER_PAGE as usize);

    let t = state.site().language.catalog();
    let (kind_label, href) = match kind {
        NamedKind::Section => (t.section_page_title, section_href(&slug)),
        NamedKind::Tag => (t.tag_page_title, tag_href(&slug)),
        NamedKind::Author => (t.authors_page_title, author_href(&slug)),
    };
    let pager = Pager::new(&href, page, has_next);
    let page_suffix = if page > 1 {
        format!(" - {} {page}", t.page)
    } else {
        String::new()
    };
    let canonical = format!(
        "{}{}",
        state.site().base_url,
        if page > 1 {
            format!("{href}?page={page}")
        } else {
            href.clone()
        }
    );
    let title = named.name.clone();
    let page_view = ListPage {
        chrome: Chrome::new(
            &state,
            &viewer,
            (kind == NamedKind::Section).then_some(slug.as_str()),
        ),
        meta: Meta {
            title: format!("{kind_label} {title}{page_suffix} - {}", state.site().name),
            og_title: format!("{kind_label} {title}"),
            description: description.clone().unwrap_or_else(|| {
                items
                    .first()
                    .map(|i| truncate_words(&format!("{kind_label} {title} — {}", i.headline), 160))
                    .unwrap_or_default()
            }),
            canonical,
            og_type: "website",
            feed: Some(format!("{href}/rss.xml")),
            ..Meta::default()
        },
        kind: kind_label.to_owned(),
        title,
        description,
        popular,
        ad: ads::pick(
            &state,
            &viewer,
            Slot::List,
            (kind == NamedKind::Section).then_some(slug.as_str()),
        ),
        items: items
            .iter()
            .map(|s| Card::new(s, state.site().zone))
            .collect(),
        pager,
    };
    pages::public(&page_view)
}
