//! "Most read" lists kept between page views. Summing a week of hourly view counts is the
//! costliest read of the home and section pages (34 ms with 1,000 articles read every hour),
//! and the counts only change when views are written, once a flush interval; every page
//! rendered meanwhile would sum the same rows again.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use chrono::Utc;
use warta_core::article::ArticleSummary;
use warta_store::{StoreError, articles};

use crate::AppState;

/// The longest a list is kept: its window slides even while nothing is written.
const KEPT_FOR: Duration = Duration::from_secs(60);

/// Lists kept at most (one per section and window).
const KEPT_LISTS: usize = 1_000;

#[derive(Debug, Default)]
pub struct MostRead {
    lists: Mutex<HashMap<Key, Kept>>,
    /// One reader per list: when the data changes under load, the requests that find their
    /// list gone wait for the one that reads it instead of all summing the same rows, and
    /// other lists' requests do not wait for it.
    reading: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    section: Option<String>,
    hours: i64,
    limit: u32,
}

#[derive(Debug)]
struct Kept {
    /// The data's generation when it was read ([`AppState::generation`]).
    generation: u64,
    at: Instant,
    list: Arc<Vec<ArticleSummary>>,
}

impl MostRead {
    /// The `limit` most read articles of the last `hours`, site-wide or in one section, as
    /// kept since the data last changed, or read now.
    pub async fn get(
        &self,
        state: &AppState,
        section: Option<&str>,
        hours: i64,
        limit: u32,
    ) -> Result<Arc<Vec<ArticleSummary>>, StoreError> {
        let generation = state.generation();
        let key = Key {
            section: section.map(str::to_owned),
            hours,
            limit,
        };
        if let Some(list) = self.kept(&key, generation) {
            return Ok(list);
        }
        let reading = self
            .reading
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key.clone())
            .or_default()
            .clone();
        let _reading = reading.lock().await;
        // Read by the request this one waited for (under this generation or a later one)?
        let generation = state.generation();
        if let Some(list) = self.kept(&key, generation) {
            return Ok(list);
        }
        let now = Utc::now();
        // Through a pooled connection: read directly from an SQLite file, the sum would hold
        // up the other requests on this thread.
        let mut conn = state.store.pool().acquire().await?;
        let since = now - chrono::Duration::hours(hours);
        let list = Arc::new(articles::most_read(&mut conn, since, section, now, limit).await?);
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        if lists.len() >= KEPT_LISTS {
            lists.clear();
            self.reading
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
        }
        lists.insert(
            key,
            Kept {
                generation,
                at: Instant::now(),
                list: list.clone(),
            },
        );
        Ok(list)
    }

    /// The list kept for `key`, if it was read under `generation` (or a later one: they only
    /// grow) less than [`KEPT_FOR`] ago.
    fn kept(&self, key: &Key, generation: u64) -> Option<Arc<Vec<ArticleSummary>>> {
        self.lists
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .filter(|kept| kept.generation >= generation && kept.at.elapsed() < KEPT_FOR)
            .map(|kept| kept.list.clone())
    }
}
