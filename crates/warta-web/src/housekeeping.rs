//! The hourly sweep of expired sessions, tokens and unconfirmed sign-ups (see
//! `warta_store::housekeeping`), so the database does not keep what nobody may use; and of
//! video files that refused forms kept for a second try nobody made.

use std::time::Duration;

use crate::AppState;

/// How often the sweep runs; the first runs when the server starts.
const EVERY: Duration = Duration::from_secs(3600);

pub fn spawn_sweeper(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            sweep(&state).await;
        }
    })
}

/// One sweep; a failure is logged and the next hour tries again.
async fn sweep(state: &AppState) {
    let result = async {
        let mut conn = state.conn().await?;
        let swept = warta_store::housekeeping::sweep(&mut conn, chrono::Utc::now()).await?;
        Ok::<_, crate::AppError>(swept)
    }
    .await;
    match result {
        Ok(swept) if !swept.is_empty() => tracing::info!(
            sessions = swept.sessions,
            tokens = swept.tokens,
            sign_ups = swept.sign_ups,
            "expired rows removed"
        ),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "removing expired rows failed"),
    }
    match crate::routes::video::sweep_staged(&state.config.data_dir).await {
        Ok(0) => {}
        Ok(files) => tracing::info!(files, "abandoned video uploads removed"),
        Err(error) => tracing::warn!(%error, "removing abandoned video uploads failed"),
    }
}
