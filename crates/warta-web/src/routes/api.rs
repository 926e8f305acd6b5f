//! The JSON read API: `/api/v1/articles` and `/api/v1/articles/{id-or-slug}`.

use axum::{
    Json, Router,
    extract::{Path, RawQuery, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::Utc;
use warta_core::import::record::ArticleList;
use warta_store::articles::{self, Cursor, Filter, Start};

use crate::query::QueryParams;
use crate::{AppError, AppState, error::ApiError, views};

const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles", get(list))
        .route("/api/v1/articles/{key}", get(one))
        .route(
            "/api/{*rest}",
            get(|| async { ApiError(AppError::NotFound) }),
        )
}

fn json<T: serde::Serialize>(value: &T) -> Response {
    let mut response = Json(value).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}

/// `?section=&tag=&author=&limit=` and `page=` or `cursor=`; at most one filter. `next` is
/// the cursor after the page's last article: walking a whole archive costs the same at any
/// depth, where numbered pages read every article before theirs.
async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = QueryParams::parse(query.as_deref())?;
    params.only(&["section", "tag", "author", "limit", "page", "cursor"])?;
    let start = match params.get("cursor") {
        None | Some("") => None,
        Some(_) if params.get("page").is_some() => {
            return Err(AppError::BadRequest("use page or cursor, not both".into()).into());
        }
        Some(text) => Some(text.parse::<Cursor>().map_err(|()| {
            AppError::BadRequest(format!(
                "parameter \"cursor\" must be a `next` link's cursor, such as 1732681200_123, got {text:?}"
            ))
        })?),
    };
    let page = params.page()?;
    let limit = params.number("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)?;
    let filters = [
        ("section", params.slug("section")?),
        ("tag", params.slug("tag")?),
        ("author", params.slug("author")?),
    ];
    let given: Vec<_> = filters.iter().filter(|(_, v)| v.is_some()).collect();
    if given.len() > 1 {
        return Err(
            AppError::BadRequest("use at most one of section, tag and author".into()).into(),
        );
    }
    let (filter, filter_param) = match given.first() {
        Some(("section", Some(slug))) => (Filter::Section(slug), format!("&section={slug}")),
        Some(("tag", Some(slug))) => (Filter::Tag(slug), format!("&tag={slug}")),
        Some((_, Some(slug))) => (Filter::Author(slug), format!("&author={slug}")),
        _ => (Filter::All, String::new()),
    };
    let now = Utc::now();
    // Read from the store: on an SQLite file, on this thread.
    let store = &state.store;
    let start = match start {
        Some(cursor) => Start::After(cursor),
        None => Start::Skip((page - 1) * limit),
    };
    let mut summaries = articles::list(store, filter, now, limit + 1, start).await?;
    let has_next = summaries.len() > limit as usize;
    summaries.truncate(limit as usize);
    let ids: Vec<i64> = summaries.iter().map(|s| s.id).collect();
    let items = articles::published_by_ids(store, &ids, now).await?;
    let next = summaries.last().filter(|_| has_next).map(|last| {
        format!(
            "/api/v1/articles?cursor={}&limit={limit}{filter_param}",
            Cursor::of(last)
        )
    });
    let items = with_stories(store, &items, state.site().zone).await?;
    Ok(json(&ArticleList { items, next }))
}

/// The articles' public records, each with the story or series it belongs to.
async fn with_stories(
    store: &warta_store::Store,
    articles: &[warta_core::article::Article],
    zone: warta_core::Zone,
) -> Result<Vec<warta_core::import::record::ArticleRecord>, AppError> {
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let stories = warta_store::stories::of_articles(store, &ids).await?;
    Ok(articles
        .iter()
        .map(|article| {
            let mut record = views::public_record(article);
            record.story = stories
                .iter()
                .find(|(id, _)| *id == article.id)
                .map(|(_, story)| views::story_record(story, article, zone));
            record
        })
        .collect())
}

/// One article by numeric id or slug. A number is an id when written as one (`38`, not
/// `038`); a slug that is all digits (`2026`) is still found when no article has that id.
async fn one(State(state): State<AppState>, Path(key): Path<String>) -> Result<Response, ApiError> {
    let now = Utc::now();
    let store = &state.store;
    if !warta_core::slug::is_slug(&key) {
        return Err(AppError::BadRequest(format!(
            "expected a numeric id or a slug (lower-case letters, digits, hyphens), got {key:?}"
        ))
        .into());
    }
    let by_id = match key.parse::<i64>() {
        Ok(id) if id.to_string() == key => {
            articles::published_by_ids(store, &[id], now).await?.pop()
        }
        _ => None,
    };
    let article = match by_id {
        Some(article) => Some(article),
        None => articles::published_page_in(store, &key, now)
            .await?
            .map(|page| page.article),
    };
    match article {
        Some(article) => {
            let zone = state.site().zone;
            let mut records = with_stories(store, std::slice::from_ref(&article), zone).await?;
            Ok(json(&records.remove(0)))
        }
        None => {
            // A renamed article's old slug answers with the new address, as its page does.
            let mut conn = state.conn().await?;
            match articles::path_for_old_slug(&mut conn, &key, chrono::Utc::now()).await? {
                Some(path) => {
                    let slug = path.rsplit('/').next().unwrap_or_default();
                    Ok(Redirect::permanent(&format!("/api/v1/articles/{slug}")).into_response())
                }
                None => Err(AppError::NotFound.into()),
            }
        }
    }
}
