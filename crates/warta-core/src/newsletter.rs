//! Reader e-mail: the lists a reader can join (breaking news, daily and weekly digests, each for
//! all sections or chosen ones), how a digest picks its articles, and when the automatic drafts
//! are due.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};

use crate::{Zone, article::FieldError, i18n::Language};

/// A list a reader can join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Breaking,
    Daily,
    Weekly,
}

impl List {
    pub const ALL: [List; 3] = [List::Breaking, List::Daily, List::Weekly];
    /// Lists composed as digests.
    pub const DIGESTS: [List; 2] = [List::Daily, List::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            List::Breaking => "breaking",
            List::Daily => "daily",
            List::Weekly => "weekly",
        }
    }

    pub fn parse(text: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.as_str() == text.trim())
    }

    /// How far back a digest looks.
    pub fn window(self) -> Duration {
        match self {
            List::Weekly => Duration::days(7),
            List::Breaking | List::Daily => Duration::days(1),
        }
    }

    /// The name readers know the list by, in the site's language.
    pub fn label(self, language: Language) -> &'static str {
        language.catalog().newsletter.list(self)
    }
}

/// How many articles a digest holds.
pub const DIGEST_SIZE: usize = 10;

/// An article a digest may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    /// The editors' judgement: the lead story or a breaking article.
    pub important: bool,
    /// Views in the digest's window.
    pub views: i64,
    pub published_at: DateTime<Utc>,
}

/// The digest's articles, best first: what the editors marked important first, then the most
/// read, then the newest; at most `n`.
pub fn compose(mut candidates: Vec<Candidate>, n: usize) -> Vec<i64> {
    candidates.sort_by(|a, b| {
        b.important
            .cmp(&a.important)
            .then(b.views.cmp(&a.views))
            .then(b.published_at.cmp(&a.published_at))
            .then(b.id.cmp(&a.id))
    });
    candidates.into_iter().take(n).map(|c| c.id).collect()
}

/// The automatic draft that is due at `now`, as its edition key (`daily:2026-11-28:3`), when
/// the hour for drafting has come: daily from `hour` each day, weekly from `hour` on Mondays.
/// Keys are unique per list, day and section, so drafting twice is harmless.
pub fn due_edition(
    list: List,
    section_id: i64,
    now: DateTime<Utc>,
    zone: Zone,
    hour: u32,
) -> Option<String> {
    let local = zone.local(now);
    let day: NaiveDate = local.date_naive();
    let due = match list {
        List::Daily => local.hour() >= hour,
        List::Weekly => day.weekday() == Weekday::Mon && local.hour() >= hour,
        List::Breaking => false,
    };
    due.then(|| format!("{}:{day}:{section_id}", list.as_str()))
}

/// The subject of an automatic draft: "Ringkasan harian Ekonomi, 28/11/2026".
pub fn subject(list: List, section: Option<&str>, day: NaiveDate, language: Language) -> String {
    let label = list.label(language);
    match section {
        Some(section) => format!("{label} {section}, {}", day.format("%d/%m/%Y")),
        None => format!("{label}, {}", day.format("%d/%m/%Y")),
    }
}

/// "1,2,3" as ids, skipping what is not a number.
pub fn parse_ids(text: &str) -> Vec<i64> {
    text.split([',', ' ', '\n'])
        .filter_map(|t| t.trim().parse().ok())
        .collect()
}

/// Article numbers as an editor types them ("12, 7 3"), or an error naming the first that is
/// not a number: skipping it would drop an article from the mailing without a word.
pub fn read_ids(text: &str) -> Result<Vec<i64>, FieldError> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse().map_err(|_| {
                FieldError::new(
                    "article_ids",
                    format!("nomor artikel dipisah koma; {t:?} bukan angka"),
                    format!("article numbers separated by commas; {t:?} is not a number"),
                )
            })
        })
        .collect()
}

pub fn format_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, h, 0, 0).unwrap()
    }

    #[test]
    fn digests_put_the_editors_choice_first_then_the_most_read() {
        let c = |id, important, views, hour| Candidate {
            id,
            important,
            views,
            published_at: at(hour),
        };
        let picked = compose(
            vec![
                c(1, false, 10, 1),
                c(2, true, 0, 1),
                c(3, false, 50, 1),
                c(4, false, 10, 5),
            ],
            3,
        );
        assert_eq!(picked, [2, 3, 4]);
    }

    #[test]
    fn drafts_are_due_from_the_hour_in_the_site_zone() {
        // 28/11/2026 is a Saturday; 23:00 UTC is 06:00 WIB on Sunday the 29th.
        assert_eq!(due_edition(List::Daily, 0, at(22), Zone::Wib, 6), None);
        assert_eq!(
            due_edition(List::Daily, 0, at(23), Zone::Wib, 6).as_deref(),
            Some("daily:2026-11-29:0")
        );
        assert_eq!(due_edition(List::Weekly, 2, at(23), Zone::Wib, 6), None);
        let monday = Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap();
        assert_eq!(
            due_edition(List::Weekly, 2, monday, Zone::Wib, 6).as_deref(),
            Some("weekly:2026-11-30:2")
        );
        assert_eq!(due_edition(List::Breaking, 0, monday, Zone::Wib, 0), None);
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(
            subject(List::Daily, Some("Ekonomi"), day, Language::Id),
            "Ringkasan harian Ekonomi, 28/11/2026"
        );
        assert_eq!(parse_ids("3, 1,x,2"), [3, 1, 2]);
        assert_eq!(read_ids(" 3, 1\n2 ,").unwrap(), [3, 1, 2]);
        let refused = read_ids("12, 3x4").unwrap_err();
        assert_eq!(refused.field, "article_ids");
        assert!(refused.en.contains("\"3x4\""), "{}", refused.en);
        assert_eq!(format_ids(&[3, 1]), "3,1");
        assert_eq!(List::parse("weekly"), Some(List::Weekly));
        assert_eq!(List::parse("monthly"), None);
    }
}
