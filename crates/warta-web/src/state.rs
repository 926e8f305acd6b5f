//! Shared application state.

use std::{
    sync::{Arc, RwLock},
    time::Duration,
};

use warta_core::article::Named;
use warta_store::{Store, articles, changes};

use crate::{Site, cache::PageCache};

/// How often the server checks whether another process changed the data. Pages may lag a
/// write by at most this long (plus the check itself).
const CHANGE_POLL: Duration = Duration::from_millis(200);

/// Everything handlers share.
#[derive(Debug)]
pub struct App {
    pub store: Store,
    pub site: Site,
    pub cache: PageCache,
    /// Sections for the navigation bar, reloaded when the data changes so pages need no query
    /// for it.
    nav: RwLock<Arc<Vec<Named>>>,
}

/// Cheap-to-clone handle handed to every handler.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

impl AppState {
    /// Builds the state and loads what pages keep in memory.
    pub async fn new(store: Store, site: Site) -> Result<AppState, warta_store::StoreError> {
        let cache = PageCache::new(site.page_cache_bytes);
        let state = AppState(Arc::new(App {
            store,
            site,
            cache,
            nav: RwLock::new(Arc::new(Vec::new())),
        }));
        state.refresh().await?;
        Ok(state)
    }

    /// The navigation sections.
    pub fn nav(&self) -> Arc<Vec<Named>> {
        self.nav.read().map(|nav| nav.clone()).unwrap_or_default()
    }

    /// Reloads in-memory data and forgets cached pages.
    async fn refresh(&self) -> Result<(), warta_store::StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        let sections = articles::sections(&mut conn, chrono::Utc::now()).await?;
        if let Ok(mut nav) = self.nav.write() {
            *nav = Arc::new(sections);
        }
        self.cache.clear();
        Ok(())
    }

    /// Watches the change counter and refreshes when any process has written.
    pub fn spawn_change_watcher(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut seen: Option<i64> = None;
            let mut ticker = tokio::time::interval(CHANGE_POLL);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                let version = match state.store.pool().acquire().await {
                    Ok(mut conn) => changes::version(&mut conn).await,
                    Err(error) => Err(error.into()),
                };
                match version {
                    Ok(version) if seen != Some(version) => {
                        if seen.is_some() {
                            if let Err(error) = state.refresh().await {
                                tracing::error!(%error, "refreshing after a data change failed");
                                continue;
                            }
                            tracing::debug!(version, "data changed; page cache cleared");
                        }
                        seen = Some(version);
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "checking for data changes failed"),
                }
            }
        })
    }
}
