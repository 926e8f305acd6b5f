//! Breaking news: what an alert is and how long it lasts. An editor marks an article as
//! breaking or writes a one-line alert; every page shows the newest live alert until an editor
//! ends it or its time runs out.

use chrono::{DateTime, Duration, Utc};

use crate::{FieldError, article::collapse_spaces};

/// Longest alert line: it must fit a phone's banner in two lines.
pub const MAX_ALERT: usize = 160;
/// How long an alert lasts when the editor does not say.
pub const DEFAULT_MINUTES: i64 = 120;
/// The longest an alert may last; breaking news that runs for days is a running story.
pub const MAX_MINUTES: i64 = 24 * 60;

/// A live or past alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub id: i64,
    pub text: String,
    /// Where the banner links: the article's page or the editor's URL.
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl Alert {
    /// Whether pages show it at `now`.
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && self.ends_at > now
    }
}

/// A new alert as an editor asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    pub text: String,
    pub url: Option<String>,
    pub ends_at: DateTime<Utc>,
}

impl NewAlert {
    /// Reads the alert form: the line, an optional link (a path on this site or an http(s)
    /// URL), and minutes to last (empty for the default).
    pub fn parse(
        text: &str,
        url: &str,
        minutes: &str,
        now: DateTime<Utc>,
    ) -> Result<NewAlert, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = collapse_spaces(text);
        if text.is_empty() {
            errors.push(FieldError::new(
                "text",
                "tulis baris peringatannya",
                "write the alert line",
            ));
        } else if text.chars().count() > MAX_ALERT {
            errors.push(FieldError::too_long("text", MAX_ALERT));
        }
        let url = url.trim();
        let url = if url.is_empty() {
            None
        } else if url.len() > crate::article::MAX_URL {
            errors.push(FieldError::too_long("url", crate::article::MAX_URL));
            None
        } else if crate::local_path::is_local(url)
            || url.starts_with("https://")
            || url.starts_with("http://")
        {
            Some(url.to_owned())
        } else {
            errors.push(FieldError::new(
                "url",
                "jalur di situs ini (/read/...) atau alamat yang diawali http:// atau https://",
                "a path on this site (/read/...) or an address starting with http:// or https://",
            ));
            None
        };
        let minutes = match minutes.trim() {
            "" => DEFAULT_MINUTES,
            text => match text.parse::<i64>() {
                Ok(m) if (1..=MAX_MINUTES).contains(&m) => m,
                _ => {
                    errors.push(FieldError::new(
                        "minutes",
                        format!("jumlah menit, bilangan bulat 1 sampai {MAX_MINUTES}"),
                        format!("a whole number of minutes from 1 to {MAX_MINUTES}"),
                    ));
                    DEFAULT_MINUTES
                }
            },
        };
        if errors.is_empty() {
            Ok(NewAlert {
                text,
                url,
                ends_at: now + Duration::minutes(minutes),
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_are_read_or_refused_by_field() {
        let now = Utc::now();
        let alert = NewAlert::parse(" Gempa  M6,2 guncang Maluku ", "/read/x", "", now).unwrap();
        assert_eq!(alert.text, "Gempa M6,2 guncang Maluku");
        assert_eq!(alert.ends_at, now + Duration::minutes(DEFAULT_MINUTES));
        let errors = NewAlert::parse("", "//evil.example", "0", now).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["text", "url", "minutes"]);
        let long = format!("https://contoh.id/{}", "a".repeat(3000));
        assert_eq!(
            NewAlert::parse("Gempa", &long, "", now).unwrap_err()[0].field,
            "url"
        );
        let live = Alert {
            id: 1,
            text: "x".into(),
            url: None,
            created_at: now,
            ends_at: now + Duration::minutes(1),
            ended_at: None,
        };
        assert!(live.live(now));
        assert!(!live.live(now + Duration::minutes(2)));
    }
}
