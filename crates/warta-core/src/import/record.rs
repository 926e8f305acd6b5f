//! Warta's JSON article format: what the API returns and what `warta export` writes, read back
//! by `warta import`. Derived fields (`id`, `url`, `body_html`, `related`) are ignored on input.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    FieldError,
    article::{ArticleDraft, Hero, Source},
    story::StoryInput,
    zone::Zone,
};

/// A person in a byline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A "Baca juga" reference; `url` is null while no stored article has that headline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedRecord {
    pub headline: String,
    pub url: Option<String>,
}

/// One article in the API's JSON form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub headline: String,
    #[serde(default)]
    pub summary: String,
    pub published_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub updated_at: Option<DateTime<FixedOffset>>,
    /// Zone the times are shown in; derived from `published_at`'s offset when absent.
    #[serde(default)]
    pub zone: Option<Zone>,
    #[serde(default)]
    pub authors: Vec<PersonRecord>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub dateline: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub body_html: Option<String>,
    #[serde(default)]
    pub body_markdown: String,
    #[serde(default)]
    pub related: Vec<RelatedRecord>,
    /// A correction note, when the article was corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
    /// The hero picture by image key; the image itself must be uploaded to the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hero: Option<Hero>,
    /// The hero's largest variant as an absolute URL (ignored on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seo_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seo_description: Option<String>,
    /// The running story or series the article belongs to. On input the article joins the
    /// site's story with this slug, which is set up from these fields when the site has none;
    /// an article without `story` keeps the story it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<StoryRecord>,
    /// `true` for an article only members read in full. On input, absent keeps what the
    /// article has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_only: Option<bool>,
}

/// An article's story or series in the API: what its page names, and what another site needs
/// to set the story up again on import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryRecord {
    pub title: String,
    /// The story page's path (ignored on input).
    #[serde(default)]
    pub url: String,
    /// Taken from `url` when absent (records written before it was), else made from the title.
    #[serde(default)]
    pub slug: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Whether the story is a series with numbered instalments (ignored on input: a series is
    /// a story with `series_start`, and one without it comes in as a plain story).
    #[serde(default)]
    pub series: bool,
    /// Day 1 of a series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_start: Option<NaiveDate>,
    /// What precedes an instalment's number, e.g. "Hari Ke-".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instalment_label: String,
    /// "Hari Ke-176" for an instalment of a series (ignored on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instalment: Option<String>,
}

impl StoryRecord {
    /// The story this record sets up, checked as the newsroom's story form checks it.
    pub fn input(&self) -> Result<StoryInput, Vec<FieldError>> {
        let start = self
            .series_start
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let slug = match self.slug.trim() {
            "" => self.url.strip_prefix("/topik/").unwrap_or_default(),
            slug => slug,
        };
        StoryInput::parse(
            &self.title,
            slug,
            &self.summary,
            &start,
            &self.instalment_label,
        )
    }
}

/// A list of articles, as the API pages them and as export writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleList {
    pub items: Vec<ArticleRecord>,
    /// The next page's URL, or null on the last page.
    #[serde(default)]
    pub next: Option<String>,
}

impl ArticleRecord {
    /// The draft this record describes; validation happens in [`ArticleDraft::normalize`].
    pub fn into_draft(self) -> ArticleDraft {
        let zone = self
            .zone
            .or_else(|| Zone::from_offset_seconds(self.published_at.offset().local_minus_utc()))
            .unwrap_or_default();
        ArticleDraft {
            slug: self.slug,
            headline: self.headline,
            summary: self.summary,
            body_markdown: self.body_markdown,
            published_at: self.published_at.with_timezone(&Utc),
            updated_at: self.updated_at.map(|t| t.with_timezone(&Utc)),
            zone,
            authors: self.authors.into_iter().map(|a| a.name).collect(),
            source: self.source,
            dateline: self.dateline,
            section: self.section,
            tags: self.tags,
            correction: self.correction,
            hero: self.hero,
            seo_title: self.seo_title,
            seo_description: self.seo_description,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_record_becomes_a_draft_in_the_offsets_zone() {
        let record: ArticleRecord = serde_json::from_str(
            r#"{"headline":"Gempa di Ternate","published_at":"2026-11-20T10:00:00+09:00",
                "body_markdown":"Isi.","authors":[{"name":"Ani"}],"related":[{"headline":"X","url":null}]}"#,
        )
        .unwrap();
        let draft = record.into_draft();
        assert_eq!(draft.zone, Zone::Wit);
        assert_eq!(draft.authors, vec!["Ani"]);
        assert_eq!(draft.published_at.to_rfc3339(), "2026-11-20T01:00:00+00:00");
    }

    #[test]
    fn a_story_record_sets_up_the_story_its_fields_describe() {
        let story: StoryRecord = serde_json::from_str(
            r#"{"title":"Banjir Pesisir Terkini","series_start":"2026-11-01","instalment_label":"Hari Ke-"}"#,
        )
        .unwrap();
        let input = story.input().unwrap();
        assert_eq!(input.slug, "banjir-pesisir-terkini");
        assert_eq!(
            input.series_start,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        );
        assert_eq!(input.instalment_label, "Hari Ke-");

        let exported_before: StoryRecord = serde_json::from_str(
            r#"{"title":"Rangkuman Serangan","url":"/topik/rangkuman-hari-ke","series":true}"#,
        )
        .unwrap();
        assert_eq!(exported_before.input().unwrap().slug, "rangkuman-hari-ke");

        let untitled: StoryRecord = serde_json::from_str(r#"{"title":" "}"#).unwrap();
        let errors = untitled.input().unwrap_err();
        assert_eq!(errors[0].field, "title");
    }
}
