//! Sending breaking news to channels: every quarter second each node claims the deliveries that
//! are due and sends each on its own task, so a receiver that is down (or slow) delays nobody
//! else; failures are retried with backoff and every attempt is logged.

use std::time::Duration;

use chrono::{DateTime, Utc};
use warta_core::webhook;
use warta_store::channels::{self, Due};

use crate::AppState;

/// How often due deliveries are looked for.
const POLL: Duration = Duration::from_millis(250);
/// How long a claimed delivery is this node's before another may try it.
const LEASE_SECONDS: i64 = 30;
/// A receiver gets this long to answer.
const TIMEOUT: Duration = Duration::from_secs(5);

pub fn spawn_deliverer(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let client = match reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent("Warta breaking news")
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "no HTTP client; breaking-news channels are off");
                return;
            }
        };
        let mut ticker = tokio::time::interval(POLL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let due = match claim(&state).await {
                Ok(due) => due,
                Err(error) => {
                    tracing::warn!(%error, "looking for channel deliveries failed");
                    continue;
                }
            };
            for delivery in due {
                let (state, client) = (state.clone(), client.clone());
                tokio::spawn(async move { deliver(&state, &client, delivery).await });
            }
        }
    })
}

async fn claim(state: &AppState) -> Result<Vec<Due>, crate::AppError> {
    let mut conn = state.conn().await?;
    Ok(channels::claim_due(&mut conn, Utc::now(), LEASE_SECONDS, 20).await?)
}

/// One attempt, then its record.
async fn deliver(state: &AppState, client: &reqwest::Client, due: Due) {
    let site = state.site();
    let link = due.link.as_deref().map(|l| {
        if l.starts_with('/') {
            format!("{}{l}", site.base_url)
        } else {
            l.to_owned()
        }
    });
    let sent = match due.kind.as_str() {
        "telegram" => {
            let text = match &link {
                Some(link) => format!("BREAKING NEWS: {}\n{link}", due.text),
                None => format!("BREAKING NEWS: {}", due.text),
            };
            client
                .post(format!(
                    "{}/bot{}/sendMessage",
                    due.url.trim_end_matches('/'),
                    due.secret
                ))
                .json(&serde_json::json!({"chat_id": due.chat_id, "text": text}))
                .send()
                .await
        }
        _ => {
            let created = DateTime::<Utc>::from_timestamp(due.created_at, 0).unwrap_or_default();
            let body = serde_json::json!({
                "id": due.alert_id,
                "site": site.name,
                "text": due.text,
                "url": link,
                "created_at": site.zone.rfc3339(created),
            })
            .to_string();
            let timestamp = Utc::now().timestamp();
            client
                .post(&due.url)
                .header("content-type", "application/json")
                .header("warta-timestamp", timestamp.to_string())
                .header(
                    "warta-signature",
                    webhook::signature(&due.secret, timestamp, body.as_bytes()),
                )
                .body(body)
                .send()
                .await
        }
    };
    let (delivered, code, error) = match sent {
        Ok(response) => {
            let status = response.status();
            (
                status.is_success(),
                Some(i64::from(status.as_u16())),
                (!status.is_success()).then(|| format!("HTTP {status}")),
            )
        }
        // Without the URL: a Telegram URL carries the bot's token.
        Err(error) => (false, None, Some(error.without_url().to_string())),
    };
    let now = Utc::now();
    let attempt = due.attempts + 1;
    let retry_at = (!delivered && attempt < webhook::MAX_ATTEMPTS)
        .then(|| now + chrono::Duration::seconds(webhook::backoff_seconds(attempt)));
    if !delivered {
        tracing::warn!(
            delivery = due.id,
            attempt,
            error = error.as_deref().unwrap_or(""),
            "channel delivery failed"
        );
    }
    let recorded = async {
        let mut conn = state.conn().await?;
        channels::record(
            &mut conn,
            due.id,
            delivered,
            code,
            error.as_deref(),
            retry_at,
            now,
        )
        .await?;
        Ok::<_, crate::AppError>(())
    }
    .await;
    if let Err(error) = recorded {
        tracing::warn!(%error, delivery = due.id, "could not record a channel delivery");
    }
}
