//! Settings from `warta.toml` in the data dir, overridden by the environment and flags.

use std::{net::SocketAddr, path::Path};

use serde::Deserialize;
use warta_core::{Zone, i18n::Language};
use warta_web::Site;

/// The longest wait before an automatic digest goes out by itself: a day, the next one's due.
const MAX_SEND_AFTER: u32 = 24 * 60;

/// Why the command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{path}: {message}")]
    Config { path: String, message: String },
    #[error(transparent)]
    Store(#[from] warta_store::StoreError),
}

/// `warta.toml`. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    site_name: Option<String>,
    /// One line on what the publication is (home page description, site feed).
    tagline: Option<String>,
    base_url: Option<String>,
    /// WIB, WITA, WIT or an Indonesian IANA zone name.
    zone: Option<String>,
    /// id or en.
    language: Option<String>,
    addr: Option<SocketAddr>,
    database_url: Option<String>,
    page_cache: Option<bool>,
    page_cache_mb: Option<usize>,
    /// smtp://host:port, smtps://user:password@host, or smtp://host?tls=required.
    smtp_url: Option<String>,
    /// "Redaksi <redaksi@contoh.id>".
    mail_from: Option<String>,
    /// redis://host:6379/ — sessions and rate limits shared by several nodes.
    redis_url: Option<String>,
    /// Prefix of Warta's Redis keys (default "warta:").
    redis_prefix: Option<String>,
    /// Photos and videos (default: <data dir>/media); one shared folder for several nodes.
    media_dir: Option<std::path::PathBuf>,
    /// Addresses of the reverse proxies in front of Warta (TLS, a load balancer), whose
    /// `X-Forwarded-For` names the reader; rate limits go by the reader's address then.
    trusted_proxies: Option<Vec<std::net::IpAddr>>,
    /// Automatic "Baca juga" suggestions under articles (default true).
    related_articles: Option<bool>,
    /// Seconds between writes of counted page views (default 60).
    views_flush_seconds: Option<u64>,
    /// Free articles per 30 days for signed-out readers (metered paywall; 0 or absent: off).
    meter_free_articles: Option<usize>,
    /// Midtrans server key (verifies payment notifications).
    midtrans_server_key: Option<String>,
    /// Stripe webhook signing secret.
    stripe_webhook_secret: Option<String>,
    /// Stripe secret key (creates Checkout sessions).
    stripe_secret_key: Option<String>,
    stripe_api_url: Option<String>,
    /// Midtrans Snap endpoint (production: https://app.midtrans.com/snap/v1/transactions).
    midtrans_snap_url: Option<String>,
    /// Hour of the day (site zone, 0-23) when digest drafts are composed (default 6).
    digest_hour: Option<u32>,
    /// Minutes after drafting when an automatic digest goes out unless held (default: never).
    digest_send_after: Option<u32>,
}

/// Everything resolved.
#[derive(Debug)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    pub site: Site,
}

pub const FILE_NAME: &str = "warta.toml";

impl Config {
    /// Reads `warta.toml` (if present) and applies `WARTA_*` variables and the given flags.
    pub fn load(
        data_dir: &Path,
        database_url: Option<String>,
        addr: Option<SocketAddr>,
    ) -> Result<Config, Error> {
        let path = data_dir.join(FILE_NAME);
        let file: File = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| Error::Config {
                path: path.display().to_string(),
                message: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => File::default(),
            Err(e) => return Err(Error::Io(path.display().to_string(), e)),
        };
        let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
        let bad = |what: &str, value: &str, expected: &str| Error::Config {
            path: path.display().to_string(),
            message: format!("{what} {value:?}: expected {expected}"),
        };

        let addr = addr
            .or(file.addr)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let database_url = database_url
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("warta.db").display()));
        let mut site = Site::default();
        if let Some(name) = env("WARTA_SITE_NAME").or(file.site_name) {
            site.name = name;
        }
        if let Some(tagline) = env("WARTA_TAGLINE").or(file.tagline) {
            site.tagline = tagline.trim().to_owned();
        }
        site.base_url = env("WARTA_BASE_URL")
            .or(file.base_url)
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        if let Some(zone) = env("WARTA_ZONE").or(file.zone) {
            site.zone = Zone::parse(&zone).ok_or_else(|| bad("zone", &zone, "WIB, WITA or WIT"))?;
        }
        if let Some(language) = env("WARTA_LANGUAGE").or(file.language) {
            site.language =
                Language::parse(&language).ok_or_else(|| bad("language", &language, "id or en"))?;
        }
        if let Some(on) = file.page_cache {
            site.page_cache = on;
        }
        if let Some(mb) = file.page_cache_mb {
            site.page_cache_bytes = mb.saturating_mul(1024 * 1024);
        }
        site.data_dir = data_dir.to_path_buf();
        site.media_dir = env("WARTA_MEDIA_DIR")
            .map(std::path::PathBuf::from)
            .or(file.media_dir)
            .unwrap_or_else(|| data_dir.join("media"));
        if let Some(list) = env("WARTA_TRUSTED_PROXIES") {
            site.trusted_proxies = list
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| {
                    a.parse().map_err(|_| {
                        bad(
                            "WARTA_TRUSTED_PROXIES",
                            a,
                            "IP addresses separated by commas, e.g. 127.0.0.1,10.0.0.2",
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
        } else if let Some(list) = file.trusted_proxies {
            site.trusted_proxies = list;
        }
        site.smtp_url = env("WARTA_SMTP_URL").or(file.smtp_url);
        if let Some(from) = env("WARTA_MAIL_FROM").or(file.mail_from) {
            site.mail_from = from;
        } else {
            site.mail_from = format!("{} <noreply@localhost>", site.name);
        }
        site.redis_url = env("WARTA_REDIS_URL").or(file.redis_url);
        if let Some(free) = env("WARTA_METER_FREE_ARTICLES")
            .map(|v| {
                v.parse()
                    .map_err(|_| bad("WARTA_METER_FREE_ARTICLES", &v, "a whole number"))
            })
            .transpose()?
            .or(file.meter_free_articles)
        {
            site.meter_free_articles = free;
        }
        site.midtrans_server_key = env("WARTA_MIDTRANS_SERVER_KEY").or(file.midtrans_server_key);
        site.stripe_webhook_secret =
            env("WARTA_STRIPE_WEBHOOK_SECRET").or(file.stripe_webhook_secret);
        site.stripe_secret_key = env("WARTA_STRIPE_SECRET_KEY").or(file.stripe_secret_key);
        if let Some(url) = env("WARTA_STRIPE_API_URL").or(file.stripe_api_url) {
            site.stripe_api_url = url.trim_end_matches('/').to_owned();
        }
        if let Some(url) = env("WARTA_MIDTRANS_SNAP_URL").or(file.midtrans_snap_url) {
            site.midtrans_snap_url = url;
        }
        if let Some(on) = file.related_articles {
            site.related_articles = on;
        }
        if let Some(seconds) = env("WARTA_VIEWS_FLUSH_SECONDS")
            .map(|v| {
                v.parse()
                    .map_err(|_| bad("WARTA_VIEWS_FLUSH_SECONDS", &v, "a whole number of seconds"))
            })
            .transpose()?
            .or(file.views_flush_seconds)
        {
            site.views_flush_seconds = seconds;
        }
        if let Some(hour) = file.digest_hour {
            if hour > 23 {
                return Err(bad(
                    "digest_hour",
                    &hour.to_string(),
                    "an hour from 0 to 23",
                ));
            }
            site.digest_hour = hour;
        }
        if let Some(minutes) = env("WARTA_DIGEST_SEND_AFTER")
            .map(|v| {
                v.parse::<u32>()
                    .map_err(|_| bad("WARTA_DIGEST_SEND_AFTER", &v, "a whole number of minutes"))
            })
            .transpose()?
            .or(file.digest_send_after)
        {
            if minutes > MAX_SEND_AFTER {
                return Err(bad(
                    "digest_send_after",
                    &minutes.to_string(),
                    "minutes from 0 to 1440 (a day)",
                ));
            }
            site.digest_send_after = Some(minutes);
        }
        if let Some(prefix) = env("WARTA_REDIS_PREFIX").or(file.redis_prefix) {
            site.redis_prefix = prefix;
        }
        Ok(Config {
            database_url,
            addr,
            site,
        })
    }
}
