//! Reader e-mail in the background: each node drafts the day's digests when their hour comes
//! and sends queued mailings (digests and breaking news) a batch at a time.
//!
//! Sending is restart-safe: a recipient's row is claimed just before its SMTP conversation and
//! marked after it, so a restarted node carries on where the queue stands and never repeats a
//! recipient; on shutdown the batch in hand is finished before the process exits. A bounce
//! (the server refusing one address) marks that recipient failed and the run goes on.

use std::{collections::HashMap, sync::Arc, time::Duration};

use askama::Template;
use chrono::Utc;
use futures_util::StreamExt;
use warta_core::{
    i18n::Language,
    newsletter::{self, List},
};
use warta_store::{
    articles,
    newsletters::{self, Job, Mailing, NewMailing},
};

use crate::{AppError, AppState, mail::Mail};

/// How often the queue is looked at when idle.
const POLL: Duration = Duration::from_millis(500);
/// How long a claimed recipient is this node's: well beyond one SMTP conversation.
const LEASE_SECONDS: i64 = 120;
/// Recipients claimed at once.
const BATCH: i64 = 32;
/// SMTP conversations at once, one per pooled connection (see `mail::SMTP_CONNECTIONS`).
const CONCURRENCY: usize = crate::mail::SMTP_CONNECTIONS as usize;
/// How often drafts are considered.
const DRAFT_EVERY: Duration = Duration::from_secs(60);

/// One article as a mailing lists it.
#[derive(Debug, Clone)]
pub struct Item {
    pub headline: String,
    pub summary: String,
    pub url: String,
}

/// A mailing ready to send: the same text for every recipient but the unsubscribe link.
#[derive(Debug, Clone)]
pub struct Composed {
    pub list: String,
    pub subject: String,
    pub intro: String,
    pub items: Vec<Item>,
    /// The alert's link, for breaking news without an article.
    pub link: Option<String>,
    pub web_url: String,
}

#[derive(Template)]
#[template(path = "newsletter-mail.html")]
struct MailHtml<'a> {
    m: &'a Composed,
    site: &'a str,
    unsubscribe: &'a str,
    language: Language,
}

impl Composed {
    fn text(&self, site: &str, unsubscribe: &str, language: Language) -> String {
        let w = language.catalog().newsletter;
        let mut out = format!("{}\n\n", self.subject);
        if !self.intro.is_empty() {
            out.push_str(&format!("{}\n\n", self.intro));
        }
        if let Some(link) = &self.link {
            out.push_str(&format!("{link}\n\n"));
        }
        for (n, item) in self.items.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", n + 1, item.headline));
            if !item.summary.is_empty() {
                out.push_str(&format!("   {}\n", item.summary));
            }
            out.push_str(&format!("   {}\n\n", item.url));
        }
        out.push_str(&format!(
            "{}: {}\n{}: {unsubscribe}\n\n{site}\n",
            w.web_version, self.web_url, w.unsubscribe
        ));
        out
    }

    /// The message for one recipient.
    pub fn mail(&self, state: &AppState, job: &Job) -> Mail {
        let site = state.site();
        let unsubscribe = format!(
            "{}/buletin/berhenti?token={}&daftar={}",
            site.base_url, job.token, self.list
        );
        let html = MailHtml {
            m: self,
            site: &site.name,
            unsubscribe: &unsubscribe,
            language: site.language,
        }
        .render()
        .ok();
        let host = site
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or("localhost")
            .split(['/', ':'])
            .next()
            .unwrap_or("localhost")
            .to_owned();
        Mail {
            to: job.email.clone(),
            subject: self.subject.clone(),
            body: self.text(&site.name, &unsubscribe, site.language),
            html,
            unsubscribe: Some(unsubscribe),
            message_id: Some(format!(
                "<mailing-{}.{}@{host}>",
                job.mailing_id, job.subscriber_id
            )),
        }
    }
}

/// A mailing with its articles, for the mail and for the web version.
pub async fn compose(state: &AppState, mailing: &Mailing) -> Result<Composed, AppError> {
    let site = state.site();
    let ids = newsletter::parse_ids(&mailing.article_ids);
    let mut conn = state.conn().await?;
    let found = articles::published_by_ids(&mut conn, &ids, Utc::now()).await?;
    let link = match mailing.alert_id {
        Some(alert) if ids.is_empty() => warta_store::alerts::link(&mut conn, alert).await?,
        _ => None,
    };
    drop(conn);
    let absolute = |path: &str| {
        if path.starts_with('/') {
            format!("{}{path}", site.base_url)
        } else {
            path.to_owned()
        }
    };
    Ok(Composed {
        list: mailing.list.clone(),
        subject: mailing.subject.clone(),
        intro: mailing.intro.clone(),
        items: found
            .iter()
            .map(|a| Item {
                headline: a.headline.clone(),
                summary: a.summary.clone(),
                url: absolute(&a.path()),
            })
            .collect(),
        link: link.map(|l| absolute(&l)),
        web_url: format!("{}/buletin/edisi/{}", site.base_url, mailing.id),
    })
}

/// Sends until `stop` says so, finishing the batch in hand first.
pub fn spawn_sender(
    state: &AppState,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    let node = format!(
        "{}-{}",
        std::process::id(),
        &warta_core::secret::token()[..8]
    );
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(POLL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_draft = tokio::time::Instant::now() - DRAFT_EVERY;
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                _ = stop.changed() => return,
            }
            if *stop.borrow() {
                return;
            }
            if last_draft.elapsed() >= DRAFT_EVERY {
                last_draft = tokio::time::Instant::now();
                if let Err(error) = draft_due(&state).await {
                    tracing::warn!(%error, "drafting digests failed");
                }
                if let Err(error) = send_due(&state).await {
                    tracing::warn!(%error, "sending automatic digests failed");
                }
            }
            // Keep going while there is work; wait for the next tick when there is none.
            loop {
                match send_batch(&state, &node).await {
                    Ok(0) => break,
                    Ok(_) if *stop.borrow() => return,
                    Ok(_) => {}
                    Err(error) => {
                        tracing::warn!(%error, "sending mailings failed");
                        break;
                    }
                }
            }
        }
    })
}

/// Claims and sends one batch; the number of recipients handled.
async fn send_batch(state: &AppState, node: &str) -> Result<usize, AppError> {
    let now = Utc::now();
    // One transaction for the whole claim: one commit (one fsync on SQLite) per batch.
    let jobs = {
        let mut tx = state.begin().await?;
        newsletters::tidy(&mut tx, now).await?;
        let jobs = newsletters::claim(&mut tx, node, now, LEASE_SECONDS, BATCH).await?;
        tx.commit().await?;
        jobs
    };
    if jobs.is_empty() {
        return Ok(0);
    }
    let mut composed: HashMap<i64, Arc<Composed>> = HashMap::new();
    let mut ids: Vec<i64> = jobs.iter().map(|j| j.mailing_id).collect();
    ids.dedup();
    for id in ids {
        if let Some(mailing) = newsletters::mailing(&mut *state.conn().await?, id).await? {
            composed.insert(id, Arc::new(compose(state, &mailing).await?));
        }
    }
    let handled = jobs.len();
    let outcomes: Vec<(Job, Option<String>)> = futures_util::stream::iter(jobs)
        .map(|job| {
            let composed = composed.get(&job.mailing_id).cloned();
            async move {
                let outcome = match composed {
                    Some(m) => state.mailer.send(&m.mail(state, &job)).await,
                    None => Err(AppError::NotFound),
                };
                let error = outcome.err().map(|e| e.to_string());
                if let Some(error) = &error {
                    tracing::warn!(to = %job.email, mailing = job.mailing_id, %error, "newsletter not delivered");
                }
                (job, error)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    // One commit for the batch. Should the process die before it, the batch's rows stay
    // `sending` and become `interrupted`: never sent twice, at worst reported as unknown.
    let now = Utc::now();
    let mut tx = state.begin().await?;
    for (job, error) in &outcomes {
        newsletters::record(&mut tx, job, error.as_deref(), now).await?;
    }
    tx.commit().await?;
    newsletters::tidy(&mut *state.conn().await?, Utc::now()).await?;
    Ok(handled)
}

/// Composes a digest draft: the window's most important and most read articles.
pub async fn draft_digest(
    state: &AppState,
    list: List,
    section_id: i64,
    edition: Option<String>,
    user: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let now = Utc::now();
    let site = state.site();
    let mut conn = state.conn().await?;
    let candidates =
        newsletters::digest_candidates(&mut conn, section_id, now - list.window(), now).await?;
    let ids = newsletter::compose(candidates, newsletter::DIGEST_SIZE);
    let section = if section_id == 0 {
        None
    } else {
        warta_store::taxonomy::sections(&mut conn)
            .await?
            .into_iter()
            .find(|s| s.id == section_id)
            .map(|s| s.name)
    };
    let day = site.zone.local(now).date_naive();
    // Only the automatic drafts (those with an edition) go out by themselves.
    let send_at = match (&edition, site.digest_send_after) {
        (Some(_), Some(minutes)) => {
            Some((now + chrono::Duration::minutes(i64::from(minutes))).timestamp())
        }
        _ => None,
    };
    let new = NewMailing {
        list: list.as_str().into(),
        section_id,
        edition,
        subject: format!(
            "{} - {}",
            newsletter::subject(list, section.as_deref(), day, site.language),
            site.name
        ),
        intro: String::new(),
        article_ids: newsletter::format_ids(&ids),
        alert_id: None,
        send_at,
    };
    Ok(newsletters::draft(&mut conn, &new, user, now).await?)
}

/// Queues each automatic draft whose time has come (see `Site::digest_send_after`). One
/// without articles, or overdue by more than [`OVERDUE`] (the site was down), is held for an
/// editor instead: neither is worth a reader's inbox. One mailing that fails does not keep the
/// others back.
async fn send_due(state: &AppState) -> Result<(), AppError> {
    // Turned off: drafts made while it was on wait for an editor too.
    if state.site().digest_send_after.is_none() {
        return Ok(());
    }
    let now = Utc::now();
    let due = newsletters::due_to_send(&mut *state.conn().await?, now).await?;
    for (id, section_id, send_at) in due {
        let overdue = now.timestamp() - send_at > OVERDUE.num_seconds();
        if let Err(error) = send_one(state, id, section_id, overdue, now).await {
            tracing::warn!(mailing = id, %error, "automatic digest not queued");
        }
    }
    Ok(())
}

/// A due draft that waited longer than this (the site was down) is held, not sent late.
const OVERDUE: chrono::Duration = chrono::Duration::hours(12);

/// Queues one due draft, or holds it (see [`send_due`]).
async fn send_one(
    state: &AppState,
    id: i64,
    section_id: i64,
    overdue: bool,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = state.begin().await?;
    // An editor may have held it, or another node taken it, since it was found.
    if !newsletters::take_due(&mut tx, id, now).await? {
        return Ok(());
    }
    let empty = newsletters::mailing(&mut tx, id)
        .await?
        .is_none_or(|m| newsletter::parse_ids(&m.article_ids).is_empty());
    if empty || overdue {
        tx.commit().await?;
        let why = if empty {
            "it has no articles"
        } else {
            "it is overdue"
        };
        tracing::warn!(mailing = id, why, "automatic digest held for an editor");
        return Ok(());
    }
    let recipients = newsletters::queue(&mut tx, id, &[section_id], now).await?;
    tx.commit().await?;
    tracing::info!(mailing = id, ?recipients, "automatic digest queued");
    Ok(())
}

/// Drafts each digest whose hour has come, once per list, day and section.
async fn draft_due(state: &AppState) -> Result<(), AppError> {
    let now = Utc::now();
    let site = state.site();
    let audience = newsletters::audience(&mut *state.conn().await?).await?;
    for (list, section, _) in audience {
        let Some(list) = List::parse(&list).filter(|l| List::DIGESTS.contains(l)) else {
            continue;
        };
        let Some(edition) =
            newsletter::due_edition(list, section, now, site.zone, site.digest_hour)
        else {
            continue;
        };
        if newsletters::edition_exists(&mut *state.conn().await?, &edition).await? {
            continue;
        }
        if let Some(id) = draft_digest(state, list, section, Some(edition), None).await? {
            tracing::info!(
                mailing = id,
                list = list.as_str(),
                section,
                "digest drafted"
            );
        }
    }
    Ok(())
}
