//! An article as the newsroom hands it over, before the store gives it an id.

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use crate::{body, slug, zone::Zone};

/// Where a story came from ("Sumber"): a wire service or another publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Shown after "Sumber", e.g. "Guardian".
    pub name: String,
    /// Linked when known.
    pub url: Option<String>,
}

/// The picture at the top of an article, with what is printed under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hero {
    /// The uploaded image's key (see `warta_store::images`).
    pub image: String,
    /// Shown under the picture and used as its alternative text.
    pub caption: String,
    /// The photographer or agency ("Foto: ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// A hero as a page shows it: the image's size and resized widths come from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub hero: Hero,
    pub width: u32,
    pub height: u32,
    /// Widths of the resized variants, ascending.
    pub widths: Vec<u32>,
    /// File extension of the variants: "jpg", or "png" for pictures with transparency.
    pub extension: String,
}

/// Everything needed to store an article. Imports, the API and (later) the newsroom editor all
/// produce one of these, so validation lives here once.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleDraft {
    /// URL slug; derived from the headline when absent.
    pub slug: Option<String>,
    pub headline: String,
    /// The lead shown in lists and as the meta description; derived from the body when empty.
    pub summary: String,
    /// The body in Markdown; paragraphs that read `Baca juga: <headline>` are related links.
    pub body_markdown: String,
    pub published_at: DateTime<Utc>,
    /// Set when the article was changed after publishing ("Diperbarui").
    pub updated_at: Option<DateTime<Utc>>,
    /// The zone the article's times are shown in.
    pub zone: Zone,
    /// Author names ("Penulis"), in byline order.
    pub authors: Vec<String>,
    pub source: Option<Source>,
    /// The dateline city, upper-case as printed: "KYIV".
    pub dateline: Option<String>,
    /// Section name, e.g. "Internasional".
    pub section: Option<String>,
    pub tags: Vec<String>,
    /// A correction note shown under the article ("Koreksi: ...").
    pub correction: Option<String>,
    pub hero: Option<Hero>,
    /// What search engines and social cards show instead of the headline and summary.
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
}

/// One field that failed validation, with what was expected, said so a person can act on it:
/// in Indonesian for the newsroom's desk and in English for the API, the command line and
/// the logs (a validation message is read by whoever sent the field, in the language of the
/// door they came in by).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {en}")]
pub struct FieldError {
    pub field: &'static str,
    /// What is expected, in Indonesian.
    pub id: String,
    /// The same in English.
    pub en: String,
}

impl FieldError {
    pub fn new(field: &'static str, id: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field,
            id: id.into(),
            en: en.into(),
        }
    }

    /// "at most 120 characters", the most common refusal.
    pub fn too_long(field: &'static str, max: usize) -> Self {
        FieldError::new(
            field,
            format!("paling banyak {max} karakter"),
            format!("at most {max} characters"),
        )
    }
}

/// Longest headline accepted; print headlines are far shorter, this only stops garbage.
pub const MAX_HEADLINE: usize = 300;
/// Longest summary kept; derived summaries are cut to this at a word boundary.
pub const MAX_SUMMARY: usize = 300;
/// Longest name of an author, tag, section or source.
pub const MAX_NAME: usize = 120;
/// Largest body, in bytes of Markdown: about 150,000 words, far beyond any article, and small
/// enough that a pasted file by mistake is refused rather than rendered on every save.
pub const MAX_BODY: usize = 1024 * 1024;
/// Longest source address.
pub const MAX_URL: usize = 2048;
/// Most authors and most tags on one article: far above any newsroom's use, so an imported
/// archive's article saves again unchanged.
pub const MAX_NAMES: usize = 100;
/// Publish years an article may carry: archives go back to the first newspapers (the Indies'
/// first, Bataviasche Nouvelles, is from 1744), and a year like 0000 (a form's blank date)
/// makes addresses and sitemaps nobody can use.
pub const YEARS: std::ops::RangeInclusive<i32> = 1600..=2200;

impl ArticleDraft {
    /// Checks every field and returns all problems at once, so a form can show them together.
    /// Also fills what can be derived (slug, summary) and trims whitespace.
    pub fn normalize(mut self) -> Result<ArticleDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        self.headline = collapse_spaces(&self.headline);
        if self.headline.is_empty() {
            errors.push(FieldError::new(
                "headline",
                "judul wajib diisi",
                "a headline is required",
            ));
        } else if self.headline.chars().count() > MAX_HEADLINE {
            errors.push(FieldError::too_long("headline", MAX_HEADLINE));
        }
        match self.slug.as_deref().map(str::trim) {
            Some(given) if !given.is_empty() => {
                if !slug::is_slug(given) {
                    errors.push(FieldError::new(
                        "slug",
                        "hanya huruf kecil, angka dan tanda hubung (tidak berurutan, tidak di awal atau akhir), paling banyak 80 karakter",
                        "lower-case letters, digits and single hyphens only, at most 80 characters",
                    ));
                }
                self.slug = Some(given.to_owned());
            }
            _ => self.slug = Some(slug::slugify(&self.headline)),
        }
        if self.body_markdown.trim().is_empty() {
            errors.push(FieldError::new(
                "body_markdown",
                "isi berita masih kosong",
                "the body is empty",
            ));
        } else if self.body_markdown.len() > MAX_BODY {
            errors.push(FieldError::new(
                "body_markdown",
                format!("isi berita paling banyak {} KB", MAX_BODY / 1024),
                format!("the body has at most {} KB", MAX_BODY / 1024),
            ));
        }
        if !YEARS.contains(&self.published_at.year()) {
            errors.push(FieldError::new(
                "published_at",
                format!("tahun terbit antara {} dan {}", YEARS.start(), YEARS.end()),
                format!(
                    "the year must be between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
        self.summary = collapse_spaces(&self.summary);
        if self.summary.is_empty() {
            self.summary = body::summary_from_markdown(&self.body_markdown, MAX_SUMMARY);
        } else if self.summary.chars().count() > MAX_SUMMARY {
            errors.push(FieldError::too_long("summary", MAX_SUMMARY));
        }
        if self
            .updated_at
            .is_some_and(|updated| updated < self.published_at)
        {
            errors.push(FieldError::new(
                "updated_at",
                "tidak boleh lebih awal dari waktu terbit",
                "cannot be earlier than published_at",
            ));
        }
        self.correction = self
            .correction
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if self
            .correction
            .as_ref()
            .is_some_and(|c| c.chars().count() > 1000)
        {
            errors.push(FieldError::too_long("correction", 1000));
        }
        self.hero = self
            .hero
            .take()
            .and_then(|hero| clean_hero(hero, &mut errors));
        self.seo_title = optional_text("seo_title", self.seo_title.take(), 120, &mut errors);
        self.seo_description = optional_text(
            "seo_description",
            self.seo_description.take(),
            MAX_SUMMARY,
            &mut errors,
        );
        self.authors = clean_names("authors", self.authors, &mut errors);
        self.tags = clean_names("tags", self.tags, &mut errors);
        self.section = self
            .section
            .map(|s| collapse_spaces(&s))
            .filter(|s| !s.is_empty());
        if self
            .section
            .as_ref()
            .is_some_and(|s| s.chars().count() > MAX_NAME)
        {
            errors.push(FieldError::too_long("section", MAX_NAME));
        }
        self.dateline = self
            .dateline
            .map(|d| collapse_spaces(&d).to_uppercase())
            .filter(|d| !d.is_empty());
        if self
            .dateline
            .as_ref()
            .is_some_and(|d| d.chars().count() > 60)
        {
            errors.push(FieldError::too_long("dateline", 60));
        }
        if let Some(source) = self.source.take() {
            let name = collapse_spaces(&source.name);
            let url = source
                .url
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty());
            if url
                .as_ref()
                .is_some_and(|url| !(url.starts_with("https://") || url.starts_with("http://")))
            {
                errors.push(FieldError::new(
                    "source.url",
                    "harus diawali http:// atau https://",
                    "must start with http:// or https://",
                ));
            } else if url.as_ref().is_some_and(|url| url.len() > MAX_URL) {
                errors.push(FieldError::too_long("source.url", MAX_URL));
            }
            if name.is_empty() {
                if url.is_some() {
                    errors.push(FieldError::new(
                        "source.name",
                        "sumber yang punya URL perlu nama",
                        "a source with a URL needs a name",
                    ));
                }
            } else if name.chars().count() > MAX_NAME {
                errors.push(FieldError::too_long("source.name", MAX_NAME));
            } else {
                self.source = Some(Source { name, url });
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

/// A hero without an image is no hero; with one, its key must look like a key and its texts fit.
fn clean_hero(hero: Hero, errors: &mut Vec<FieldError>) -> Option<Hero> {
    let image = hero.image.trim().to_owned();
    let caption = collapse_spaces(&hero.caption);
    let credit = optional_text("hero.credit", hero.credit, MAX_NAME, errors);
    if image.is_empty() {
        if !caption.is_empty() {
            errors.push(FieldError::new(
                "hero.image",
                "keterangan foto perlu foto; unggah foto atau kosongkan keterangannya",
                "a caption needs an image; upload one or clear the caption",
            ));
        }
        return None;
    }
    if !is_image_key(&image) {
        errors.push(FieldError::new(
            "hero.image",
            "harus kunci foto yang sudah diunggah (24 karakter heksadesimal)",
            "expected the key of an uploaded image (24 hexadecimal characters)",
        ));
    }
    if caption.chars().count() > MAX_SUMMARY {
        errors.push(FieldError::too_long("hero.caption", MAX_SUMMARY));
    }
    Some(Hero {
        image,
        caption,
        credit,
    })
}

/// Image keys are the first 24 hex digits of the SHA-256 of the uploaded bytes.
pub fn is_image_key(key: &str) -> bool {
    key.len() == 24 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Trims an optional one-line text; empty becomes none; longer than `max` is an error.
fn optional_text(
    field: &'static str,
    text: Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let text = collapse_spaces(text.as_deref().unwrap_or_default());
    if text.chars().count() > max {
        errors.push(FieldError::too_long(field, max));
    }
    (!text.is_empty()).then_some(text)
}

/// Trims names, drops empty ones and duplicates (keeping the first), and checks their length.
fn clean_names(
    field: &'static str,
    names: Vec<String>,
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = collapse_spaces(&name);
        if name.is_empty() || kept.iter().any(|k| k.eq_ignore_ascii_case(&name)) {
            continue;
        }
        if name.chars().count() > MAX_NAME {
            errors.push(FieldError::new(
                field,
                format!("masing-masing paling banyak {MAX_NAME} karakter"),
                format!("each at most {MAX_NAME} characters"),
            ));
            continue;
        }
        kept.push(name);
    }
    if kept.len() > MAX_NAMES {
        errors.push(FieldError::new(
            field,
            format!("paling banyak {MAX_NAMES}"),
            format!("at most {MAX_NAMES}"),
        ));
    }
    kept
}

/// Trims and folds runs of white space into single spaces; control characters count as space
/// (they have no business in a name or headline, and the store uses two as separators).
pub fn collapse_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_is_dated_in_the_articles_zone() {
        let at = DateTime::parse_from_rfc3339("2022-08-17T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            article_path("kyiv", at, Zone::Wib),
            "/read/2022/08/18/kyiv",
            "00:30 WIB is already the next day"
        );
        let early = DateTime::parse_from_rfc3339("2026-01-05T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(article_path("a", early, Zone::Wit), "/read/2026/01/05/a");
    }

    fn draft() -> ArticleDraft {
        ArticleDraft {
            slug: None,
            headline: "  Banjir   Rendam Tiga Kecamatan ".into(),
            summary: String::new(),
            body_markdown: "Air naik sejak *Senin* malam. Warga mengungsi.".into(),
            published_at: Utc::now(),
            updated_at: None,
            zone: Zone::Wita,
            authors: vec![" Rina ".into(), "rina".into(), "".into()],
            source: Some(Source {
                name: " ".into(),
                url: None,
            }),
            dateline: Some("banjarmasin".into()),
            section: Some("Regional".into()),
            tags: vec!["Banjir".into()],
            correction: None,
            hero: None,
            seo_title: None,
            seo_description: None,
        }
    }

    #[test]
    fn normalize_derives_and_trims() {
        let d = draft().normalize().unwrap();
        assert_eq!(d.headline, "Banjir Rendam Tiga Kecamatan");
        assert_eq!(collapse_spaces("a\u{1f}b\u{1e} c\n"), "a b c");
        assert_eq!(d.slug.as_deref(), Some("banjir-rendam-tiga-kecamatan"));
        assert_eq!(d.summary, "Air naik sejak Senin malam. Warga mengungsi.");
        assert_eq!(d.authors, vec!["Rina"]);
        assert_eq!(d.source, None);
        assert_eq!(d.dateline.as_deref(), Some("BANJARMASIN"));
    }

    #[test]
    fn normalize_reports_every_bad_field() {
        let mut d = draft();
        d.headline = " ".into();
        d.slug = Some("Bad Slug".into());
        d.body_markdown = "\n".into();
        d.source = Some(Source {
            name: "X".into(),
            url: Some("ftp://x".into()),
        });
        let errors = d.normalize().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["headline", "slug", "body_markdown", "source.url"]
        );
        // The desk reads them in Indonesian, the API and the command line in English.
        assert_eq!(errors[0].id, "judul wajib diisi");
        assert_eq!(errors[0].en, "a headline is required");
        assert_eq!(errors[0].to_string(), "headline: a headline is required");
    }

    #[test]
    fn sizes_counts_and_years_have_limits() {
        let mut d = draft();
        d.body_markdown = "kata ".repeat(MAX_BODY / 5 + 1);
        d.published_at = "0000-01-01T00:00:00Z".parse().unwrap();
        d.tags = (0..=MAX_NAMES).map(|n| format!("Tag {n}")).collect();
        d.source = Some(Source {
            name: "X".into(),
            url: Some(format!("https://x.id/{}", "a".repeat(MAX_URL))),
        });
        let errors = d.normalize().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["body_markdown", "published_at", "tags", "source.url"]
        );
        assert_eq!(errors[1].en, "the year must be between 1600 and 2200");
    }

    #[test]
    fn too_long_says_the_limit_in_both_languages() {
        let mut d = draft();
        d.dateline = Some("K".repeat(61));
        let errors = d.normalize().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].id, "paling banyak 60 karakter");
        assert_eq!(errors[0].en, "at most 60 characters");
    }
}

/// A named thing with its own page: an author, a section or a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub slug: String,
}

/// A stored "Baca juga" reference: the headline as written and the article it resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedRef {
    pub headline: String,
    /// The target's path, once an article with that headline is stored.
    pub path: Option<String>,
}

/// A published article as the reader site shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub summary: String,
    pub body_markdown: String,
    /// Sanitized HTML with related-reference markers (see [`crate::body::render`]).
    pub body_html: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub zone: Zone,
    pub authors: Vec<Named>,
    pub source: Option<Source>,
    pub dateline: Option<String>,
    pub section: Option<Named>,
    pub tags: Vec<Named>,
    pub related: Vec<RelatedRef>,
    pub correction: Option<String>,
    pub picture: Option<Picture>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    /// Only members read the whole body; others get the lead and an invitation.
    pub members_only: bool,
}

impl Article {
    /// The article page's path.
    pub fn path(&self) -> String {
        article_path(&self.slug, self.published_at, self.zone)
    }
}

/// An article in a list: enough for a headline, a lead and a time.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSummary {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub zone: Zone,
    pub section: Option<Named>,
    /// Visible reader comments.
    pub comments: i64,
}

impl ArticleSummary {
    /// The article page's path.
    pub fn path(&self) -> String {
        article_path(&self.slug, self.published_at, self.zone)
    }
}

/// `/read/YYYY/MM/DD/slug`, dated in the zone the article was written in (pages print times in
/// the site's zone, so near midnight across zones the two dates can differ by a day; the path
/// stays as it was, since a changed path would move every such article).
/// (Plain integer formatting: a `%Y/%m/%d` format string is parsed again on every call, and a
/// page builds a dozen paths.)
pub fn article_path(slug: &str, published_at: DateTime<Utc>, zone: Zone) -> String {
    let local = zone.local(published_at);
    format!(
        "/read/{:04}/{:02}/{:02}/{slug}",
        local.year(),
        local.month(),
        local.day()
    )
}
