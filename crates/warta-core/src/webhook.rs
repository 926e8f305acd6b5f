//! Outbound webhooks for breaking news: how a delivery is signed, so a receiver (a WhatsApp,
//! Telegram or Slack bridge) can tell it came from this site and is fresh, and how long to wait
//! before trying a failed delivery again.
//!
//! Each request carries `Warta-Timestamp: <unix seconds>` and
//! `Warta-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the scheme Stripe
//! uses: the timestamp inside the signature lets receivers refuse replays.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 6;

/// `v1=<hex>` for a body sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "v1={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Seconds to wait after failed attempt number `attempt` (1-based): 1, 2, 4, 8, 16 ...
pub fn backoff_seconds(attempt: i64) -> i64 {
    1_i64 << attempt.clamp(1, 12).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_time_and_body() {
        let a = signature("rahasia", 1_800_000_000, b"{\"text\":\"Gempa\"}");
        assert!(a.starts_with("v1=") && a.len() == 67);
        assert_ne!(
            a,
            signature("rahasia", 1_800_000_001, b"{\"text\":\"Gempa\"}")
        );
        assert_ne!(a, signature("lain", 1_800_000_000, b"{\"text\":\"Gempa\"}"));
        assert_eq!(
            (1..=5).map(backoff_seconds).collect::<Vec<_>>(),
            [1, 2, 4, 8, 16]
        );
    }
}
