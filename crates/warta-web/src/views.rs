//! View structs: what templates and the API receive, built from core types. Templates never see
//! database rows, and formatting (stamps, URLs, escaping of JSON-LD) happens here once.

use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use warta_core::{
    FieldError, Zone,
    article::{Article, ArticleSummary, Named, Picture},
    body::{self, RelatedLink},
    import::record::{ArticleRecord, PersonRecord, RelatedRecord, StoryRecord},
};

use crate::{Site, media};

/// A desk form's refusals in the desk's language, each led by the label its field has on the
/// form (`labels` pairs field names with labels), so a list above the form says which field.
pub fn desk_errors(errors: &[FieldError], labels: &[(&str, &str)]) -> Vec<String> {
    errors
        .iter()
        .map(
            |e| match labels.iter().find(|(field, _)| *field == e.field) {
                Some((_, label)) => format!("{label}: {}", e.id),
                None => e.id.clone(),
            },
        )
        .collect()
}

/// A link with its text.
#[derive(Debug, Clone)]
pub struct Link {
    pub name: String,
    pub href: String,
}

pub fn section_href(slug: &str) -> String {
    format!("/kanal/{slug}")
}

pub fn tag_href(slug: &str) -> String {
    format!("/tag/{slug}")
}

pub fn author_href(slug: &str) -> String {
    format!("/penulis/{slug}")
}

fn link(named: &Named, href: fn(&str) -> String) -> Link {
    Link {
        name: named.name.clone(),
        href: href(&named.slug),
    }
}

/// A moment as the page shows it and as machines read it.
#[derive(Debug, Clone)]
pub struct Moment {
    /// `18/08/2022, 14:00 WIB`
    pub stamp: String,
    /// RFC 3339 with the zone's offset, for `<time datetime>`.
    pub machine: String,
}

impl Moment {
    pub fn new(at: DateTime<Utc>, zone: Zone) -> Moment {
        Moment {
            stamp: zone.stamp(at),
            machine: zone.rfc3339(at),
        }
    }
}

/// An article in a list.
#[derive(Debug, Clone)]
pub struct Card {
    pub headline: String,
    pub href: String,
    pub summary: String,
    pub published: Moment,
    pub section: Option<Link>,
    pub comments: i64,
}

impl Card {
    /// The card of `summary`, its time in the site's `zone` (one list never mixes zones).
    pub fn new(summary: &ArticleSummary, zone: Zone) -> Card {
        Card {
            headline: summary.headline.clone(),
            href: summary.path(),
            summary: summary.summary.clone(),
            published: Moment::new(summary.published_at, zone),
            section: summary.section.as_ref().map(|s| link(s, section_href)),
            comments: summary.comments,
        }
    }
}

/// A share target: a plain link, no third-party script.
#[derive(Debug, Clone)]
pub struct Share {
    pub label: &'static str,
    pub href: String,
    pub class: &'static str,
}

/// Everything the article page shows.
#[derive(Debug, Clone)]
pub struct ArticleView {
    pub headline: String,
    pub published: Moment,
    pub updated: Option<Moment>,
    pub authors: Vec<Link>,
    pub source: Option<warta_core::Source>,
    pub section: Option<Link>,
    pub tags: Vec<Link>,
    /// Sanitized at save time; dateline and related links spliced in here.
    pub body_html: String,
    pub canonical: String,
    pub share: Vec<Share>,
    pub json_ld: String,
    /// The newsroom's correction note, shown under the body.
    pub correction: Option<String>,
    pub picture: Option<PictureView>,
    /// Absolute URL of the largest picture variant, for social cards and structured data.
    pub image_url: Option<String>,
    /// The headline and summary search engines and social cards get.
    pub seo_title: String,
    pub seo_description: String,
    /// Automatic suggestions under the body ("Baca juga"), filled by the handler.
    pub read_also: Vec<Link>,
}

/// A hero picture with its `srcset`, sized so the page never shifts while it loads.
#[derive(Debug, Clone)]
pub struct PictureView {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: Option<String>,
}

impl PictureView {
    pub fn new(picture: &Picture) -> Option<PictureView> {
        let largest = *picture.widths.last()?;
        let url = |w: u32| media::variant_url(&picture.hero.image, w, &picture.extension);
        Some(PictureView {
            src: url(picture
                .widths
                .iter()
                .copied()
                .find(|w| *w >= 640)
                .unwrap_or(largest)),
            srcset: picture
                .widths
                .iter()
                .map(|w| format!("{} {w}w", url(*w)))
                .collect::<Vec<_>>()
                .join(", "),
            width: largest,
            height: u32::try_from(
                u64::from(picture.height) * u64::from(largest) / u64::from(picture.width.max(1)),
            )
            .unwrap_or(picture.height),
            caption: picture.hero.caption.clone(),
            credit: picture.hero.credit.clone(),
        })
    }

    /// The largest variant's path.
    pub fn largest(picture: &Picture) -> Option<String> {
        let largest = picture.widths.last()?;
        Some(media::variant_url(
            &picture.hero.image,
            *largest,
            &picture.extension,
        ))
    }
}

/// Everything but RFC 3986's unreserved characters is escaped in share-link parameters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

impl ArticleView {
    pub fn new(article: &Article, site: &Site) -> ArticleView {
        let canonical = format!("{}{}", site.base_url, article.path());
        let links: Vec<RelatedLink> = article
            .related
            .iter()
            .map(|r| RelatedLink {
                headline: r.headline.clone(),
                url: r.path.clone(),
            })
            .collect();
        let mut body_html = body::link_related(&article.body_html, &links);
        if let Some(city) = &article.dateline {
            body_html = body::with_dateline(
                &body_html,
                &body::escape(&format!("{city}, {} -", site.name)),
            );
        }
        let url = encode(&canonical);
        let text = encode(&article.headline);
        let share = vec![
            Share {
                label: "WhatsApp",
                class: "wa",
                href: format!("https://wa.me/?text={text}%20{url}"),
            },
            Share {
                label: "Facebook",
                class: "fb",
                href: format!("https://www.facebook.com/sharer/sharer.php?u={url}"),
            },
            Share {
                label: "X",
                class: "x",
                href: format!("https://x.com/intent/post?url={url}&text={text}"),
            },
            Share {
                label: "Telegram",
                class: "tg",
                href: format!("https://t.me/share/url?url={url}&text={text}"),
            },
            Share {
                label: site.language.catalog().email,
                class: "mail",
                href: format!("mailto:?subject={text}&body={url}"),
            },
        ];
        let image_url = article
            .picture
            .as_ref()
            .and_then(PictureView::largest)
            .map(|path| format!("{}{path}", site.base_url));
        ArticleView {
            picture: article.picture.as_ref().and_then(PictureView::new),
            seo_title: article
                .seo_title
                .clone()
                .unwrap_or_else(|| article.headline.clone()),
            seo_description: article
                .seo_description
                .clone()
                .unwrap_or_else(|| article.summary.clone()),
            json_ld: json_ld(article, site, &canonical, image_url.as_deref()),
            image_url,
            read_also: Vec::new(),
            headline: article.headline.clone(),
            published: Moment::new(article.published_at, site.zone),
            updated: article.updated_at.map(|at| Moment::new(at, site.zone)),
            authors: article
                .authors
                .iter()
                .map(|a| link(a, author_href))
                .collect(),
            source: article.source.clone(),
            section: article.section.as_ref().map(|s| link(s, section_href)),
            tags: article.tags.iter().map(|t| link(t, tag_href)).collect(),
            body_html,
            correction: article.correction.clone(),
            canonical,
            share,
        }
    }
}

/// Google's `NewsArticle` structured data, safe to embed in a `<script>` element.
/// schema.org `NewsArticle` for the article page. A typed struct rather than a
/// `serde_json::Value`: it is built on every uncached article render, and the map of a
/// `Value` cost an allocation per key.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    date_published: String,
    date_modified: String,
    author: Vec<PersonLd<'a>>,
    publisher: ThingLd<'a>,
    main_entity_of_page: WebPageLd<'a>,
    url: &'a str,
    in_language: &'static str,
    is_accessible_for_free: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[&'a str; 1]>,
    /// Google's paywalled-content markup: the part behind the paywall, by CSS selector.
    #[serde(skip_serializing_if = "Option::is_none")]
    has_part: Option<PaywallLd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct PersonLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

#[derive(serde::Serialize)]
struct ThingLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

#[derive(serde::Serialize)]
struct WebPageLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: &'a str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PaywallLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    is_accessible_for_free: bool,
    css_selector: &'static str,
}

fn json_ld(article: &Article, site: &Site, canonical: &str, image: Option<&str>) -> String {
    script_json(&NewsArticleLd {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &article.headline,
        description: &article.summary,
        date_published: site.zone.rfc3339(article.published_at),
        date_modified: site
            .zone
            .rfc3339(article.updated_at.unwrap_or(article.published_at)),
        author: article
            .authors
            .iter()
            .map(|a| PersonLd {
                kind: "Person",
                name: &a.name,
                url: format!("{}{}", site.base_url, author_href(&a.slug)),
            })
            .collect(),
        publisher: ThingLd {
            kind: "Organization",
            name: &site.name,
            url: &site.base_url,
        },
        main_entity_of_page: WebPageLd {
            kind: "WebPage",
            id: canonical,
        },
        url: canonical,
        in_language: site.language.tag(),
        is_accessible_for_free: !article.members_only,
        image: image.map(|image| [image]),
        has_part: article.members_only.then_some(PaywallLd {
            kind: "WebPageElement",
            is_accessible_for_free: false,
            css_selector: ".paywall",
        }),
        article_section: article.section.as_ref().map(|s| s.name.as_str()),
        keywords: article.tags.iter().map(|t| t.name.as_str()).collect(),
        dateline: article.dateline.as_deref(),
    })
}

/// The first paragraph of a rendered body: what non-members read of a members-only article.
pub fn teaser(body_html: &str) -> String {
    match body_html.find("</p>") {
        Some(end) => body_html[..end + "</p>".len()].to_owned(),
        None => String::new(),
    }
}

/// The API's form of the story `article` belongs to, its instalment numbered in `zone`.
pub fn story_record(
    story: &warta_store::stories::Story,
    article: &Article,
    zone: warta_core::Zone,
) -> StoryRecord {
    let start = story.start();
    StoryRecord {
        title: story.title.clone(),
        url: story.path(),
        slug: story.slug.clone(),
        summary: story.summary.clone(),
        series: start.is_some(),
        series_start: start,
        instalment_label: story.instalment_label.clone(),
        instalment: start
            .and_then(|start| warta_core::story::instalment(start, article.published_at, zone))
            .map(|n| warta_core::story::instalment_title(&story.instalment_label, n)),
    }
}

/// The API's article object as anyone may read it: members-only articles without their body.
pub fn public_record(article: &Article) -> ArticleRecord {
    let mut record = record(article);
    if article.members_only {
        record.body_html = record.body_html.as_deref().map(teaser);
        record.body_markdown = String::new();
    }
    record
}

/// The API's article object.
pub fn record(article: &Article) -> ArticleRecord {
    ArticleRecord {
        id: Some(article.id),
        slug: Some(article.slug.clone()),
        url: Some(article.path()),
        headline: article.headline.clone(),
        summary: article.summary.clone(),
        published_at: article.zone.local(article.published_at),
        updated_at: article.updated_at.map(|at| article.zone.local(at)),
        zone: Some(article.zone),
        authors: article
            .authors
            .iter()
            .map(|a| PersonRecord {
                name: a.name.clone(),
                url: Some(author_href(&a.slug)),
            })
            .collect(),
        source: article.source.clone(),
        dateline: article.dateline.clone(),
        section: article.section.as_ref().map(|s| s.name.clone()),
        tags: article.tags.iter().map(|t| t.name.clone()).collect(),
        body_html: Some(body::link_related(
            &article.body_html,
            &article
                .related
                .iter()
                .map(|r| RelatedLink {
                    headline: r.headline.clone(),
                    url: r.path.clone(),
                })
                .collect::<Vec<_>>(),
        )),
        body_markdown: article.body_markdown.clone(),
        correction: article.correction.clone(),
        hero: article.picture.as_ref().map(|p| p.hero.clone()),
        image_url: article.picture.as_ref().and_then(PictureView::largest),
        seo_title: article.seo_title.clone(),
        seo_description: article.seo_description.clone(),
        story: None,
        members_only: article.members_only.then_some(true),
        related: article
            .related
            .iter()
            .map(|r| RelatedRecord {
                headline: r.headline.clone(),
                url: r.path.clone(),
            })
            .collect(),
    }
}

/// Previous/next links of a paged list.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(base: &str, page: u32, has_next: bool) -> Pager {
        // A search's base already carries its query.
        let join = if base.contains('?') { '&' } else { '?' };
        let href = |n: u32| {
            if n <= 1 {
                base.to_owned()
            } else {
                format!("{base}{join}page={n}")
            }
        };
        Pager {
            page,
            previous: (page > 1).then(|| href(page - 1)),
            next: has_next.then(|| href(page + 1)),
        }
    }
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` written as JSON escapes,
/// so no text in it can close the script or, with `<!--<script`, make the HTML parser swallow
/// the rest of the page into it. They only occur inside strings, where the escapes mean the same.
pub fn script_json(data: &impl serde::Serialize) -> String {
    // Only maps, strings, numbers and booleans go in, which serialize without fail.
    let json = serde_json::to_string(data).unwrap_or_default();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::script_json;

    #[test]
    fn script_json_cannot_end_or_hide_the_page() {
        let json =
            script_json(&serde_json::json!({"headline": "Judul <!--<script> </script> & lagi"}));
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["headline"], "Judul <!--<script> </script> & lagi");
    }
}
