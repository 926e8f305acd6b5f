//! The metered paywall: a signed-out reader may read a number of different articles per 30
//! days for free; after that, articles show their lead and an invitation. The count lives in a
//! cookie (a reader who clears it starts over: metering is a nudge, not a lock), as short hashes
//! of the articles read, so reading one article again never counts twice.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// The cookie's name.
pub const COOKIE: &str = "warta_meter";
/// The metering window.
pub const WINDOW_DAYS: i64 = 30;

/// What a reader has read in the current window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meter {
    /// When the window began (Unix seconds).
    pub since: i64,
    /// The first 8 hex digits of the SHA-256 of each article's slug.
    pub read: Vec<String>,
}

/// What one article view does to the meter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Read before in this window: free, nothing changes.
    Again,
    /// A new article within the allowance: counted.
    Counted,
    /// A new article beyond the allowance.
    OverLimit,
}

fn key(slug: &str) -> String {
    Sha256::digest(slug.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Meter {
    /// The meter in `cookie` (a fresh one when absent, unreadable or from an older window).
    pub fn read(cookie: Option<&str>, now: DateTime<Utc>) -> Meter {
        let fresh = Meter {
            since: now.timestamp(),
            read: Vec::new(),
        };
        let Some((since, read)) = cookie.and_then(|c| c.split_once('.')) else {
            return fresh;
        };
        let Ok(since) = since.parse::<i64>() else {
            return fresh;
        };
        // The cookie is the reader's to edit: a start far in the past must not overflow.
        let age = now.timestamp().checked_sub(since);
        if !age.is_some_and(|age| (0..Duration::days(WINDOW_DAYS).num_seconds()).contains(&age)) {
            return fresh;
        }
        let read: Vec<String> = read
            .split('-')
            .filter(|k| k.len() == 8 && k.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_owned)
            .take(100)
            .collect();
        Meter { since, read }
    }

    /// Records a view of the article at `slug` against an allowance of `free` articles.
    pub fn visit(&mut self, slug: &str, free: usize) -> Visit {
        let key = key(slug);
        if self.read.contains(&key) {
            Visit::Again
        } else if self.read.len() < free {
            self.read.push(key);
            Visit::Counted
        } else {
            Visit::OverLimit
        }
    }

    /// The cookie's value.
    pub fn value(&self) -> String {
        format!("{}.{}", self.since, self.read.join("-"))
    }

    /// Seconds the cookie should live: to the end of the window.
    pub fn max_age(&self, now: DateTime<Utc>) -> i64 {
        (self.since + Duration::days(WINDOW_DAYS).num_seconds() - now.timestamp()).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_different_articles_up_to_the_allowance() {
        let now = Utc::now();
        let mut meter = Meter::read(None, now);
        assert_eq!(meter.visit("a", 2), Visit::Counted);
        assert_eq!(meter.visit("a", 2), Visit::Again);
        assert_eq!(meter.visit("b", 2), Visit::Counted);
        assert_eq!(meter.visit("c", 2), Visit::OverLimit);
        let again = Meter::read(Some(&meter.value()), now);
        assert_eq!(again, meter, "the cookie round-trips");
        let later = Meter::read(Some(&meter.value()), now + Duration::days(31));
        assert!(later.read.is_empty(), "a new window starts over");
        assert!(Meter::read(Some("junk"), now).read.is_empty());
        assert!(Meter::read(Some("1.<script>"), now).read.is_empty());
        // Starts from the far past or the future are a fresh meter, not an overflow.
        for since in [i64::MIN, i64::MAX, now.timestamp() + 60] {
            let meter = Meter::read(Some(&format!("{since}.0123abcd")), now);
            assert_eq!(meter.since, now.timestamp(), "{since}");
        }
    }
}
