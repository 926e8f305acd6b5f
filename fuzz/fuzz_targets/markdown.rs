//! Article bodies: render, splice "Baca juga" links, summarise, truncate. Nothing may panic,
//! and the sanitized HTML must not carry script.
//!
//! Input: the first byte is `n` for `truncate_words`, the rest is the Markdown (lossy UTF-8).
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_core::body::{self, RelatedLink};

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let markdown = String::from_utf8_lossy(rest);

    let rendered = body::render(&markdown);
    check_sanitized(&rendered.html);

    let links: Vec<RelatedLink> = rendered
        .related
        .iter()
        .enumerate()
        .map(|(i, headline)| RelatedLink {
            headline: headline.clone(),
            url: (i % 2 == 0).then(|| format!("/read/2022/08/18/{i}")),
        })
        .collect();
    let linked = body::link_related(&rendered.html, &links);
    assert!(
        !linked.contains("<!--baca-juga:"),
        "a marker survived link_related: {linked:?}"
    );

    let summary = body::summary_from_markdown(&markdown, 160);
    assert!(
        summary.chars().count() <= 160,
        "summary too long: {summary:?}"
    );
    let cut = body::truncate_words(&markdown, usize::from(n));
    assert!(
        cut.chars().count() <= usize::from(n).max(1),
        "truncate_words({n}) too long: {cut:?}"
    );
});

/// The sanitizer's promise, checked on the output of `render`: no `<script` outside attribute
/// values, no `<script>` element, no `on*=` handler attribute (e.g. ` onerror=`), and no URL
/// attribute whose value is a `javascript:` URL as a browser would read it. A plain substring
/// search for "javascript:" is not enough: ammonia rightly keeps relative URLs such as
/// `href="x)>[y](javascript:z)"`, which contain the text but never run it.
fn check_sanitized(html: &str) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").expect("unclosed comment");
            let inner = &comment[..end];
            assert!(
                inner
                    .strip_prefix("baca-juga:")
                    .is_some_and(|n| n.parse::<usize>().is_ok()),
                "a comment other than a marker: {inner:?} in {html:?}"
            );
            i += 4 + end + 3;
            continue;
        }
        if rest.starts_with("</") {
            let end = rest.find('>').expect("unclosed end tag");
            let name = rest[2..end].trim().to_ascii_lowercase();
            assert_ne!(name, "script", "script end tag in {html:?}");
            i += end + 1;
            continue;
        }
        assert!(
            rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()),
            "a bare '<' in text: {html:?}"
        );
        i += 1 + tag(&html[i + 1..], html);
    }
}

/// Checks one start tag (`s` begins after `<`) and returns its length up to and with `>`.
fn tag(s: &str, html: &str) -> usize {
    let b = s.as_bytes();
    let stop = |c: u8| c.is_ascii_whitespace() || c == b'/' || c == b'>';
    let mut i = 0;
    while i < b.len() && !stop(b[i]) {
        i += 1;
    }
    let name = s[..i].to_ascii_lowercase();
    assert_ne!(name, "script", "script element in {html:?}");
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        assert!(i < b.len(), "unclosed tag in {html:?}");
        if b[i] == b'>' {
            return i + 1;
        }
        let start = i;
        while i < b.len() && !stop(b[i]) && b[i] != b'=' {
            i += 1;
        }
        let attr = s[start..i].to_ascii_lowercase();
        assert!(
            !attr.starts_with("on"),
            "handler attribute {attr:?} in {html:?}"
        );
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = s[i + 1..]
                        .find(q as char)
                        .expect("unclosed attribute value");
                    value = &s[i + 1..i + 1 + end];
                    i += end + 2;
                }
                _ => {
                    let v = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = &s[v..i];
                }
            }
        }
        if URL_ATTRIBUTES.contains(&attr.as_str()) {
            // As a browser reads a URL: references decoded, tabs and newlines removed,
            // leading controls and spaces skipped, scheme case-insensitive.
            let url: String = decode(value)
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let url = url
                .trim_start_matches(|c: char| c <= ' ')
                .to_ascii_lowercase();
            assert!(
                !url.starts_with("javascript:") && !url.starts_with("vbscript:"),
                "script URL in {attr}={value:?} of {html:?}"
            );
        }
    }
}

const URL_ATTRIBUTES: [&str; 10] = [
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "data",
    "longdesc",
    "xlink:href",
];

/// Decodes character references in an attribute value, once, as a browser does.
fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            "colon" => Some(':'),
            "tab" => Some('\t'),
            "newline" => Some('\n'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
