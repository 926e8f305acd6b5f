//! Stopping a Stripe subscription, which three paths need: a reader cancelling (Stripe stops
//! at the end of the paid period) and an admin revoking, on the site or with `warta member
//! revoke` (Stripe stops now, or it would keep charging for a membership that has ended).

use std::time::Duration;

use crate::Site;

/// When Stripe stops charging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// After the period already paid for; the member keeps it.
    AtPeriodEnd,
    /// At once: the membership ended by an admin's hand.
    Now,
}

/// Stops `subscription` at Stripe. `Ok(false)`: no Stripe key is set, so nothing was sent
/// (the caller says so; the subscription must then be stopped in Stripe's dashboard).
pub async fn stop(site: &Site, subscription: &str, when: Stop) -> Result<bool, String> {
    let Some(key) = site.stripe_secret_key.clone() else {
        return Ok(false);
    };
    let client = reqwest::Client::new();
    let url = format!("{}/v1/subscriptions/{subscription}", site.stripe_api_url);
    let request = match when {
        Stop::AtPeriodEnd => client.post(url).form(&[("cancel_at_period_end", "true")]),
        Stop::Now => client.delete(url),
    };
    let answer = request
        .basic_auth(key, None::<&str>)
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .map_err(|e| format!("Stripe did not answer: {}", e.without_url()))?;
    // Stopping at once what Stripe no longer has (ended, or deleted in its dashboard) is done.
    if when == Stop::Now && answer.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(true);
    }
    answer
        .error_for_status()
        .map(|_| true)
        .map_err(|e| format!("Stripe refused to stop {subscription}: {}", e.without_url()))
}
