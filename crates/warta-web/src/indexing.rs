//! Keeping the search index in step with the store: compare what is published with what is
//! indexed, fetch what is new or changed, drop what is gone, commit. The same code runs after
//! every change a node notices and for `warta reindex`.

use std::{sync::Arc, time::Instant};

use chrono::Utc;
use warta_search::{Indexed, SearchError, SearchIndex};
use warta_store::{Store, StoreError, articles};

/// Articles fetched and indexed per round; bounds memory during a full rebuild.
const BATCH: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("indexing task failed: {0}")]
    Task(String),
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Synced {
    pub indexed: usize,
    pub deleted: usize,
    pub millis: u128,
}

/// Brings `index` up to date with `store`, calling `progress(done, total)` after each batch.
pub async fn sync(
    store: &Store,
    index: &Arc<SearchIndex>,
    progress: impl Fn(usize, usize),
) -> Result<Synced, SyncError> {
    if !index.writes() {
        return Ok(Synced::default());
    }
    let started = Instant::now();
    let mut conn = store.pool().acquire().await.map_err(StoreError::from)?;
    let live = articles::index_state(&mut conn, Utc::now()).await?;
    let plan = index.plan(&live);
    if plan.fetch.is_empty() && plan.delete.is_empty() {
        return Ok(Synced::default());
    }
    let changed: std::collections::HashMap<i64, i64> = live.into_iter().collect();
    let total = plan.fetch.len();
    let mut done = 0;
    for ids in plan.fetch.chunks(BATCH) {
        let fetched = articles::published_by_ids(&mut conn, ids, Utc::now()).await?;
        let index = index.clone();
        let changed = ids
            .iter()
            .map(|id| (*id, changed.get(id).copied().unwrap_or_default()))
            .collect::<std::collections::HashMap<_, _>>();
        tokio::task::spawn_blocking(move || {
            let batch: Vec<Indexed<'_>> = fetched
                .iter()
                .map(|article| Indexed {
                    article,
                    modified_at: changed.get(&article.id).copied().unwrap_or_default(),
                })
                .collect();
            index.put(&batch)
        })
        .await
        .map_err(|e| SyncError::Task(e.to_string()))??;
        done += ids.len();
        progress(done, total);
    }
    drop(conn);
    let deleted = plan.delete.len();
    let index = index.clone();
    tokio::task::spawn_blocking(move || {
        index.delete(&plan.delete)?;
        index.commit()
    })
    .await
    .map_err(|e| SyncError::Task(e.to_string()))??;
    Ok(Synced {
        indexed: total,
        deleted,
        millis: started.elapsed().as_millis(),
    })
}
