//! What the reader site needs to know about the site it serves.

use warta_core::{Zone, i18n::Language};

/// Site settings, from `warta.toml`, the environment and flags (resolved by the binary).
#[derive(Debug, Clone)]
pub struct Site {
    /// The publication's name, shown in the masthead, titles and datelines.
    pub name: String,
    /// One line on what the publication is (home page description, site feed); may be empty.
    pub tagline: String,
    /// Absolute origin for canonical URLs and share links, without a trailing slash.
    pub base_url: String,
    /// The zone times are shown in unless an article has its own.
    pub zone: Zone,
    pub language: Language,
    /// Serve pages from memory until the data changes. Off only to measure rendering.
    pub page_cache: bool,
    /// Upper bound of the page cache's memory; when full it starts over.
    pub page_cache_bytes: usize,
    /// The data dir (mail outbox, the search index, video uploads waiting to be published).
    pub data_dir: std::path::PathBuf,
    /// Photos and videos, served under `/media/`: `<data dir>/media` unless set. Several nodes
    /// of one site point it at one shared folder (a network volume), or a photo uploaded on
    /// one node is missing on the others.
    pub media_dir: std::path::PathBuf,
    /// SMTP server for outgoing mail; without one mail goes to `<data dir>/outbox/`.
    pub smtp_url: Option<String>,
    /// The sender of outgoing mail.
    pub mail_from: String,
    /// Redis for sessions and rate limits shared by several nodes.
    pub redis_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `cache::client`):
    /// behind one, every reader would otherwise share the proxy's address and its rate limits.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Prefix of every Redis key, so sites (or test runs) can share a server.
    pub redis_prefix: String,
    /// Show automatic "Baca juga" suggestions under articles.
    pub related_articles: bool,
    /// How often counted page views are written to the store.
    pub views_flush_seconds: u64,
    /// Free articles per 30 days for signed-out readers; 0 turns the metered paywall off.
    pub meter_free_articles: usize,
    /// Midtrans server key: verifies payment notifications.
    pub midtrans_server_key: Option<String>,
    /// Stripe webhook signing secret (`whsec_...`): verifies webhooks.
    pub stripe_webhook_secret: Option<String>,
    /// Stripe secret key (`sk_...`): creates Checkout sessions.
    pub stripe_secret_key: Option<String>,
    /// Stripe's API origin (a test double's in tests).
    pub stripe_api_url: String,
    /// Midtrans Snap's transactions endpoint (sandbox by default).
    pub midtrans_snap_url: String,
    /// The hour (site zone) from which the day's digest drafts are composed.
    pub digest_hour: u32,
    /// Minutes after drafting when an automatic digest goes out by itself unless an editor
    /// holds it; `None`: editors send every digest.
    pub digest_send_after: Option<u32>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            name: "Warta".into(),
            tagline: String::new(),
            base_url: "http://127.0.0.1:8080".into(),
            zone: Zone::Wib,
            language: Language::Id,
            page_cache: true,
            page_cache_bytes: 16 * 1024 * 1024,
            data_dir: "warta-data".into(),
            media_dir: "warta-data/media".into(),
            smtp_url: None,
            mail_from: "Warta <noreply@localhost>".into(),
            redis_url: None,
            trusted_proxies: Vec::new(),
            redis_prefix: "warta:".into(),
            related_articles: true,
            views_flush_seconds: 60,
            meter_free_articles: 0,
            midtrans_server_key: None,
            stripe_webhook_secret: None,
            stripe_secret_key: None,
            stripe_api_url: "https://api.stripe.com".into(),
            midtrans_snap_url: "https://app.sandbox.midtrans.com/snap/v1/transactions".into(),
            digest_hour: 6,
            digest_send_after: None,
        }
    }
}
