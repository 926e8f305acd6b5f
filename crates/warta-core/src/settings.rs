//! Site settings an admin changes from the browser: the publication's name, its tagline, its
//! time zone and its language. They are stored as key/value pairs and override the configuration file, so an
//! operator's `warta.toml` gives the starting point and the newsroom owns the rest.

use crate::{FieldError, Zone, article::collapse_spaces, i18n::Language};

/// The settings as the site uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    pub name: String,
    /// One line on what the publication is: the home page's description for search engines
    /// and link cards, and the site feed's. May be empty.
    pub tagline: String,
    pub zone: Zone,
    pub language: Language,
}

/// Longest site name accepted: it is printed in every dateline and title.
pub const MAX_SITE_NAME: usize = 60;
/// Longest tagline: search engines cut descriptions at about this length.
pub const MAX_TAGLINE: usize = 160;

/// The settings form as typed.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub name: String,
    pub tagline: String,
    pub zone: String,
    pub language: String,
}

impl SettingsInput {
    /// The settings the input describes, or every field that is wrong.
    pub fn parse(&self) -> Result<SiteSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = collapse_spaces(&self.name);
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "situs perlu nama",
                "the site needs a name",
            ));
        } else if name.chars().count() > MAX_SITE_NAME {
            errors.push(FieldError::too_long("name", MAX_SITE_NAME));
        }
        let tagline = collapse_spaces(&self.tagline);
        if tagline.chars().count() > MAX_TAGLINE {
            errors.push(FieldError::too_long("tagline", MAX_TAGLINE));
        }
        let zone = Zone::parse(&self.zone);
        if zone.is_none() {
            errors.push(FieldError::new(
                "zone",
                "pilih WIB, WITA atau WIT",
                "expected WIB, WITA or WIT",
            ));
        }
        let language = Language::parse(&self.language);
        if language.is_none() {
            errors.push(FieldError::new(
                "language",
                "pilih id atau en",
                "expected id or en",
            ));
        }
        match (zone, language) {
            (Some(zone), Some(language)) if errors.is_empty() => Ok(SiteSettings {
                name,
                tagline,
                zone,
                language,
            }),
            _ => Err(errors),
        }
    }
}

impl SiteSettings {
    /// The stored form: one pair per setting.
    pub fn pairs(&self) -> [(&'static str, String); 4] {
        [
            ("site_name", self.name.clone()),
            ("tagline", self.tagline.clone()),
            ("zone", self.zone.abbreviation().to_owned()),
            ("language", self.language.tag().to_owned()),
        ]
    }

    /// These settings with the stored pairs applied; unknown keys and unreadable values are
    /// ignored, so a value written by a newer version never stops the site.
    pub fn with_stored<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (key, value) in pairs {
            match key {
                "site_name" if !value.trim().is_empty() => self.name = value.trim().to_owned(),
                // Stored empty means the newsroom cleared it.
                "tagline" => self.tagline = value.trim().to_owned(),
                "zone" => self.zone = Zone::parse(value).unwrap_or(self.zone),
                "language" => self.language = Language::parse(value).unwrap_or(self.language),
                _ => {}
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reports_each_field() {
        let errors = SettingsInput {
            name: " ".into(),
            tagline: "x".repeat(MAX_TAGLINE + 1),
            zone: "PST".into(),
            language: "fr".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "tagline", "zone", "language"]);
    }

    #[test]
    fn stored_pairs_round_trip_and_override() {
        let base = SiteSettings {
            name: "Warta".into(),
            tagline: "Kabar dari Nusantara".into(),
            zone: Zone::Wib,
            language: Language::Id,
        };
        let chosen = SettingsInput {
            name: "  Kabar   Timur ".into(),
            tagline: "  Berita  dari timur ".into(),
            zone: "WIT".into(),
            language: "en".into(),
        }
        .parse()
        .unwrap();
        let pairs = chosen.pairs();
        let applied = base
            .clone()
            .with_stored(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(applied, chosen);
        assert_eq!(applied.name, "Kabar Timur");
        assert_eq!(applied.tagline, "Berita dari timur");
        let cleared = base.clone().with_stored([("tagline", "")]);
        assert_eq!(cleared.tagline, "", "a cleared tagline stays cleared");
        let ignored = base
            .clone()
            .with_stored([("zone", "Mars"), ("future", "x")]);
        assert_eq!(ignored, base);
    }
}
