//! Outgoing e-mail: over SMTP with lettre when a server is configured (`smtp_url`), otherwise
//! into the data dir's `outbox/` and the log, so a local operator can still follow a
//! verification or reset link.

use std::path::PathBuf;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};

use crate::AppError;

/// One message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum Mailer {
    /// Files in a folder, one per message.
    Outbox(PathBuf),
    /// An SMTP server (`smtp://host:port`, `smtps://user:pass@host`, `...?tls=required`).
    Smtp {
        // Boxed: the transport is large and the outbox variant is small.
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

impl Mailer {
    /// SMTP for `url` (sending as `from`), or the outbox in `data_dir` when `url` is `None`.
    pub fn new(
        url: Option<&str>,
        from: &str,
        data_dir: &std::path::Path,
    ) -> Result<Mailer, String> {
        let Some(url) = url else {
            return Ok(Mailer::Outbox(data_dir.join("outbox")));
        };
        let transport = Box::new(
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| format!("smtp_url: {e}"))?
                .build(),
        );
        let from = from.parse::<Mailbox>().map_err(|e| {
            format!(
                "mail_from {from:?}: expected an address like \"Redaksi <redaksi@contoh.id>\": {e}"
            )
        })?;
        Ok(Mailer::Smtp { transport, from })
    }

    pub async fn send(&self, mail: &Mail) -> Result<(), AppError> {
        match self {
            Mailer::Smtp { transport, from } => {
                let to = mail
                    .to
                    .parse::<Mailbox>()
                    .map_err(|e| AppError::Internal(format!("recipient {}: {e}", mail.to)))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&mail.subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .map_err(|e| AppError::Internal(format!("building mail: {e}")))?;
                transport
                    .send(message)
                    .await
                    .map_err(|e| AppError::Internal(format!("SMTP: {e}")))?;
                tracing::info!(to = %mail.to, subject = %mail.subject, "mail sent");
                Ok(())
            }
            Mailer::Outbox(dir) => {
                let now = chrono::Utc::now();
                let safe_to: String = mail
                    .to
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-') {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let path = dir.join(format!("{}-{safe_to}.eml", now.format("%Y%m%dT%H%M%S%.9f")));
                let text = format!(
                    "To: {}\r\nSubject: {}\r\nDate: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
                    mail.to,
                    mail.subject,
                    now.to_rfc2822(),
                    mail.body
                );
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| AppError::Internal(format!("outbox {}: {e}", dir.display())))?;
                tokio::fs::write(&path, text)
                    .await
                    .map_err(|e| AppError::Internal(format!("outbox {}: {e}", path.display())))?;
                tracing::info!(to = %mail.to, subject = %mail.subject, path = %path.display(), "mail written to the outbox (no SMTP server configured)");
                Ok(())
            }
        }
    }
}
