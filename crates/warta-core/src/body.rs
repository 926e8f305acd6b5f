//! Article bodies: Markdown in, sanitized HTML out, with "Baca juga" paragraphs kept as
//! references that are linked when the page is shown (the article they name may arrive later).

use std::fmt::Write as _;

use pulldown_cmark::{Event, Options, Parser, TagEnd, html};

/// The version of [`render`]'s output: bump it when the same Markdown renders differently, and
/// the bodies stored by the older version are rendered again when the site starts (see
/// `warta_store::articles::render_stale_bodies`).
pub const RENDERER: &str = "2";

/// The label that starts a related-article paragraph, as the newsroom writes it.
pub const RELATED_LABEL: &str = "Baca juga";

/// A body rendered once at save time. `html` is sanitized and holds one marker per related
/// reference, so showing a page is string splicing, not Markdown work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    pub html: String,
    /// Headlines named by "Baca juga" paragraphs, in order; marker `n` refers to `related[n]`.
    pub related: Vec<String>,
}

/// Where a related reference points once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedLink {
    pub headline: String,
    /// The target page's path; `None` while no stored article has that headline.
    pub url: Option<String>,
}

const MARKER_OPEN: &str = "<!--baca-juga:";
const MARKER_CLOSE: &str = "-->";

/// The headline of a `Baca juga: <headline>` paragraph, if `block` is one.
pub fn related_headline(block: &str) -> Option<&str> {
    let block = block.trim();
    let prefix = block.get(..RELATED_LABEL.len())?;
    if !prefix.eq_ignore_ascii_case(RELATED_LABEL) {
        return None;
    }
    let rest = block[RELATED_LABEL.len()..].trim_start();
    let headline = rest.strip_prefix(':')?.trim();
    (!headline.is_empty() && !headline.contains('\n')).then_some(headline)
}

/// Renders `markdown` to sanitized HTML. Raw HTML in the Markdown is sanitized by ammonia, so
/// imported or user-written text can never inject script.
pub fn render(markdown: &str) -> RenderedBody {
    let mut html_out = String::with_capacity(markdown.len() + markdown.len() / 4);
    let mut related = Vec::new();
    let mut pending = String::new();
    for block in blocks(markdown) {
        if let Some(headline) = related_headline(block) {
            flush(&mut pending, &mut html_out);
            let _ = write!(html_out, "{MARKER_OPEN}{}{MARKER_CLOSE}", related.len());
            related.push(headline.to_owned());
        } else {
            if !pending.is_empty() {
                pending.push_str("\n\n");
            }
            pending.push_str(block);
        }
    }
    flush(&mut pending, &mut html_out);
    RenderedBody {
        html: html_out,
        related,
    }
}

/// Splits Markdown into blank-line separated blocks.
fn blocks(markdown: &str) -> impl Iterator<Item = &str> {
    markdown
        .split("\n\n")
        .flat_map(|chunk| chunk.split("\r\n\r\n"))
        .map(|b| b.trim_matches(|c| c == '\n' || c == '\r'))
        .filter(|b| !b.trim().is_empty())
}

fn flush(pending: &mut String, out: &mut String) {
    if pending.is_empty() {
        return;
    }
    let parser = Parser::new_ext(
        pending,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    );
    let mut raw = String::with_capacity(pending.len() * 2);
    html::push_html(&mut raw, parser);
    out.push_str(&for_the_page(&ammonia::clean(&raw)));
    pending.clear();
}

/// Sanitized body HTML fitted to its page: the headline is the page's one `h1`, so a body's
/// own first-level headings (`# X`, or `<h1>` in pasted HTML) become intertitles, and a picture
/// without alternative text gets an empty one (decorative) rather than a screen reader
/// spelling out its file name. Works on ammonia's output, where `<` starts a tag and nothing
/// else (text is escaped).
fn for_the_page(clean: &str) -> String {
    let mut out = String::with_capacity(clean.len() + 16);
    let mut rest = clean;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let end = tag_end(tag);
        let inner = &tag[1..end];
        // The name runs to the first space, `>` or self-closing `/` (a closing tag's own `/`
        // comes first and belongs to it).
        let name_len = inner
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(inner.len(), |(i, _)| i);
        let (name, attributes) = inner.split_at(name_len);
        match name {
            "h1" => out.push_str("<h2"),
            "/h1" => out.push_str("</h2"),
            "img" if !has_attribute(attributes, "alt") => out.push_str("<img alt=\"\""),
            _ => out.push_str(&tag[..1 + name.len()]),
        }
        out.push_str(attributes);
        rest = &tag[end..];
    }
    out.push_str(rest);
    out
}

/// Length of the tag `tag` starts with, up to and including its `>` (quotes respected).
fn tag_end(tag: &str) -> usize {
    let mut quote = None;
    for (i, c) in tag.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    tag.len()
}

/// Whether a tag's attribute text (after its name) has attribute `name`, outside quoted values.
fn has_attribute(attributes: &str, name: &str) -> bool {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in attributes.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, _) if previous.is_ascii_whitespace() && attributes[i..].starts_with(name) => {
                let after = attributes[i + name.len()..].chars().next();
                if matches!(after, Some('=' | '>' | '/') | None)
                    || after.is_some_and(|c| c.is_ascii_whitespace())
                {
                    return true;
                }
            }
            _ => {}
        }
        previous = c;
    }
    false
}

/// Replaces each marker with its paragraph: a link when the reference is resolved, plain text
/// otherwise. `links[n]` belongs to marker `n`; a marker without an entry is dropped.
pub fn link_related(html_in: &str, links: &[RelatedLink]) -> String {
    let mut out = String::with_capacity(html_in.len() + links.len() * 160);
    let mut rest = html_in;
    while let Some(start) = rest.find(MARKER_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARKER_OPEN.len()..];
        let Some(end) = after.find(MARKER_CLOSE) else {
            rest = after;
            continue;
        };
        if let Some(link) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|n| links.get(n))
        {
            let headline = escape(&link.headline);
            match &link.url {
                Some(url) => {
                    let _ = writeln!(
                        out,
                        "<p class=\"baca-juga\">{RELATED_LABEL}: <a href=\"{}\">{headline}</a></p>",
                        escape(url)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "<p class=\"baca-juga\">{RELATED_LABEL}: {headline}</p>"
                    );
                }
            }
        }
        rest = &after[end + MARKER_CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

/// Puts the dateline ("KYIV, Lintas Kabar -") at the start of the first paragraph, as print
/// does. `dateline_html` must already be escaped.
pub fn with_dateline(body_html: &str, dateline_html: &str) -> String {
    match body_html.find("<p>") {
        Some(at) if body_html[..at].trim().is_empty() => {
            let split = at + "<p>".len();
            format!(
                "{}<strong class=\"dateline\">{dateline_html}</strong> {}",
                &body_html[..split],
                &body_html[split..]
            )
        }
        _ => format!("<p><strong class=\"dateline\">{dateline_html}</strong></p>{body_html}"),
    }
}

/// Plain text of the first paragraph, cut at a word boundary to at most `max` characters, for
/// list summaries and meta descriptions. Only the first: that is what a members-only article
/// shows to everyone, and a summary goes everywhere (lists, feeds, the API, social cards).
pub fn summary_from_markdown(markdown: &str, max: usize) -> String {
    let text = paragraphs_text(markdown, true);
    truncate_words(&crate::article::collapse_spaces(&text), max)
}

/// The body as plain text, paragraph by paragraph, without "Baca juga" lines or intertitles:
/// what search indexes and shows in snippets.
pub fn plain_text(markdown: &str) -> String {
    crate::article::collapse_spaces(&paragraphs_text(markdown, false))
}

/// The text of the body's paragraphs, or of its first paragraph only.
fn paragraphs_text(markdown: &str, first_only: bool) -> String {
    let mut text = String::new();
    for block in blocks(markdown) {
        if related_headline(block).is_some() || block.trim_start().starts_with('#') {
            continue;
        }
        let mut in_paragraph = String::new();
        for event in Parser::new(block) {
            match event {
                Event::Text(t) | Event::Code(t) => in_paragraph.push_str(&t),
                Event::SoftBreak | Event::HardBreak => in_paragraph.push(' '),
                Event::End(TagEnd::Paragraph) => in_paragraph.push(' '),
                _ => {}
            }
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(in_paragraph.trim());
        if first_only && !text.is_empty() {
            break;
        }
    }
    text
}

/// Cuts `text` to at most `max` characters at a word boundary, adding "…" when cut.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(1);
    let cut: String = text.chars().take(keep).collect();
    let ends_on_word = text.chars().nth(keep).is_some_and(char::is_whitespace);
    let cut = match cut.rfind(' ') {
        Some(space) if space > 0 && !ends_on_word => &cut[..space],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Paragraf *pertama* dengan “kutipan”.\n\nBaca juga: Judul Lain\n\n## Antarjudul\n\nParagraf kedua.\n\nbaca JUGA : Judul Ketiga & Co";

    #[test]
    fn renders_markdown_with_related_markers() {
        let body = render(BODY);
        assert_eq!(body.related, vec!["Judul Lain", "Judul Ketiga & Co"]);
        insta::assert_snapshot!(body.html, @"<p>Paragraf <em>pertama</em> dengan “kutipan”.</p>
<!--baca-juga:0--><h2>Antarjudul</h2>
<p>Paragraf kedua.</p>
<!--baca-juga:1-->");
    }

    #[test]
    fn links_resolved_references_and_keeps_unresolved_as_text() {
        let body = render(BODY);
        let html = link_related(
            &body.html,
            &[
                RelatedLink {
                    headline: "Judul Lain".into(),
                    url: Some("/read/2022/08/18/judul-lain".into()),
                },
                RelatedLink {
                    headline: "Judul Ketiga & Co".into(),
                    url: None,
                },
            ],
        );
        assert!(html.contains(
            r#"<p class="baca-juga">Baca juga: <a href="/read/2022/08/18/judul-lain">Judul Lain</a></p>"#
        ));
        assert!(html.contains(r#"<p class="baca-juga">Baca juga: Judul Ketiga &amp; Co</p>"#));
        assert!(!html.contains("<!--"));
    }

    #[test]
    fn script_and_handlers_are_removed() {
        let body = render(
            "Halo <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))",
        );
        assert!(!body.html.contains("<script"));
        assert!(!body.html.contains("onerror"));
        assert!(!body.html.contains("javascript:"));
    }

    #[test]
    fn the_headline_stays_the_only_first_level_heading() {
        let body = render("# Bagian satu\n\nIsi.\n\n<h1 title=\"a>b\">Tempelan</h1>");
        assert_eq!(
            body.html,
            "<h2>Bagian satu</h2>\n<p>Isi.</p>\n<h2 title=\"a&gt;b\">Tempelan</h2>"
        );
    }

    #[test]
    fn pictures_always_carry_alternative_text() {
        let body = render(
            "<img src=\"/a.jpg\"> <img title=\"alt=x\" src=\"/b.jpg\"> ![Banjir](/c.jpg) \
             <img alt=\"Jembatan\" src=\"/d.jpg\">",
        );
        assert_eq!(
            body.html,
            "<p><img alt=\"\" src=\"/a.jpg\"> <img alt=\"\" title=\"alt=x\" src=\"/b.jpg\"> \
             <img src=\"/c.jpg\" alt=\"Banjir\"> <img alt=\"Jembatan\" src=\"/d.jpg\"></p>\n"
        );
    }

    #[test]
    fn a_forged_marker_in_markdown_is_not_a_marker() {
        // Comments are stripped by the sanitizer, so text cannot smuggle in a reference.
        let body = render("Teks <!--baca-juga:0--> biasa");
        assert!(!body.html.contains("<!--"));
    }

    #[test]
    fn dateline_goes_into_the_first_paragraph() {
        let html = with_dateline("<p>Isi berita.</p><p>Dua.</p>", "KYIV, Situs -");
        assert_eq!(
            html,
            r#"<p><strong class="dateline">KYIV, Situs -</strong> Isi berita.</p><p>Dua.</p>"#
        );
    }

    #[test]
    fn summary_skips_related_lines_and_headings() {
        let s = summary_from_markdown("## Judul\n\nBaca juga: X\n\nSatu dua tiga empat lima.", 14);
        assert_eq!(s, "Satu dua tiga…");
    }

    #[test]
    fn summary_is_the_first_paragraph_only() {
        // A members-only article shows its first paragraph to all; the rest stays locked.
        let s = summary_from_markdown("Pembuka singkat.\n\nParagraf untuk anggota.", 300);
        assert_eq!(s, "Pembuka singkat.");
    }
}
