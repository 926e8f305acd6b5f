//! Reader e-mail: subscribers and their lists, mailings (digests and breaking news), and one
//! send row per recipient that makes sending resumable without repeats.
//!
//! A send row goes `pending` → `sending` (claimed by one node, just before the SMTP
//! conversation) → `sent` or `failed`. A row still `sending` when its lease is over belonged to
//! a process that died mid-conversation: it becomes `interrupted`, never `pending` again, since
//! the message may have gone out. An editor can choose to send those again.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};
use warta_core::{newsletter::Candidate, secret};

use crate::StoreError;

/// A reader who asked for e-mail.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub token: String,
    pub confirmed_at: Option<i64>,
}

/// What a sign-up did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUp {
    /// New or not yet confirmed: the choices were stored; confirm with this token.
    Pending(String),
    /// Already confirmed: nothing changed (the address's owner manages it via their link).
    Confirmed(String),
}

const SUBSCRIBER: &str = "SELECT id, email, token, confirmed_at FROM subscribers";

/// Records a sign-up with its choices (`(list, section id)`, 0 for all sections).
pub async fn sign_up(
    conn: &mut AnyConnection,
    email: &str,
    choices: &[(String, i64)],
    now: DateTime<Utc>,
) -> Result<SignUp, StoreError> {
    // Each step claims the row it goes on with, so that neither the sweep nor a second
    // sign-up for the address at the same moment can take it away in between: the UPDATE
    // locks an unconfirmed row (a sweep waiting for it then finds it renewed, not a week
    // old), and the INSERT yields to a row made meanwhile, which the next round takes.
    for _ in 0..3 {
        // Asked again: the new confirmation mail gets the full wait before the sign-up is
        // forgotten (see `housekeeping::UNCONFIRMED_KEPT`).
        let renewed: Option<(i64, String)> = sqlx::query_as(
            "UPDATE subscribers SET created_at = $2 WHERE email = $1 AND confirmed_at IS NULL \
             RETURNING id, token",
        )
        .bind(email)
        .bind(now.timestamp())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((id, token)) = renewed {
            set_choices(conn, id, choices).await?;
            return Ok(SignUp::Pending(token));
        }
        let confirmed: Option<String> = sqlx::query_scalar(
            "SELECT token FROM subscribers WHERE email = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(token) = confirmed {
            return Ok(SignUp::Confirmed(token));
        }
        let token = secret::token();
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO subscribers (email, token, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(email)
        .bind(&token)
        .bind(now.timestamp())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(id) = inserted {
            set_choices(conn, id, choices).await?;
            return Ok(SignUp::Pending(token));
        }
    }
    // Only a row that keeps appearing and vanishing between statements gets here.
    Err(StoreError::NotFound)
}

/// Confirms the address behind `token`; its e-mail when the token is known.
pub async fn confirm(
    conn: &mut AnyConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Subscriber>, StoreError> {
    sqlx::query(
        "UPDATE subscribers SET confirmed_at = $2 WHERE token = $1 AND confirmed_at IS NULL",
    )
    .bind(token)
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?;
    by_token(conn, token).await
}

pub async fn by_token(
    conn: &mut AnyConnection,
    token: &str,
) -> Result<Option<Subscriber>, StoreError> {
    Ok(sqlx::query_as(&format!("{SUBSCRIBER} WHERE token = $1"))
        .bind(token)
        .fetch_optional(conn)
        .await?)
}

/// A subscriber's lists, as `(list, section id)`.
pub async fn choices(
    conn: &mut AnyConnection,
    subscriber_id: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT list, section_id FROM subscriptions WHERE subscriber_id = $1 ORDER BY list, section_id",
    )
    .bind(subscriber_id)
    .fetch_all(conn)
    .await?)
}

/// Replaces a subscriber's lists.
pub async fn set_choices(
    conn: &mut AnyConnection,
    subscriber_id: i64,
    choices: &[(String, i64)],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM subscriptions WHERE subscriber_id = $1")
        .bind(subscriber_id)
        .execute(&mut *conn)
        .await?;
    for (list, section) in choices {
        sqlx::query(
            "INSERT INTO subscriptions (subscriber_id, list, section_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(subscriber_id)
        .bind(list)
        .bind(*section)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Leaves one list (every section of it), or every list when `list` is `None`. Whether the
/// token was known.
pub async fn unsubscribe(
    conn: &mut AnyConnection,
    token: &str,
    list: Option<&str>,
) -> Result<bool, StoreError> {
    let Some(subscriber) = by_token(&mut *conn, token).await? else {
        return Ok(false);
    };
    sqlx::query("DELETE FROM subscriptions WHERE subscriber_id = $1 AND ($2 = '' OR list = $2)")
        .bind(subscriber.id)
        .bind(list.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(true)
}

/// Confirmed subscribers per `(list, section id)`, for the newsroom.
pub async fn audience(conn: &mut AnyConnection) -> Result<Vec<(String, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT sub.list, sub.section_id, COUNT(*) FROM subscriptions sub \
         JOIN subscribers s ON s.id = sub.subscriber_id WHERE s.confirmed_at IS NOT NULL \
         GROUP BY sub.list, sub.section_id ORDER BY sub.list, sub.section_id",
    )
    .fetch_all(conn)
    .await?)
}

/// A message to a list.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Mailing {
    pub id: i64,
    pub list: String,
    pub section_id: i64,
    pub edition: Option<String>,
    pub subject: String,
    pub intro: String,
    /// Article ids in order, comma-separated.
    pub article_ids: String,
    pub alert_id: Option<i64>,
    /// `draft`, `sending` or `sent`.
    pub status: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// When a draft goes out by itself (an automatic digest, unless an editor held it).
    pub send_at: Option<i64>,
}

/// A mailing to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMailing {
    pub list: String,
    pub section_id: i64,
    pub edition: Option<String>,
    pub subject: String,
    pub intro: String,
    pub article_ids: String,
    pub alert_id: Option<i64>,
    /// When the draft goes out by itself; `None` waits for an editor.
    pub send_at: Option<i64>,
}

const MAILING: &str = "SELECT id, list, section_id, edition, subject, intro, article_ids, \
     alert_id, status, created_at, sent_at, send_at FROM mailings";

/// Creates a draft; `None` when its edition exists already (another node drafted it).
pub async fn draft(
    conn: &mut AnyConnection,
    new: &NewMailing,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO mailings (list, section_id, edition, subject, intro, article_ids, alert_id, \
         status, created_by, created_at, send_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $10) \
         ON CONFLICT (edition) DO NOTHING RETURNING id",
    )
    .bind(&new.list)
    .bind(new.section_id)
    .bind(new.edition.clone())
    .bind(&new.subject)
    .bind(&new.intro)
    .bind(&new.article_ids)
    .bind(new.alert_id)
    .bind(user)
    .bind(now.timestamp())
    .bind(new.send_at)
    .fetch_optional(conn)
    .await?)
}

/// Drafts whose time to go out by themselves has come, as (id, section id, send time).
pub async fn due_to_send(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, section_id, send_at FROM mailings \
         WHERE status = 'draft' AND send_at IS NOT NULL AND send_at <= $1 ORDER BY send_at, id",
    )
    .bind(now.timestamp())
    .fetch_all(conn)
    .await?)
}

/// Takes a due draft for sending (call inside the transaction that queues it): false when an
/// editor held it, or another node took it, since it was found due.
pub async fn take_due(
    conn: &mut AnyConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let taken = sqlx::query(
        "UPDATE mailings SET send_at = NULL \
         WHERE id = $1 AND status = 'draft' AND send_at IS NOT NULL AND send_at <= $2",
    )
    .bind(id)
    .bind(now.timestamp())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(taken > 0)
}

/// Keeps a draft from going out by itself: it waits for an editor's "send". False when it
/// was not a draft any more.
pub async fn hold(conn: &mut AnyConnection, id: i64) -> Result<bool, StoreError> {
    let held = sqlx::query("UPDATE mailings SET send_at = NULL WHERE id = $1 AND status = 'draft'")
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(held > 0)
}

pub async fn mailing(conn: &mut AnyConnection, id: i64) -> Result<Option<Mailing>, StoreError> {
    Ok(sqlx::query_as(&format!("{MAILING} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn recent(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Mailing>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{MAILING} ORDER BY created_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Changes a draft; false once it is queued.
pub async fn edit_draft(
    conn: &mut AnyConnection,
    id: i64,
    subject: &str,
    intro: &str,
    article_ids: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE mailings SET subject = $2, intro = $3, article_ids = $4 \
         WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .bind(subject)
    .bind(intro)
    .bind(article_ids)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Queues a draft: one send row per confirmed subscriber of its list whose section choice is
/// among `sections` (call inside a transaction). The number of recipients, or `None` when the
/// mailing was not a draft (someone queued it first).
pub async fn queue(
    conn: &mut AnyConnection,
    id: i64,
    sections: &[i64],
    now: DateTime<Utc>,
) -> Result<Option<u64>, StoreError> {
    let flipped = sqlx::query(
        "UPDATE mailings SET status = 'sending', queued_at = $2 WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if flipped == 0 {
        return Ok(None);
    }
    let sections = sections
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    // The ids are numbers we formatted ourselves, so they go into the SQL as text safely.
    let added = sqlx::query(&format!(
        "INSERT INTO mailing_sends (mailing_id, subscriber_id, status) \
         SELECT DISTINCT m.id, s.id, 'pending' FROM mailings m \
         JOIN subscriptions sub ON sub.list = m.list \
         JOIN subscribers s ON s.id = sub.subscriber_id \
         WHERE m.id = $1 AND s.confirmed_at IS NOT NULL AND sub.section_id IN ({sections})"
    ))
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if added == 0 {
        finish(conn, now).await?;
    }
    Ok(Some(added))
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Job {
    pub mailing_id: i64,
    pub subscriber_id: i64,
    pub email: String,
    pub token: String,
}

/// Claims up to `limit` pending sends for this node until `lease` seconds from now.
pub async fn claim(
    conn: &mut AnyConnection,
    node: &str,
    now: DateTime<Utc>,
    lease: i64,
    limit: i64,
) -> Result<Vec<Job>, StoreError> {
    let candidates: Vec<Job> = sqlx::query_as(
        "SELECT ms.mailing_id, ms.subscriber_id, s.email, s.token FROM mailing_sends ms \
         JOIN subscribers s ON s.id = ms.subscriber_id \
         WHERE ms.status = 'pending' ORDER BY ms.mailing_id, ms.subscriber_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut won = Vec::with_capacity(candidates.len());
    for job in candidates {
        // Whoever flips the row first sends it.
        let flipped = sqlx::query(
            "UPDATE mailing_sends SET status = 'sending', claimed_by = $3, claimed_until = $4 \
             WHERE mailing_id = $1 AND subscriber_id = $2 AND status = 'pending'",
        )
        .bind(job.mailing_id)
        .bind(job.subscriber_id)
        .bind(node)
        .bind(now.timestamp() + lease)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if flipped > 0 {
            won.push(job);
        }
    }
    Ok(won)
}

/// Records how one send went.
pub async fn record(
    conn: &mut AnyConnection,
    job: &Job,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE mailing_sends SET status = $3, error = $4, sent_at = $5 \
         WHERE mailing_id = $1 AND subscriber_id = $2 AND status = 'sending'",
    )
    .bind(job.mailing_id)
    .bind(job.subscriber_id)
    .bind(if error.is_some() { "failed" } else { "sent" })
    .bind(error.map(str::to_owned))
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks sends whose sender died mid-conversation as interrupted, and mailings with nothing
/// left to send as sent.
pub async fn tidy(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let interrupted = sqlx::query(
        "UPDATE mailing_sends SET status = 'interrupted', \
         error = 'the sending process stopped during the SMTP conversation' \
         WHERE status = 'sending' AND claimed_until < $1",
    )
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    finish(conn, now).await?;
    Ok(interrupted)
}

async fn finish(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE mailings SET status = 'sent', sent_at = $1 WHERE status = 'sending' AND NOT EXISTS \
         (SELECT 1 FROM mailing_sends ms WHERE ms.mailing_id = mailings.id \
          AND ms.status IN ('pending', 'sending'))",
    )
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts interrupted sends of a mailing back in the queue, on an editor's word.
pub async fn retry_interrupted(conn: &mut AnyConnection, id: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE mailing_sends SET status = 'pending', claimed_by = NULL, claimed_until = NULL \
         WHERE mailing_id = $1 AND status = 'interrupted'",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if done > 0 {
        sqlx::query("UPDATE mailings SET status = 'sending', sent_at = NULL WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await?;
    }
    Ok(done)
}

/// Sends of a mailing by status, as `(status, count)`.
pub async fn progress(conn: &mut AnyConnection, id: i64) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT status, COUNT(*) FROM mailing_sends WHERE mailing_id = $1 GROUP BY status ORDER BY status",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// Live articles of the window (optionally one section) with what a digest ranks them by.
pub async fn digest_candidates(
    conn: &mut AnyConnection,
    section_id: i64,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, StoreError> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT a.id, \
         CASE WHEN a.lead_at IS NOT NULL OR EXISTS \
           (SELECT 1 FROM alerts al WHERE al.article_id = a.id) THEN 1 ELSE 0 END, \
         CAST(COALESCE((SELECT SUM(v.views) FROM article_views v \
           WHERE v.article_id = a.id AND v.hour >= $1), 0) AS BIGINT), \
         a.published_at FROM articles a \
         WHERE a.status = 'published' AND a.published_at > $2 AND a.published_at <= $3 \
         AND ($4 = 0 OR a.section_id = $4)",
    )
    .bind(since.timestamp() / 3600)
    .bind(since.timestamp())
    .bind(now.timestamp())
    .bind(section_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, important, views, published)| Candidate {
            id,
            important: important != 0,
            views,
            published_at: DateTime::from_timestamp(published, 0).unwrap_or_default(),
        })
        .collect())
}

/// Queues an alert's e-mail to breaking-news subscribers of all sections and, for an article's
/// alert, of the article's section (in the alert's transaction).
pub async fn queue_alert(
    conn: &mut AnyConnection,
    alert_id: i64,
    text: &str,
    article_id: Option<i64>,
    user: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let section: Option<i64> = match article_id {
        Some(article) => sqlx::query_scalar("SELECT section_id FROM articles WHERE id = $1")
            .bind(article)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
        None => None,
    };
    let new = NewMailing {
        list: "breaking".into(),
        section_id: 0,
        edition: Some(format!("breaking:{alert_id}")),
        subject: format!("Breaking news: {text}"),
        intro: String::new(),
        article_ids: article_id.map(|id| id.to_string()).unwrap_or_default(),
        alert_id: Some(alert_id),
        send_at: None,
    };
    if let Some(id) = draft(conn, &new, Some(user), now).await? {
        let mut sections = vec![0];
        sections.extend(section);
        queue(conn, id, &sections, now).await?;
    }
    Ok(())
}

/// Whether the automatic draft with this edition key exists.
pub async fn edition_exists(conn: &mut AnyConnection, edition: &str) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM mailings WHERE edition = $1")
        .bind(edition)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}
