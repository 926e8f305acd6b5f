//! `/cari` (the search page) and `/api/v1/search` (the same as JSON): one reading of the
//! parameters, one search, two renderings. Bad queries get a message, never a 500.

use askama::Template;
use axum::{
    Json, Router,
    extract::{RawQuery, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use warta_core::{Zone, i18n::Catalog};
use warta_search::{Found, QueryError, Search, Sort, check_query};

use crate::{
    AppError, AppState,
    error::ApiError,
    pages::{Chrome, Meta},
    query::QueryParams,
    session::Viewer,
    views::{Moment, Pager},
};

const PER_PAGE: u32 = 10;
const MAX_LIMIT: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cari", get(page))
        .route("/api/v1/search", get(api))
}

/// The parameters of a search, read from either spelling (`/cari` speaks Indonesian).
struct Asked {
    text: String,
    section: Option<String>,
    author: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    sort: Sort,
    page: u32,
    limit: u32,
}

/// Parameter names of the page and of the API.
struct Names {
    section: &'static str,
    author: &'static str,
    from: &'static str,
    to: &'static str,
    sort: &'static str,
    newest: &'static str,
    relevance: &'static str,
}

const PAGE_NAMES: Names = Names {
    section: "kanal",
    author: "penulis",
    from: "dari",
    to: "sampai",
    sort: "urut",
    newest: "terbaru",
    relevance: "relevansi",
};

const API_NAMES: Names = Names {
    section: "section",
    author: "author",
    from: "from",
    to: "to",
    sort: "sort",
    newest: "newest",
    relevance: "relevance",
};

fn read(params: &QueryParams, names: &Names, limit: u32) -> Result<Asked, AppError> {
    let date = |key: &str| match params.get(key) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::BadParameter {
                id: format!("Parameter {key:?} harus tanggal seperti 2026-11-28, bukan {text:?}."),
                en: format!("parameter {key:?}: expected a date like 2026-11-28, got {text:?}"),
            }),
    };
    let sort = match params.get(names.sort) {
        None | Some("") => Sort::Relevance,
        Some(text) if text == names.newest => Sort::Newest,
        Some("relevansi" | "relevance") => Sort::Relevance,
        Some(text) => {
            return Err(AppError::BadParameter {
                id: format!(
                    "Parameter {:?} harus {:?} atau {:?}, bukan {text:?}.",
                    names.sort, names.newest, names.relevance
                ),
                en: format!(
                    "parameter {:?}: expected {} or {}, got {text:?}",
                    names.sort, names.newest, names.relevance
                ),
            });
        }
    };
    Ok(Asked {
        text: params.get("q").unwrap_or_default().trim().to_owned(),
        section: params.slug(names.section)?.map(str::to_owned),
        author: params.slug(names.author)?.map(str::to_owned),
        from: date(names.from)?,
        to: date(names.to)?,
        sort,
        page: params.page()?,
        limit,
    })
}

/// The start of `day` in `zone`, as Unix seconds.
fn day_start(day: NaiveDate, zone: Zone) -> Option<i64> {
    zone.offset()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|at| at.timestamp())
}

/// Runs the search in a blocking thread (tantivy does I/O and CPU work).
async fn run(state: &AppState, asked: &Asked) -> Result<Found, AppError> {
    let zone = state.site().zone;
    let from = asked.from.and_then(|d| day_start(d, zone));
    let until = asked
        .to
        .and_then(|d| d.succ_opt())
        .and_then(|d| day_start(d, zone));
    let index = state.search.clone();
    let text = asked.text.clone();
    let section = asked.section.clone();
    let author = asked.author.clone();
    let (sort, limit) = (asked.sort, asked.limit as usize);
    let offset = (asked.page.saturating_sub(1) * asked.limit) as usize;
    tokio::task::spawn_blocking(move || {
        index.search(&Search {
            text: &text,
            section: section.as_deref(),
            author: author.as_deref(),
            from,
            until,
            sort,
            offset,
            limit,
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))
}

fn message(t: &Catalog, error: &QueryError) -> &'static str {
    match error {
        QueryError::Empty => t.err_query_empty,
        QueryError::TooLong => t.err_query_long,
        QueryError::UnbalancedQuotes => t.err_query_quotes,
        QueryError::OnlyStopWords => t.err_query_common,
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    meta: Meta,
    /// "Hasil pencarian “banjir”", or the page's name before anything is searched.
    heading: String,
    query: String,
    from: String,
    to: String,
    newest: bool,
    /// Any filter or order chosen: the filters stay open.
    filtered: bool,
    /// (slug, name, chosen)
    sections: Vec<(String, String, bool)>,
    authors: Vec<(String, String, bool)>,
    error: Option<&'static str>,
    count: Option<String>,
    hits: Vec<HitView>,
    suggestion: Option<(String, String)>,
    pager: Option<Pager>,
}

struct HitView {
    headline_html: String,
    snippet_html: String,
    href: String,
    section: Option<(String, String)>,
    published: Moment,
}

fn moment(published_at: i64, zone: Zone) -> Moment {
    Moment::new(
        DateTime::<Utc>::from_timestamp(published_at, 0).unwrap_or_default(),
        zone,
    )
}

/// `/cari?q=&kanal=&penulis=&dari=&sampai=&urut=terbaru&page=`
async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params = QueryParams::parse(raw.as_deref())?;
    let asked = read(&params, &PAGE_NAMES, PER_PAGE)?;
    let t = state.site().language.catalog();
    let heading = if asked.text.is_empty() {
        t.search_title.to_owned()
    } else {
        format!("{} “{}”", t.search_results_for, asked.text)
    };
    let mut page = SearchPage {
        chrome: Chrome::new(&state, &viewer, None).with_forms(),
        meta: Meta {
            title: format!("{heading} - {}", state.site().name),
            og_title: heading.clone(),
            og_type: "website",
            robots: Some("noindex"),
            ..Meta::default()
        },
        heading,
        query: asked.text.clone(),
        from: asked.from.map(|d| d.to_string()).unwrap_or_default(),
        to: asked.to.map(|d| d.to_string()).unwrap_or_default(),
        newest: asked.sort == Sort::Newest,
        filtered: asked.sort == Sort::Newest
            || asked.section.is_some()
            || asked.author.is_some()
            || asked.from.is_some()
            || asked.to.is_some(),
        sections: state
            .nav()
            .iter()
            .map(|s| {
                let chosen = asked.section.as_deref() == Some(s.slug.as_str());
                (s.slug.clone(), s.name.clone(), chosen)
            })
            .collect(),
        authors: warta_store::taxonomy::people(&mut *state.conn().await?)
            .await?
            .into_iter()
            .map(|p| {
                let chosen = asked.author.as_deref() == Some(p.slug.as_str());
                (p.slug, p.name, chosen)
            })
            .collect(),
        error: None,
        count: None,
        hits: Vec::new(),
        suggestion: None,
        pager: None,
    };
    // An empty box is the search form itself, not an error.
    let status = match check_query(&asked.text) {
        Err(QueryError::Empty) if raw.as_deref().unwrap_or_default().is_empty() => StatusCode::OK,
        Err(error) => {
            page.error = Some(message(t, &error));
            StatusCode::BAD_REQUEST
        }
        Ok(()) => {
            let found = run(&state, &asked).await?;
            // Past the last page, like every other list.
            if asked.page > 1 && found.hits.is_empty() {
                return Err(AppError::NotFound);
            }
            page.count = Some(t.search_count(found.total));
            page.suggestion = found.suggestion.map(|s| {
                let href = search_url(&params, Some(&s));
                (s, href)
            });
            page.hits = found
                .hits
                .into_iter()
                .map(|hit| HitView {
                    // The site's zone, the one the date filter counts days in.
                    published: moment(hit.published_at, state.site().zone),
                    headline_html: hit.headline_html,
                    snippet_html: hit.snippet_html,
                    href: hit.path,
                    section: hit.section,
                })
                .collect();
            let shown = (asked.page * asked.limit) as usize;
            page.pager = Some(Pager::new(
                &search_url(&params, None),
                asked.page,
                found.total > shown,
            ));
            StatusCode::OK
        }
    };
    // Results change with every article; the page cache keeps only pages everyone shares.
    let mut response = (status, page.render()?).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

fn percent(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// This search's URL without its page (for the pager), or with another query `q` and the same
/// filters (for "Maksud Anda").
fn search_url(params: &QueryParams, q: Option<&str>) -> String {
    let kept: Vec<String> = ["q", "kanal", "penulis", "dari", "sampai", "urut"]
        .iter()
        .filter_map(|key| {
            let value = match (*key, q) {
                ("q", Some(q)) => Some(q),
                _ => params.get(key),
            };
            value
                .filter(|v| !v.is_empty())
                .map(|v| format!("{key}={}", percent(v)))
        })
        .collect();
    format!("/cari?{}", kept.join("&"))
}

#[derive(Serialize)]
struct ApiResults {
    query: String,
    total: usize,
    page: u32,
    items: Vec<ApiHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
}

#[derive(Serialize)]
struct ApiHit {
    id: i64,
    url: String,
    headline_html: String,
    snippet_html: String,
    published_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
}

/// `/api/v1/search?q=&section=&author=&from=&to=&sort=newest&page=&limit=`
async fn api(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let params = QueryParams::parse(raw.as_deref())?;
    params.only(&[
        "q", "section", "author", "from", "to", "sort", "page", "limit",
    ])?;
    let limit = params.number("limit", 1, MAX_LIMIT, PER_PAGE)?;
    let asked = read(&params, &API_NAMES, limit)?;
    if let Err(error) = check_query(&asked.text) {
        return Err(AppError::BadRequest(format!("parameter \"q\": {error}")).into());
    }
    let found = run(&state, &asked).await?;
    let results = ApiResults {
        query: asked.text,
        total: found.total,
        page: asked.page,
        suggestion: found.suggestion,
        items: found
            .hits
            .into_iter()
            .map(|hit| ApiHit {
                id: hit.id,
                url: hit.path.clone(),
                // As the articles API: with the article's own offset.
                published_at: moment(hit.published_at, Zone::parse(&hit.zone).unwrap_or_default())
                    .machine,
                headline_html: hit.headline_html,
                snippet_html: hit.snippet_html,
                section: hit.section.map(|(name, _)| name),
            })
            .collect(),
    };
    let mut response = Json(results).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
