//! Counting page views without slowing pages: each article view (from a reader, not a crawler)
//! adds one to a counter in memory; every `views_flush_seconds` the counts go to the store in
//! one transaction, per article and hour, and "most read" lists read them from there.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use chrono::Utc;
use warta_store::articles;

use crate::AppState;

/// View counts since the last flush, by article slug.
#[derive(Debug, Default)]
pub struct Readership {
    counts: Mutex<HashMap<String, i64>>,
}

impl Readership {
    /// One reader's view of the article page at `path` (`/read/YYYY/MM/DD/slug`).
    pub fn viewed(&self, path: &str) {
        let mut parts = path.trim_start_matches('/').split('/');
        let (Some("read"), Some(_), Some(_), Some(_), Some(slug), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return;
        };
        if let Ok(mut counts) = self.counts.lock() {
            // Bounded even under a flood of made-up slugs.
            if let Some(count) = counts.get_mut(slug) {
                *count += 1;
            } else if counts.len() < 100_000 {
                counts.insert(slug.to_owned(), 1);
            }
        }
    }

    fn take(&self) -> Vec<(String, i64)> {
        self.counts
            .lock()
            .map(|mut counts| std::mem::take(&mut *counts).into_iter().collect())
            .unwrap_or_default()
    }
}

/// Writes the counts to the store every `every`, until the server stops.
pub fn spawn_flusher(state: &AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            flush(&state).await;
            crate::ads::flush(&state).await;
        }
    })
}

/// One flush; failed counts are dropped with a warning (views are statistics, not records).
pub async fn flush(state: &AppState) {
    let counts = state.readership.take();
    if counts.is_empty() {
        return;
    }
    let hour = Utc::now().timestamp() / 3600;
    let result = async {
        let mut tx = state.begin().await?;
        articles::add_views(&mut tx, &counts, hour).await?;
        tx.commit().await?;
        Ok::<_, crate::AppError>(())
    }
    .await;
    if let Err(error) = result {
        tracing::warn!(%error, articles = counts.len(), "page views not saved");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_article_pages_count() {
        let readership = Readership::default();
        readership.viewed("/read/2026/11/20/banjir-surut");
        readership.viewed("/read/2026/11/20/banjir-surut");
        readership.viewed("/kanal/regional");
        readership.viewed("/read/2026/11/20/banjir-surut/extra");
        assert_eq!(readership.take(), [("banjir-surut".to_owned(), 2)]);
        assert!(readership.take().is_empty());
    }
}
