//! Outgoing e-mail. With no SMTP server configured, messages are written to the data dir's
//! `outbox/` and logged, so a local operator can still follow a verification or reset link.

use std::path::PathBuf;

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
}

impl Mailer {
    pub async fn send(&self, mail: &Mail) -> Result<(), AppError> {
        match self {
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
