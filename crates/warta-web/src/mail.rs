//! Outgoing e-mail: over SMTP with lettre when a server is configured (`smtp_url`), otherwise
//! into the data dir's `outbox/` and the log, so a local operator can still follow a
//! verification or reset link.

use std::path::PathBuf;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{ContentType, HeaderName, HeaderValue},
    },
    transport::smtp::PoolConfig,
};

use crate::AppError;

/// SMTP connections kept open at most. lettre writes a message's final "." in a write of its
/// own, which Nagle's algorithm holds until the server's delayed ACK (40 ms on Linux): each
/// connection manages about 25 messages a second however fast the server is, so throughput
/// comes from connections in parallel. 16 stays well under common per-client limits (Postfix
/// allows 50).
pub const SMTP_CONNECTIONS: u32 = 16;

/// One message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// An HTML alternative to `body` (newsletters).
    pub html: Option<String>,
    /// The one-click unsubscribe address (RFC 8058) for mail to a list.
    pub unsubscribe: Option<String>,
    /// A stable Message-ID, so a receiving server can recognise a repeat.
    pub message_id: Option<String>,
}

impl Mail {
    /// A plain message to one person.
    pub fn plain(to: String, subject: String, body: String) -> Mail {
        Mail {
            to,
            subject,
            body,
            html: None,
            unsubscribe: None,
            message_id: None,
        }
    }
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
                .pool_config(PoolConfig::new().max_size(SMTP_CONNECTIONS))
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
                let mut builder = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&mail.subject)
                    .message_id(mail.message_id.clone());
                if let Some(url) = &mail.unsubscribe {
                    builder = builder
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe"),
                            format!("<{url}>"),
                        ))
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                            "List-Unsubscribe=One-Click".to_owned(),
                        ));
                }
                let message = match &mail.html {
                    Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                        mail.body.clone(),
                        html.clone(),
                    )),
                    None => builder
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.body.clone()),
                }
                .map_err(|e| AppError::Internal(format!("building mail: {e}")))?;
                transport
                    .send(message)
                    .await
                    .map_err(|e| AppError::Internal(format!("SMTP: {e}")))?;
                tracing::debug!(to = %mail.to, subject = %mail.subject, "mail sent");
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
                let unsubscribe = mail.unsubscribe.as_ref().map_or_else(String::new, |url| {
                    format!(
                        "List-Unsubscribe: <{url}>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                    )
                });
                let text = format!(
                    "To: {}\r\nSubject: {}\r\nDate: {}\r\n{unsubscribe}Content-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
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
