//! Counting attempts per key (an address, an account) in a sliding window: in process on one
//! machine, in Redis when the site runs on several (see [`crate::cluster`]).

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

use crate::cluster::Redis;

/// Attempts per key within a window, shared through Redis when there is one.
#[derive(Debug, Default)]
pub struct RateLimiter {
    local: LocalCounts,
    shared: Option<Redis>,
}

impl RateLimiter {
    pub fn new(shared: Option<Redis>) -> RateLimiter {
        RateLimiter {
            local: LocalCounts::default(),
            shared,
        }
    }

    /// Records an attempt for `key` unless `limit` attempts were made within `window`; then
    /// returns how long until the next one is allowed. If Redis fails, this node's own counts
    /// still limit: an outage must not open the door.
    pub async fn hit(&self, key: &str, limit: usize, window: Duration) -> Result<(), Duration> {
        if let Some(redis) = &self.shared {
            match redis.hit(key, limit, window).await {
                Ok(outcome) => return outcome,
                Err(error) => {
                    tracing::warn!(%error, "shared rate limit unavailable; counting locally")
                }
            }
        }
        self.local.hit(key, limit, window)
    }

    /// Forgets `key` (after a successful sign-in, its failures no longer count).
    pub async fn reset(&self, key: &str) {
        if let Some(redis) = &self.shared
            && let Err(error) = redis.reset(key).await
        {
            tracing::warn!(%error, "could not reset a shared rate limit");
        }
        self.local.reset(key);
    }
}

/// This process's counts.
#[derive(Debug, Default)]
struct LocalCounts {
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LocalCounts {
    /// Records an attempt for `key` unless `limit` attempts were made within `window`; then
    /// returns how long until the next one is allowed.
    pub fn hit(&self, key: &str, limit: usize, window: Duration) -> Result<(), Duration> {
        let now = Instant::now();
        let Ok(mut hits) = self.hits.lock() else {
            return Ok(());
        };
        if hits.len() > 100_000 {
            // Bounded memory under a flood of distinct keys: drop entries with nothing recent.
            hits.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let times = hits.entry(key.to_owned()).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
        if times.len() >= limit {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
    }

    /// Forgets `key` (after a successful sign-in, its failures no longer count).
    pub fn reset(&self, key: &str) {
        if let Ok(mut hits) = self.hits.lock() {
            hits.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_then_says_how_long_to_wait() {
        let limiter = LocalCounts::default();
        let window = Duration::from_secs(60);
        for _ in 0..3 {
            assert!(limiter.hit("ip:1", 3, window).is_ok());
        }
        let wait = limiter.hit("ip:1", 3, window).unwrap_err();
        assert!(wait > Duration::from_secs(58));
        assert!(limiter.hit("ip:2", 3, window).is_ok(), "keys are separate");
        limiter.reset("ip:1");
        assert!(limiter.hit("ip:1", 3, window).is_ok());
    }
}
