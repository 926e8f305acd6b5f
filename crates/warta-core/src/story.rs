//! Running stories and series. A story ("Ukraina Terkini") gathers articles and short live
//! updates under one page with a pinned summary. A series ("Rangkuman Serangan Rusia ke
//! Ukraina") is a story with a start date: each article in it is an instalment whose number is
//! counted in days from that date in the site's zone, so "Hari Ke-175" never has to be typed
//! (or mistyped) by hand.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::{FieldError, Zone, article::collapse_spaces, slug};

/// Longest story title.
pub const MAX_TITLE: usize = 120;
/// Longest pinned summary.
pub const MAX_SUMMARY: usize = 4_000;
/// Longest live update: a few sentences, not an article.
pub const MAX_UPDATE: usize = 1_000;

/// A story as an editor describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryInput {
    pub title: String,
    pub slug: String,
    pub summary: String,
    /// Day 1 of a series; `None` for a story without numbered instalments.
    pub series_start: Option<NaiveDate>,
    /// What precedes the number, e.g. "Hari Ke-".
    pub instalment_label: String,
}

impl StoryInput {
    /// Reads the story form. The slug defaults to the title's; the start date is `YYYY-MM-DD`
    /// (what a date input sends) or `DD/MM/YYYY`.
    pub fn parse(
        title: &str,
        slug_text: &str,
        summary: &str,
        series_start: &str,
        label: &str,
    ) -> Result<StoryInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = collapse_spaces(title);
        if title.is_empty() {
            errors.push(FieldError::new(
                "title",
                "judul wajib diisi",
                "a title is required",
            ));
        } else if title.chars().count() > MAX_TITLE {
            errors.push(FieldError::too_long("title", MAX_TITLE));
        }
        let slug = match slug_text.trim() {
            "" => slug::slugify(&title),
            typed => typed.to_owned(),
        };
        if !title.is_empty() && !slug::is_slug(&slug) {
            errors.push(FieldError::new(
                "slug",
                "huruf kecil, angka dan tanda hubung, seperti ukraina-terkini",
                "lower-case letters, digits and hyphens, like ukraina-terkini",
            ));
        }
        let summary = summary.trim().replace("\r\n", "\n");
        if summary.chars().count() > MAX_SUMMARY {
            errors.push(FieldError::too_long("summary", MAX_SUMMARY));
        }
        let series_start = match series_start.trim() {
            "" => None,
            text => match parse_date(text) {
                Some(date) if crate::article::YEARS.contains(&date.year()) => Some(date),
                _ => {
                    errors.push(FieldError::new(
                        "series_start",
                        format!("tanggal seperti 2022-02-24 atau 24/02/2022, bukan {text:?}"),
                        format!("a date like 2022-02-24 or 24/02/2022, got {text:?}"),
                    ));
                    None
                }
            },
        };
        let instalment_label = collapse_spaces(label);
        if instalment_label.chars().count() > 40 {
            errors.push(FieldError::too_long("instalment_label", 40));
        }
        if errors.is_empty() {
            Ok(StoryInput {
                title,
                slug,
                summary,
                series_start,
                instalment_label,
            })
        } else {
            Err(errors)
        }
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

/// A live update as typed: its text and whether it is a key event.
pub fn parse_update(body: &str) -> Result<String, FieldError> {
    let body = body.trim().replace("\r\n", "\n");
    if body.is_empty() {
        return Err(FieldError::new(
            "body",
            "tulis kabar terbarunya",
            "write the update",
        ));
    }
    if body.chars().count() > MAX_UPDATE {
        return Err(FieldError::new(
            "body",
            format!(
                "paling banyak {MAX_UPDATE} karakter; berita yang lebih panjang jadikan artikel"
            ),
            format!("at most {MAX_UPDATE} characters; longer news is an article"),
        ));
    }
    Ok(body)
}

/// The instalment number of something published at `at`: day 1 is the start date itself, in
/// the site's zone. `None` before the series began.
pub fn instalment(start: NaiveDate, at: DateTime<Utc>, zone: Zone) -> Option<u32> {
    let day = zone.local(at).date_naive();
    let days = day.signed_duration_since(start).num_days();
    u32::try_from(days + 1).ok().filter(|n| *n >= 1)
}

/// "Hari Ke-175", or "#175" when the series has no label.
pub fn instalment_title(label: &str, number: u32) -> String {
    if label.is_empty() {
        format!("#{number}")
    } else if label.ends_with(['-', ' ']) {
        format!("{label}{number}")
    } else {
        format!("{label} {number}")
    }
}

/// The instalment's title where its headline does not already say it: "Hari Ke-5" before
/// "Rangkuman Hari Ke-5: ..." only repeats itself.
pub fn instalment_label_for(title: String, headline: &str) -> Option<String> {
    let headline = headline.to_lowercase();
    let wanted = title.to_lowercase();
    // "Hari Ke-5" is not said by "Hari Ke-50".
    let said = headline
        .match_indices(&wanted)
        .any(|(at, _)| !headline[at + wanted.len()..].starts_with(|c: char| c.is_ascii_digit()));
    (!said).then_some(title)
}

/// A summary's paragraphs (blank-line separated), each with its lines joined.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(collapse_spaces)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn instalments_count_days_from_the_start_in_the_site_zone() {
        let start = NaiveDate::from_ymd_opt(2022, 2, 24).unwrap();
        // 18/08/2022 14:00 WIB is day 176; day 175 was the day before.
        let at = Utc.with_ymd_and_hms(2022, 8, 18, 7, 0, 0).unwrap();
        assert_eq!(instalment(start, at, Zone::Wib), Some(176));
        let at = Utc.with_ymd_and_hms(2022, 8, 17, 3, 0, 0).unwrap();
        assert_eq!(instalment(start, at, Zone::Wib), Some(175));
        // 17:30 UTC on the 16th is already the 17th in Jakarta.
        let at = Utc.with_ymd_and_hms(2022, 8, 16, 17, 30, 0).unwrap();
        assert_eq!(instalment(start, at, Zone::Wib), Some(175));
        let before = Utc.with_ymd_and_hms(2022, 2, 23, 3, 0, 0).unwrap();
        assert_eq!(instalment(start, before, Zone::Wib), None);
        let first = Utc.with_ymd_and_hms(2022, 2, 24, 0, 0, 0).unwrap();
        assert_eq!(instalment(start, first, Zone::Wit), Some(1));
        assert_eq!(instalment_title("Hari Ke-", 175), "Hari Ke-175");
        assert_eq!(instalment_title("Bagian", 3), "Bagian 3");
        assert_eq!(instalment_title("", 3), "#3");
    }

    #[test]
    fn a_headline_that_names_its_instalment_is_not_prefixed_again() {
        let label = |headline| instalment_label_for("Hari Ke-5".to_owned(), headline);
        assert_eq!(label("Rangkuman Hari ke-5: Jembatan Dibuka"), None);
        assert_eq!(label("Jembatan Dibuka"), Some("Hari Ke-5".to_owned()));
        assert_eq!(label("Rangkuman Hari Ke-50"), Some("Hari Ke-5".to_owned()));
    }

    #[test]
    fn the_story_form_says_what_is_wrong() {
        let story = StoryInput::parse("Ukraina  Terkini", "", "Ringkas.\n\nLagi.", "", "").unwrap();
        assert_eq!(story.slug, "ukraina-terkini");
        assert_eq!(story.series_start, None);
        let series =
            StoryInput::parse("Rangkuman", "rangkuman", "", "24/02/2022", "Hari Ke-").unwrap();
        assert_eq!(series.series_start, NaiveDate::from_ymd_opt(2022, 2, 24));
        assert!(StoryInput::parse("Rangkuman", "", "", "0000-01-01", "Hari Ke-").is_err());
        let errors = StoryInput::parse("", "Bukan Slug", "", "kemarin", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "series_start"]);
        let errors = StoryInput::parse("Judul", "Bukan Slug", "", "", "").unwrap_err();
        assert_eq!(errors[0].field, "slug");
        assert!(parse_update("  ").is_err());
        assert!(parse_update(&"a".repeat(MAX_UPDATE + 1)).is_err());
        assert_eq!(
            parse_update(" Sirene \r\nberbunyi ").unwrap(),
            "Sirene \nberbunyi"
        );
        assert_eq!(
            paragraphs("Satu\ndua.\n\n\n\nTiga."),
            ["Satu dua.", "Tiga."]
        );
    }
}
