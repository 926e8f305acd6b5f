//! Ads: the slots pages have, what a campaign is, and which campaign fills a slot. Members never
//! get ad markup (the pages leave it out, so no ad request is made either).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::{FieldError, Zone, article::collapse_spaces};

/// Where an ad can appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Under the masthead on every page.
    Top,
    /// Inside an article, after its third paragraph.
    InArticle,
    /// Beside (on phones: after) the article.
    Sidebar,
    /// Between the cards of a list.
    List,
}

impl Slot {
    pub const ALL: [Slot; 4] = [Slot::Top, Slot::InArticle, Slot::Sidebar, Slot::List];

    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Top => "top",
            Slot::InArticle => "article",
            Slot::Sidebar => "sidebar",
            Slot::List => "list",
        }
    }

    pub fn parse(text: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Slot::Top => "Banner atas",
            Slot::InArticle => "Di dalam artikel",
            Slot::Sidebar => "Samping artikel",
            Slot::List => "Di antara daftar",
        }
    }

    /// The space kept for the slot (width, height in CSS pixels) so an ad never moves the page.
    pub fn size(self) -> (u32, u32) {
        match self {
            Slot::Top | Slot::List => (320, 100),
            Slot::InArticle | Slot::Sidebar => (300, 250),
        }
    }
}

/// A campaign as the admin's form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignEdit {
    pub name: String,
    pub slot: Slot,
    pub image_url: Option<String>,
    pub link_url: Option<String>,
    pub alt: String,
    pub html: Option<String>,
    pub allow_scripts: bool,
    /// Section slug; none for every page.
    pub section: Option<String>,
    pub weight: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// The campaign form as typed.
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    pub name: String,
    pub slot: String,
    pub image_url: String,
    pub link_url: String,
    pub alt: String,
    pub html: String,
    pub allow_scripts: bool,
    pub section: String,
    pub weight: String,
    pub starts: String,
    pub ends: String,
}

fn url_field(field: &'static str, text: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.starts_with("https://")
        || text.starts_with("http://")
        || crate::local_path::is_local(text)
    {
        Some(text.to_owned())
    } else {
        errors.push(FieldError::new(
            field,
            "alamat yang diawali https://, http:// atau /",
            "an address starting with https://, http:// or /",
        ));
        None
    }
}

impl CampaignInput {
    /// Reads the form in the site's zone, reporting every wrong field.
    pub fn parse(&self, zone: Zone, now: DateTime<Utc>) -> Result<CampaignEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = collapse_spaces(&self.name);
        if name.is_empty() || name.chars().count() > 120 {
            errors.push(FieldError::new(
                "name",
                "nama 1 sampai 120 karakter",
                "a name of 1 to 120 characters",
            ));
        }
        let slot = Slot::parse(&self.slot);
        if slot.is_none() {
            errors.push(FieldError::new(
                "slot",
                "pilih salah satu slot yang tersedia",
                "expected top, article, sidebar or list",
            ));
        }
        let image_url = url_field("image_url", &self.image_url, &mut errors);
        let link_url = url_field("link_url", &self.link_url, &mut errors);
        let html = Some(self.html.trim().to_owned()).filter(|h| !h.is_empty());
        if image_url.is_none() && html.is_none() {
            errors.push(FieldError::new(
                "image_url",
                "isi alamat gambar (dengan tautannya) atau potongan HTML",
                "a picture (with its link) or an HTML snippet",
            ));
        }
        if image_url.is_some() && link_url.is_none() {
            errors.push(FieldError::new(
                "link_url",
                "tautan tujuan gambar wajib diisi",
                "where the picture leads",
            ));
        }
        let weight = match self.weight.trim() {
            "" => 1,
            text => text
                .parse::<i64>()
                .ok()
                .filter(|w| (1..=100).contains(w))
                .unwrap_or_else(|| {
                    errors.push(FieldError::new(
                        "weight",
                        "isi bilangan bulat 1 sampai 100",
                        "a whole number from 1 to 100",
                    ));
                    1
                }),
        };
        let day = |field: &'static str, text: &str, end: bool, errors: &mut Vec<FieldError>| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let at = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    if end {
                        d.and_hms_opt(23, 59, 59)
                    } else {
                        d.and_hms_opt(0, 0, 0)
                    }
                })
                .and_then(|local| zone.offset().from_local_datetime(&local).single())
                .map(|at| at.with_timezone(&Utc));
            if at.is_none() {
                errors.push(FieldError::new(
                    field,
                    "isi tanggal, misalnya 2026-12-01",
                    "a date like 2026-12-01",
                ));
            }
            at
        };
        let starts_at = day("starts", &self.starts, false, &mut errors).unwrap_or(now);
        let ends_at = day("ends", &self.ends, true, &mut errors);
        if ends_at.is_some_and(|end| end <= starts_at) {
            errors.push(FieldError::new(
                "ends",
                "harus sesudah tanggal mulai",
                "after the start",
            ));
        }
        let section = Some(self.section.trim().to_owned()).filter(|s| !s.is_empty());
        match slot {
            Some(slot) if errors.is_empty() => Ok(CampaignEdit {
                name,
                slot,
                image_url,
                link_url,
                alt: collapse_spaces(&self.alt),
                html,
                allow_scripts: self.allow_scripts,
                section,
                weight,
                starts_at,
                ends_at,
            }),
            _ => Err(errors),
        }
    }
}

/// Picks one of `weights` in proportion to its weight, from a number in `0..total`.
pub fn pick_weighted(weights: &[i64], roll: u64) -> Option<usize> {
    let total: i64 = weights.iter().map(|w| (*w).max(0)).sum();
    if total <= 0 {
        return None;
    }
    let mut at = (roll % total.unsigned_abs()) as i64;
    for (i, w) in weights.iter().enumerate() {
        let w = (*w).max(0);
        if at < w {
            return Some(i);
        }
        at -= w;
    }
    None
}

/// An HTML snippet as pages may show it when the admin has not allowed third-party code:
/// scripts, frames, event handlers and `javascript:` links removed.
pub fn sanitize(html: &str) -> String {
    ammonia::clean(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaigns_are_read_or_refused_by_field() {
        let now = Utc::now();
        let input = CampaignInput {
            name: "Promo Kopi".into(),
            slot: "top".into(),
            image_url: "/media/abc/640.jpg".into(),
            link_url: "https://kopi.example".into(),
            weight: "3".into(),
            ends: "2099-01-01".into(),
            ..CampaignInput::default()
        };
        let edit = input.parse(Zone::Wib, now).unwrap();
        assert_eq!((edit.slot, edit.weight), (Slot::Top, 3));
        let bad = CampaignInput {
            slot: "popup".into(),
            image_url: "javascript:alert(1)".into(),
            weight: "0".into(),
            ..CampaignInput::default()
        };
        let fields: Vec<_> = bad
            .parse(Zone::Wib, now)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "slot", "image_url", "image_url", "weight"]);
        // "/\\host" is another site to a browser.
        let elsewhere = CampaignInput {
            link_url: "/\\evil.example/".into(),
            ..input.clone()
        };
        let errors = elsewhere.parse(Zone::Wib, now).unwrap_err();
        assert_eq!(errors[0].field, "link_url");
    }

    #[test]
    fn weights_share_the_rolls() {
        let weights = [1, 3];
        let picks: Vec<_> = (0..4)
            .map(|roll| pick_weighted(&weights, roll).unwrap())
            .collect();
        assert_eq!(picks, [0, 1, 1, 1]);
        assert_eq!(pick_weighted(&[], 5), None);
    }
}
