//! Shared application state.

use std::{
    sync::{Arc, RwLock},
    time::Duration,
};

use warta_core::alert::Alert;
use warta_core::article::Named;
use warta_core::settings::SiteSettings;
use warta_search::{SearchError, SearchIndex};
use warta_store::{Store, alerts, articles, changes, settings};

use crate::{Site, cache::PageCache, cluster::Redis, mail::Mailer, rate_limit::RateLimiter};

/// How often the server checks whether another process changed the data. Pages may lag a
/// write by at most this long (plus the check itself).
const CHANGE_POLL: Duration = Duration::from_millis(200);

/// Everything handlers share.
#[derive(Debug)]
pub struct App {
    pub store: Store,
    /// The site as configured (file, environment, flags).
    pub config: Site,
    /// The site as configured with the admin's stored settings applied; see [`AppState::site`].
    site: RwLock<Arc<Site>>,
    pub cache: PageCache,
    pub limiter: RateLimiter,
    /// Sessions and rate limits shared by many nodes; none on a single machine.
    pub redis: Option<Redis>,
    /// The search index in the data dir, kept in step by the change watcher.
    pub search: Arc<SearchIndex>,
    /// One index sync at a time.
    indexing: tokio::sync::Mutex<()>,
    /// Running ad campaigns, reloaded with the data.
    campaigns: RwLock<Arc<Vec<warta_store::ads::Campaign>>>,
    /// The newest videos, from which every article page picks its recommendations; reloaded
    /// with the data so that an article render needs no query for them.
    videos: RwLock<Arc<Vec<warta_store::videos::Video>>>,
    /// Ad impressions and clicks since the last flush.
    pub ad_counts: crate::ads::AdCounts,
    /// The membership on offer (the cheapest plan's name), for the invitation on pages.
    offer: RwLock<Option<String>>,
    /// Page views counted since the last flush.
    pub readership: crate::readership::Readership,
    /// The breaking-news alert pages show now, reloaded with the data.
    alert: RwLock<Option<Arc<Alert>>>,
    /// Tells open pages (server-sent events) when the alert changes.
    alerts: tokio::sync::broadcast::Sender<Option<Arc<Alert>>>,
    pub mailer: Mailer,
    /// Ticks each time the data is reloaded, for live pages that look for what is new (a
    /// running story's timeline).
    refreshed: tokio::sync::watch::Sender<u64>,
    /// Sections for the navigation bar, reloaded when the data changes so pages need no query
    /// for it.
    nav: RwLock<Arc<Vec<Named>>>,
    /// "Most read" lists, kept until the data changes.
    pub most_read: crate::most_read::MostRead,
}

/// How many of the newest videos article pages choose their recommendations from.
pub const RECOMMENDABLE_VIDEOS: u32 = 200;

/// Cheap-to-clone handle handed to every handler.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// A setting the server cannot start with. The operator reads it in the log, in English, so
/// both of the error's languages carry the same words.
fn misconfigured(field: &'static str, message: String) -> warta_store::StoreError {
    warta_store::StoreError::Invalid(vec![warta_core::FieldError::new(
        field,
        message.clone(),
        message,
    )])
}

impl AppState {
    /// Builds the state and loads what pages keep in memory.
    pub async fn new(store: Store, site: Site) -> Result<AppState, warta_store::StoreError> {
        let cache = PageCache::new(site.page_cache_bytes);
        let mailer = Mailer::new(site.smtp_url.as_deref(), &site.mail_from, &site.data_dir)
            .map_err(|message| misconfigured("smtp_url", message))?;
        let redis = match &site.redis_url {
            Some(url) => Some(
                Redis::connect(url, &site.redis_prefix)
                    .await
                    .map_err(|message| misconfigured("redis_url", message))?,
            ),
            None => None,
        };
        let index_dir = site.data_dir.join("search");
        let search = match SearchIndex::open(&index_dir) {
            Err(SearchError::Locked) => {
                tracing::info!("another process writes the search index here; reading it only");
                read_only(&index_dir).await
            }
            other => other,
        }
        .map_err(|e| misconfigured("search", e.to_string()))?;
        let state = AppState(Arc::new(App {
            search: Arc::new(search),
            indexing: tokio::sync::Mutex::new(()),
            readership: crate::readership::Readership::default(),
            offer: RwLock::new(None),
            campaigns: RwLock::new(Arc::new(Vec::new())),
            videos: RwLock::new(Arc::new(Vec::new())),
            ad_counts: crate::ads::AdCounts::default(),
            alert: RwLock::new(None),
            alerts: tokio::sync::broadcast::channel(16).0,
            store,
            site: RwLock::new(Arc::new(site.clone())),
            config: site,
            cache,
            limiter: RateLimiter::new(redis.clone()),
            redis,
            mailer,
            refreshed: tokio::sync::watch::channel(0).0,
            nav: RwLock::new(Arc::new(Vec::new())),
            most_read: crate::most_read::MostRead::default(),
        }));
        state.refresh().await?;
        Ok(state)
    }

    /// A connection for a request's queries.
    pub async fn conn(&self) -> Result<warta_store::PoolConnection, crate::AppError> {
        Ok(self.store.pool().acquire().await?)
    }

    /// A transaction for a request's writes.
    pub async fn begin(&self) -> Result<warta_store::Transaction, crate::AppError> {
        Ok(self.store.begin().await?)
    }

    /// The site as pages show it: the configuration with the admin's settings applied.
    pub fn site(&self) -> Arc<Site> {
        self.site
            .read()
            .map(|site| site.clone())
            .unwrap_or_else(|_| Arc::new(self.config.clone()))
    }

    /// The running ad campaigns.
    pub fn campaigns(&self) -> Arc<Vec<warta_store::ads::Campaign>> {
        self.campaigns.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// The newest videos (at most [`RECOMMENDABLE_VIDEOS`]), for recommendations.
    pub fn videos(&self) -> Arc<Vec<warta_store::videos::Video>> {
        self.videos.read().map(|v| v.clone()).unwrap_or_default()
    }

    /// The name of the membership on offer, if any plan is for sale.
    pub fn offer(&self) -> Option<String> {
        self.offer.read().ok().and_then(|offer| offer.clone())
    }

    /// The live breaking-news alert.
    pub fn alert(&self) -> Option<Arc<Alert>> {
        self.alert.read().ok().and_then(|alert| alert.clone())
    }

    /// Alert changes as they happen, for server-sent events.
    pub fn alert_changes(&self) -> tokio::sync::broadcast::Receiver<Option<Arc<Alert>>> {
        self.alerts.subscribe()
    }

    /// Tells when the data was reloaded (by a write here or a change seen from elsewhere).
    pub fn data_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.refreshed.subscribe()
    }

    /// How many times the data has been reloaded: what was read under one generation is
    /// current until the next.
    pub fn generation(&self) -> u64 {
        *self.refreshed.borrow()
    }

    /// The navigation sections.
    pub fn nav(&self) -> Arc<Vec<Named>> {
        self.nav.read().map(|nav| nav.clone()).unwrap_or_default()
    }

    /// Reloads in-memory data and forgets cached pages.
    pub(crate) async fn refresh(&self) -> Result<(), warta_store::StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        let now = chrono::Utc::now();
        let sections = articles::sections(&mut conn, now).await?;
        let stored = settings::all(&mut conn).await?;
        let live = alerts::live(&mut conn, now).await?.map(Arc::new);
        let offer = warta_store::membership::plans(&mut conn, true)
            .await?
            .into_iter()
            .next()
            .map(|plan| plan.name);
        if let Ok(mut held) = self.offer.write() {
            *held = offer;
        }
        let campaigns = warta_store::ads::running(&mut conn, now).await?;
        if let Ok(mut held) = self.campaigns.write() {
            *held = Arc::new(campaigns);
        }
        let videos = warta_store::videos::latest(&mut conn, RECOMMENDABLE_VIDEOS, 0).await?;
        if let Ok(mut held) = self.videos.write() {
            *held = Arc::new(videos);
        }
        let changed = match self.alert.write() {
            Ok(mut held) => {
                let changed = *held != live;
                held.clone_from(&live);
                changed
            }
            Err(_) => false,
        };
        if changed {
            // No receivers (no open pages) is not an error.
            let _ = self.alerts.send(live);
        }
        if let Ok(mut nav) = self.nav.write() {
            *nav = Arc::new(sections);
        }
        let configured = SiteSettings {
            name: self.config.name.clone(),
            tagline: self.config.tagline.clone(),
            zone: self.config.zone,
            language: self.config.language,
        };
        let chosen = configured.with_stored(stored.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if let Ok(mut site) = self.site.write() {
            *site = Arc::new(Site {
                name: chosen.name,
                tagline: chosen.tagline,
                zone: chosen.zone,
                language: chosen.language,
                ..self.config.clone()
            });
        }
        // The generation first: a page rendered between the two must not be kept in the cache
        // with lists read under the old one.
        self.refreshed.send_modify(|n| *n += 1);
        self.cache.clear();
        Ok(())
    }

    /// Brings the search index up to date; pages that show search results or related articles
    /// are dropped from the cache when anything changed.
    pub async fn sync_search(&self) {
        let _one_at_a_time = self.indexing.lock().await;
        match crate::indexing::sync(&self.store, &self.search, |_, _| {}).await {
            Ok(synced) if synced.indexed + synced.deleted > 0 => {
                tracing::info!(
                    indexed = synced.indexed,
                    deleted = synced.deleted,
                    ms = synced.millis as u64,
                    "search index updated"
                );
                self.cache.clear();
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "updating the search index failed"),
        }
    }

    /// Watches the change counter and the clock: refreshes when any process has written, and
    /// when a scheduled article's time comes.
    pub fn spawn_change_watcher(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut seen: Option<i64> = None;
            let mut next_due: Option<chrono::DateTime<chrono::Utc>> = None;
            let mut ticker = tokio::time::interval(CHANGE_POLL);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                let first = seen.is_none();
                match state.check(&mut seen, &mut next_due).await {
                    Ok(true) => {
                        tracing::debug!("data changed; page cache cleared");
                        state.sync_search().await;
                    }
                    Ok(false) if first => state.sync_search().await,
                    Ok(false) => {}
                    Err(error) => tracing::warn!(%error, "checking for data changes failed"),
                }
            }
        })
    }

    /// One look at the change counter and the schedule; true when the state was refreshed.
    async fn check(
        &self,
        seen: &mut Option<i64>,
        next_due: &mut Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<bool, warta_store::StoreError> {
        let now = chrono::Utc::now();
        let mut conn = self.store.pool().acquire().await?;
        let version = changes::version(&mut conn).await?;
        let changed = seen.is_some_and(|seen| seen != version);
        let due = next_due.is_some_and(|due| due <= now);
        if seen.is_none() || changed || due {
            // The next moment pages change by themselves: a scheduled article goes live or
            // the breaking-news alert runs out.
            let publication = articles::next_publication(&mut conn, now).await?;
            let expiry = alerts::live(&mut conn, now).await?.map(|a| a.ends_at);
            let campaign = warta_store::ads::next_boundary(&mut conn, now).await?;
            *next_due = [publication, expiry, campaign].into_iter().flatten().min();
        }
        drop(conn);
        *seen = Some(version);
        if changed || due {
            self.refresh().await?;
        }
        Ok(changed || due)
    }
}

/// How long a server waits for another process to finish creating the search index it writes.
const READ_ONLY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The search index another process writes. That process may have claimed it a moment ago and
/// still be creating it (two servers starting together on one data dir), so opening it is
/// retried for a while before the error counts.
async fn read_only(dir: &std::path::Path) -> Result<SearchIndex, SearchError> {
    let step = std::time::Duration::from_millis(100);
    let mut waited = std::time::Duration::ZERO;
    loop {
        match SearchIndex::open_read_only(dir) {
            Err(error) if waited < READ_ONLY_WAIT => {
                tracing::debug!(%error, "search index not ready yet");
                tokio::time::sleep(step).await;
                waited += step;
            }
            other => return other,
        }
    }
}
