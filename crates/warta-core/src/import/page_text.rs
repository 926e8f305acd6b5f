//! Captured article pages in plain text, the form a news site's page takes when copied out of a
//! browser: site chrome, headline, time stamp, byline, source, dateline and body, with
//! "Baca juga" lines between paragraphs. The parser targets this family of pages, not one file:
//! bylines as "Name / Penulis" or "Oleh: Name", optional source, numbered sections, and pages
//! cut off midway all import what they have.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

use super::ImportError;
use crate::{
    article::{ArticleDraft, Source, collapse_spaces},
    body::related_headline,
    zone::Zone,
};

/// What a captured page yields besides the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPage {
    pub draft: ArticleDraft,
    /// The publishing site's name as the page printed it ("Kompas.com"), if it did.
    pub site_name: Option<String>,
}

const STAMP_EXAMPLE: &str = "Situs - 18/08/2022, 14:00 WIB";

/// Parses one captured page. Fails only when the page lacks what an article cannot do without:
/// a headline, a publish time before the body, and at least one body paragraph.
pub fn parse(text: &str) -> Result<ImportedPage, ImportError> {
    let lines: Vec<(usize, String)> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, collapse_spaces(l)))
        .filter(|(_, l)| !l.is_empty())
        .collect();

    let mut header = Header::default();
    let mut body_start = lines.len();
    for (index, (number, line)) in lines.iter().enumerate() {
        // A widget's label above the headline or between byline and body is not the article.
        if is_chrome(line) || is_widget(line) || is_end(line) {
            continue;
        }
        match header.take(*number, line)? {
            Taken::Yes => {}
            Taken::BodyStarts => {
                body_start = index;
                break;
            }
        }
    }
    let last_line = lines.last().map_or(1, |(n, _)| *n);
    let Some(headline) = header.headline else {
        return Err(ImportError {
            line: 1,
            message: "expected a headline; the file has no article text".into(),
        });
    };
    let Some(stamp) = header.published else {
        let line = lines.get(body_start).map_or(last_line, |(n, _)| *n);
        return Err(ImportError {
            line,
            message: format!("expected the publish time (like `{STAMP_EXAMPLE}`) before the body"),
        });
    };
    let mut authors = header.authors;
    if let Some((_, pending)) = header.pending {
        authors.extend(split_names(&pending));
    }

    let mut body = Body::default();
    let rest = &lines[body_start..];
    let mut index = 0;
    while index < rest.len() {
        let line = rest[index].1.as_str();
        index += 1;
        if is_end(line) {
            break;
        }
        if is_widget(line) {
            // A widget inside the article (a video, the comment count) has its label and a
            // few titles; the article goes on at the next paragraph of prose. Below the
            // article, no prose follows and the page has ended.
            let window = &rest[index..rest.len().min(index + WIDGET_LINES)];
            match window.iter().position(|(_, l)| is_prose(l)) {
                Some(skip) if !window[..skip].iter().any(|(_, l)| is_end(l)) => {
                    index += skip;
                    continue;
                }
                _ => break,
            }
        }
        if !is_chrome(line) {
            body.take(line);
        }
    }
    body.finish();
    if body.blocks.is_empty() {
        return Err(ImportError {
            line: last_line,
            message: "expected at least one body paragraph after the byline".into(),
        });
    }

    Ok(ImportedPage {
        draft: ArticleDraft {
            slug: None,
            headline,
            summary: String::new(),
            body_markdown: body.blocks.join("\n\n"),
            published_at: stamp.at,
            updated_at: header.updated.map(|s| s.at),
            zone: stamp.zone,
            authors,
            source: header.source.map(|name| Source { name, url: None }),
            dateline: body.dateline,
            section: None,
            tags: Vec::new(),
            correction: None,
            hero: None,
            seo_title: None,
            seo_description: None,
        },
        site_name: stamp.site.or(body.dateline_site),
    })
}

/// What the lines above the body say.
#[derive(Default)]
struct Header {
    headline: Option<String>,
    published: Option<Stamp>,
    updated: Option<Stamp>,
    authors: Vec<String>,
    source: Option<String>,
    /// A name-like line waiting for the label under it ("Penulis", "Editor").
    pending: Option<(usize, String)>,
    /// A label that came first ("Penulis", then the name on the next line).
    awaiting: Option<Label>,
}

/// What a byline label says the name next to it is.
#[derive(Clone, Copy, PartialEq)]
enum Label {
    Author,
    Editor,
    Source,
}

enum Taken {
    Yes,
    BodyStarts,
}

impl Header {
    fn take(&mut self, number: usize, line: &str) -> Result<Taken, ImportError> {
        if let Some(stamp) = parse_stamp(line) {
            if self.headline.is_none() {
                return Err(ImportError {
                    line: number,
                    message: "expected the headline before the publish time".into(),
                });
            }
            if stamp.is_update {
                self.updated = Some(stamp);
            } else if self.published.is_none() {
                self.published = Some(stamp);
            }
            return Ok(Taken::Yes);
        }
        if self.headline.is_none() {
            self.headline = Some(line.to_owned());
            return Ok(Taken::Yes);
        }
        // "Penulis: A | Editor: B": each part on its own, when the parts are labelled.
        if line.contains('|') {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            if parts.iter().all(|p| is_labelled(p)) {
                for part in parts {
                    self.take(number, part)?;
                }
                return Ok(Taken::Yes);
            }
        }
        if let Some(label) = self.awaiting.take() {
            match label {
                Label::Author if looks_like_name(line, true) => {
                    self.authors.extend(split_names(line));
                    return Ok(Taken::Yes);
                }
                Label::Editor if looks_like_name(line, true) => return Ok(Taken::Yes),
                Label::Source if is_source_name(line) => {
                    self.source = Some(line.to_owned());
                    return Ok(Taken::Yes);
                }
                // Not a name after all: the line is read on its own.
                _ => {}
            }
        }
        // "Penulis : Name" (a space before the colon, common in Indonesian) as "Penulis: Name".
        let spaced;
        let line = match line.split_once(':') {
            Some((label, rest)) if label.ends_with(' ') && !label.trim().contains(' ') => {
                spaced = format!("{}:{rest}", label.trim_end());
                spaced.as_str()
            }
            _ => line,
        };
        let lower = line.to_lowercase();
        let label = match lower.trim_end_matches([':', ' ']) {
            "penulis" | "reporter" | "kontributor" | "author" | "writer" | "oleh" => {
                Some(Label::Author)
            }
            "editor" | "penyunting" => Some(Label::Editor),
            "sumber" | "source" => Some(Label::Source),
            _ => None,
        };
        if let Some(label) = label {
            // Under a name ("Name" / "Penulis") it names that line; alone, the next one.
            match (self.pending.take(), label) {
                (Some((_, names)), Label::Author) => self.authors.extend(split_names(&names)),
                (Some(_), Label::Editor) => {}
                (Some((_, names)), Label::Source) => self.authors.extend(split_names(&names)),
                (None, _) => self.awaiting = Some(label),
            }
            return Ok(Taken::Yes);
        }
        // "Oleh: Name", or "Oleh Name" when the rest is a name and not "Oleh karena itu, ...".
        for (prefix, label) in LABEL_PREFIXES {
            let Some(rest) = lower
                .starts_with(prefix)
                .then(|| line[prefix.len()..].trim())
            else {
                continue;
            };
            // "Kontributor Makassar, Ani Lestari": the town, then the name.
            let rest = match (prefix, rest.split_once(", ")) {
                ("kontributor ", Some((town, name))) if !town.contains(' ') => name,
                _ => rest,
            };
            let with_colon = prefix.ends_with(':');
            let fits = match label {
                Label::Author | Label::Editor => looks_like_name(rest, true),
                Label::Source => is_source_name(rest),
            };
            if !with_colon && !fits {
                continue;
            }
            self.flush_pending();
            match label {
                Label::Author => self.authors.extend(split_names(rest)),
                Label::Editor => {}
                Label::Source if !rest.is_empty() => self.source = Some(rest.to_owned()),
                Label::Source => {}
            }
            return Ok(Taken::Yes);
        }
        if self.published.is_some() && self.pending.is_none() && looks_like_name(line, false) {
            self.pending = Some((number, line.to_owned()));
            return Ok(Taken::Yes);
        }
        if self.published.is_none() && self.pending.is_none() && looks_like_name(line, false) {
            // Some pages put the byline above the time stamp.
            self.pending = Some((number, line.to_owned()));
            return Ok(Taken::Yes);
        }
        Ok(Taken::BodyStarts)
    }

    /// A name line followed by something other than its label is still a byline.
    fn flush_pending(&mut self) {
        if let Some((_, names)) = self.pending.take() {
            self.authors.extend(split_names(&names));
        }
    }
}

/// The body as Markdown blocks.
#[derive(Default)]
struct Body {
    blocks: Vec<String>,
    dateline: Option<String>,
    dateline_site: Option<String>,
    /// The last block, when it is an intertitle nothing has followed yet.
    open_heading: Option<String>,
    /// A "Baca juga:" line whose headline is on the next line.
    related_label: Option<&'static str>,
}

impl Body {
    fn take(&mut self, line: &str) {
        let mut text = line;
        let first = self.blocks.is_empty() && self.dateline.is_none();
        if let Some(dateline) = parse_dateline(line).filter(|_| first) {
            self.dateline = Some(dateline.city);
            self.dateline_site = dateline.site;
            text = dateline.rest;
            if text.is_empty() {
                return;
            }
        }
        if let Some(label) = self.related_label.take() {
            // "Baca juga:" with its headline on the line below.
            self.blocks.push(format!("{label} {text}"));
            self.open_heading = None;
            return;
        }
        if text.to_lowercase().replace(' ', "") == "bacajuga:" {
            self.related_label = Some("Baca juga:");
            return;
        }
        if let Some(headline) = related_headline(text) {
            // Stored as written: a "Baca juga" line is matched to a headline, not read as
            // Markdown.
            self.blocks.push(format!("Baca juga: {headline}"));
        } else if is_intertitle(text) {
            self.blocks.push(format!("## {}", escape_markdown(text)));
            self.open_heading = Some(text.to_owned());
            return;
        } else {
            self.blocks.push(escape_markdown(text));
        }
        self.open_heading = None;
    }

    /// A page cut off midway ends on a fragment, which is text, not an intertitle.
    fn finish(&mut self) {
        if let Some(fragment) = self.open_heading.take() {
            self.blocks.pop();
            self.blocks.push(escape_markdown(&fragment));
        }
    }
}

/// A parsed time stamp line.
#[derive(Debug, Clone, PartialEq)]
struct Stamp {
    site: Option<String>,
    at: chrono::DateTime<Utc>,
    zone: Zone,
    is_update: bool,
}

/// `Kompas.com - 18/08/2022, 14:00 WIB`, `18/08/2022 14.00 WITA`, `Diperbarui 19/08/2022, 09:15 WIB`.
fn parse_stamp(line: &str) -> Option<Stamp> {
    let mut text = line.trim();
    let mut is_update = false;
    for prefix in ["Diperbarui", "diperbarui", "Updated", "Update"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim_start_matches([':', ' ']);
            is_update = true;
            break;
        }
    }
    // The site and the time, split at the last dash of any width.
    let split = [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| text.rfind(d).map(|at| (at, d.len())))
        .max();
    let (site, stamp) = match split {
        Some((at, len)) => (
            Some(text[..at].trim().to_owned()).filter(|s| !s.is_empty()),
            &text[at + len..],
        ),
        None => (None, text),
    };
    let mut words = stamp.split_whitespace();
    let date = words.next()?.trim_end_matches(',');
    let time = words.next()?;
    let zone = match words.next() {
        Some(word) => Zone::parse(word)?,
        None => Zone::Wib,
    };
    if words.next().is_some() {
        return None;
    }
    // Four-digit years, or two ("18/8/22" is 2022: news pages are of this century); "%Y"
    // alone would read "22" as the year 22.
    let date = match date.rsplit_once('/') {
        Some((day_month, year)) if year.len() == 2 => {
            NaiveDate::parse_from_str(&format!("{day_month}/20{year}"), "%d/%m/%Y").ok()?
        }
        Some((_, year)) if year.len() == 4 => NaiveDate::parse_from_str(date, "%d/%m/%Y").ok()?,
        _ => return None,
    };
    let time = NaiveTime::parse_from_str(&time.replace('.', ":"), "%H:%M").ok()?;
    let at = zone
        .offset()
        .from_local_datetime(&date.and_time(time))
        .single()?;
    Some(Stamp {
        site,
        at: at.with_timezone(&Utc),
        zone,
        is_update,
    })
}

struct Dateline<'a> {
    city: String,
    site: Option<String>,
    rest: &'a str,
}

/// `KYIV, KOMPAS.com - Korea Utara ...` or `JAKARTA - Harga ...`.
fn parse_dateline(line: &str) -> Option<Dateline<'_>> {
    let inside = [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| line.find(d).map(|at| (at, d.len())));
    // "KYIV, KOMPAS.com -" on a line of its own, the text below it.
    let at_end = [" -", " –", " —"]
        .iter()
        .filter_map(|d| line.strip_suffix(d).map(|lead| (lead.len(), d.len())));
    // "JAKARTA- Harga ...", "JAKARTA -Harga ..." or "KYIV, KOMPAS.com-Korea ...": a dash
    // spaced on one side or after a site's domain, taken only after capitals and before a
    // capital. A dash between two words ("ASEAN-China", "SARS-CoV-2", "BUMN-BUMN") joins them.
    let tight = || {
        let (at, c) = line
            .char_indices()
            .find(|(_, c)| matches!(c, '-' | '–' | '—'))?;
        let before = line[..at].chars().next_back();
        let after = line[at + c.len_utf8()..].chars().next();
        let spaced_once =
            before.is_some_and(char::is_whitespace) != after.is_some_and(char::is_whitespace);
        let after_domain = line[..at]
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.contains('.'));
        (spaced_once || after_domain).then_some((at, c.len_utf8()))
    };
    let spaced = inside.chain(at_end).min();
    let dash = spaced.or_else(tight)?;
    let (lead, rest) = (
        line[..dash.0].trim_end(),
        line[dash.0 + dash.1..].trim_start(),
    );
    let rest_capital = rest.chars().next().is_some_and(char::is_uppercase);
    if lead.chars().count() > 80 {
        return None;
    }
    let (city, site) = match lead.split_once(", ") {
        Some((city, site)) => (city, Some(site.trim())),
        None => (lead, None),
    };
    // Capitals ("KYIV"), or a capitalised name when a site's domain follows ("Kyiv,
    // Kompas.com -"), which an ordinary sentence does not have.
    let capitals = !city.chars().any(char::is_lowercase);
    let city_words = city.split_whitespace().count();
    let capitalised = city
        .split_whitespace()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    // "Kyiv, Kompas.com - ...": capitalised, with a site's domain after it (without one,
    // "Persija - Persib berakhir imbang" would be a dateline).
    let titled = capitalised && site.is_some_and(|s| s.contains('.')) && city_words <= 3;
    if spaced.is_none() {
        let letters = city.chars().filter(|c| c.is_alphabetic()).count();
        let sited = site.is_some_and(|s| s.contains('.'));
        if !(capitals && rest_capital && (sited || letters >= 4)) {
            return None;
        }
    }
    let city_ok = !city.is_empty()
        && city.chars().count() <= 40
        && city.chars().any(char::is_uppercase)
        && (capitals || titled)
        && city
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'' | '/'));
    let site_ok = site.is_none_or(|s| !s.is_empty() && s.split_whitespace().count() <= 4);
    (city_ok && site_ok).then(|| Dateline {
        city: city.to_owned(),
        site: site.map(str::to_owned),
        rest,
    })
}

/// Short lines without closing punctuation are intertitles; so are numbered section heads.
fn is_intertitle(line: &str) -> bool {
    let chars = line.chars().count();
    let numbered = line.split_once(['.', ')']).is_some_and(|(n, rest)| {
        !n.is_empty()
            && n.len() <= 2
            && n.bytes().all(|b| b.is_ascii_digit())
            && rest.starts_with(' ')
    });
    let ends_open = !line.ends_with(['.', '!', '?', '"', '”', '’', '\'', ':', ';', ')', '…', ',']);
    if numbered {
        // "1. Donetsk mengakui ..." with a full stop is a list item, not a section head.
        return chars <= 120 && ends_open;
    }
    let starts_plain = !line.starts_with(['"', '“', '‘', '\'', '(', '-', '•']);
    chars <= 120 && line.split_whitespace().count() >= 2 && ends_open && starts_plain
}

/// Byline labels that start a line with the name after them; those without a colon only
/// when the rest reads as a name ("Oleh karena itu, ..." is a sentence).
const LABEL_PREFIXES: [(&str, Label); 17] = [
    ("penulis:", Label::Author),
    ("oleh:", Label::Author),
    ("reporter:", Label::Author),
    ("kontributor:", Label::Author),
    ("by:", Label::Author),
    ("editor:", Label::Editor),
    ("penyunting:", Label::Editor),
    ("sumber:", Label::Source),
    ("source:", Label::Source),
    ("penulis ", Label::Author),
    ("oleh ", Label::Author),
    ("kontributor ", Label::Author),
    ("by ", Label::Author),
    ("editor ", Label::Editor),
    ("penyunting ", Label::Editor),
    ("sumber ", Label::Source),
    ("source ", Label::Source),
];

/// Whether a part of a `|`-separated byline line starts with a label and a colon.
fn is_labelled(part: &str) -> bool {
    let lower = part.to_lowercase().replace(" :", ":");
    LABEL_PREFIXES
        .iter()
        .any(|(prefix, _)| prefix.ends_with(':') && lower.starts_with(prefix))
}

/// Name-like: capitalised words, no digits, no sentence punctuation; degrees and titles
/// ("S.H.", "M.Si.", "Dr.") allowed. At most 8 words; beside a byline label (`labelled`) a
/// list of names ("A, B, C dan D") may be longer, at most 6 words a name. Without a label a
/// long list is more likely a photo caption naming people than a byline.
fn looks_like_name(line: &str, labelled: bool) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let particles = ["dan", "bin", "binti", "van", "de", "der", "al", "el"];
    let last = words.last().map_or("", |w| w.trim_end_matches(','));
    let names = split_names(line);
    let fits = words.len() <= 8 && line.chars().count() <= 80
        || labelled
            && names.len() > 1
            && names.iter().all(|n| n.split_whitespace().count() <= 6)
            && line.chars().count() <= 200;
    !words.is_empty()
        && fits
        && !line.chars().any(|c| c.is_ascii_digit())
        && (!line.ends_with(['.', '!', '?', ':']) || is_degree(last))
        && words.iter().all(|w| {
            let w = w.trim_end_matches(',');
            particles.contains(&w) || w.chars().next().is_some_and(char::is_uppercase)
        })
}

/// An academic degree or title as bylines write them after or before a name: "S.H.", "M.Si.",
/// "S.Sos.", "Dr.", "Ir.", "Prof.": short, capitalised, ending in a full stop.
fn is_degree(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    word.ends_with('.')
        && (1..=6).contains(&letters)
        && word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '.')
        && (word.matches('.').count() >= 2
            || ["Dr.", "Ir.", "Prof.", "Drs.", "Dra."].contains(&word))
}

/// A source as bylines name one: "Guardian", "Reuters, AFP", "The New York Times".
fn is_source_name(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=6).contains(&words)
        && text.chars().count() <= 60
        && !text.ends_with(['.', '!', '?', ':', ';'])
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// `A, B dan C` -> [A, B, C]; a degree after a comma stays with its name (`A, S.H.` -> `A S.H.`).
fn split_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for part in text
        .split(',')
        .flat_map(|part| part.split(" dan "))
        .flat_map(|part| part.split(" & "))
        .map(collapse_spaces)
        .filter(|n| !n.is_empty())
    {
        match names.last_mut() {
            // Joined by a space: the newsroom's form lists authors separated by commas.
            Some(name) if part.split_whitespace().all(is_degree) => {
                name.push(' ');
                name.push_str(&part);
            }
            _ => names.push(part),
        }
    }
    names
}

/// Lines of site furniture that may appear anywhere on a captured page and are never article
/// text: membership nags, ad labels, login prompts, dialog buttons, photo captions and credits.
fn is_chrome(line: &str) -> bool {
    let lower = line.to_lowercase();
    let words = line.split_whitespace().count();
    let sentence = line.ends_with(['.', '!', '?']);
    const PREFIXES: [&str; 5] = [
        "baca berita tanpa iklan",
        "gabung dan dapatkan",
        "scroll to continue",
        "lanjutkan membaca",
        "tutup iklan",
    ];
    // Prompts, short and without a full stop; "Masuk untuk ..." may also open a sentence.
    const PROMPTS: [&str; 2] = ["login untuk", "masuk untuk"];
    const EXACT: [&str; 10] = [
        "lihat foto",
        "close ads",
        "oke",
        "ok",
        "close",
        "tutup",
        "x",
        "iklan",
        "advertisement",
        "scroll ke bawah",
    ];
    PREFIXES.iter().any(|p| lower.starts_with(p))
        || (words <= 10 && !sentence && PROMPTS.iter().any(|p| lower.starts_with(p)))
        || EXACT.contains(&lower.as_str())
        || is_photo_line(line, &lower, words, sentence)
}

/// A photo's caption ("Ilustrasi ...", "Foto: ...") or credit ("KOMPAS.com/Nama",
/// "ANTARA FOTO/Nama", "AFP/NAMA"): short, no full stop.
fn is_photo_line(line: &str, lower: &str, words: usize, sentence: bool) -> bool {
    if words > 12 || sentence {
        return false;
    }
    if lower.starts_with("ilustrasi ") || lower.starts_with("foto:") || lower.starts_with("foto :")
    {
        return true;
    }
    line.split_once('/').is_some_and(|(agency, name)| {
        let agency_words = agency.split_whitespace().count();
        (1..=3).contains(&agency_words)
            && !agency.ends_with(' ')
            && !line.chars().any(|c| c.is_ascii_digit())
            && !name.is_empty()
            && !name.starts_with(' ')
            && (agency.contains(".com")
                || agency.contains(".id")
                || !agency.chars().any(char::is_lowercase))
    })
}

/// Labels of what follows an article (comments, tags, related lists, app promotion, the
/// channel's "Simak ..." line): the first one ends the article.
fn is_end(line: &str) -> bool {
    let lower = line.to_lowercase();
    const PREFIXES: [&str; 8] = [
        "simak breaking news",
        "simak berita",
        "dapatkan update berita",
        "berita terkait",
        "artikel terkait",
        "ikuti kami di",
        "download aplikasi",
        "unduh aplikasi",
    ];
    const EXACT: [&str; 3] = ["komentar", "tag", "tags"];
    PREFIXES.iter().any(|p| lower.starts_with(p)) || EXACT.contains(&lower.as_str())
}

/// Labels of widgets a page may also set between paragraphs: a video, the share buttons.
fn is_widget(line: &str) -> bool {
    let lower = line.to_lowercase();
    [
        "video rekomendasi",
        "video lainnya",
        "bagikan artikel ini",
        "tonton juga",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// How many lines after a widget's label the article's prose may resume.
const WIDGET_LINES: usize = 6;

/// A paragraph of an article: a sentence of some length, ended.
fn is_prose(line: &str) -> bool {
    line.split_whitespace().count() >= 8 && line.ends_with(['.', '!', '?', '"', '”', '’'])
}

/// Escapes what Markdown would otherwise read as markup, so imported text shows as written.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, ch) in text.chars().enumerate() {
        let at_start = i == 0;
        let special = matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~'
        ) || (at_start && matches!(ch, '#' | '-' | '+' | '='));
        if special {
            out.push('\\');
        }
        out.push(ch);
    }
    // "1. Judul" would become an ordered list.
    if let Some(dot) = out
        .find(['.', ')'])
        .filter(|&dot| dot > 0 && dot <= 9 && out[..dot].bytes().all(|b| b.is_ascii_digit()))
    {
        out.insert(dot, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Baca berita tanpa iklan. Gabung Situs+\n\nJudul Berita Uji Coba\n\nSitus.id - 05/01/2023, 07:30 WITA\nAni Lestari, Budi dan Citra\n\nPenulis\n\nEditor Dewi\n\nEditor\n\nMAKASSAR, SITUS.id - Paragraf pertama *penting*.\n\nBaca juga: Berita Lain di Situs\n\nSubjudul Tanpa Titik\n\n1. Bagian pertama\n\n“Kutipan,” kata dia.\n\nSimak breaking news di kanal kami.\n\nKomentar\n";

    #[test]
    fn parses_a_page_of_the_family() {
        let page = parse(PAGE).unwrap();
        let d = page.draft;
        assert_eq!(d.headline, "Judul Berita Uji Coba");
        assert_eq!(d.zone, Zone::Wita);
        assert_eq!(d.published_at.to_rfc3339(), "2023-01-04T23:30:00+00:00");
        assert_eq!(d.authors, vec!["Ani Lestari", "Budi", "Citra"]);
        assert_eq!(d.dateline.as_deref(), Some("MAKASSAR"));
        assert_eq!(page.site_name.as_deref(), Some("Situs.id"));
        assert_eq!(
            d.body_markdown,
            "Paragraf pertama \\*penting\\*.\n\nBaca juga: Berita Lain di Situs\n\n## Subjudul Tanpa Titik\n\n## 1\\. Bagian pertama\n\n“Kutipan,” kata dia."
        );
    }

    #[test]
    fn oleh_byline_without_source_and_cut_off_page() {
        let page = parse("Judul\nOleh: Rina Marlina\n12/03/2024 09.05 WIT\nJAYAPURA - Kalimat satu berhenti di teng").unwrap();
        assert_eq!(page.draft.authors, vec!["Rina Marlina"]);
        assert_eq!(page.draft.source, None);
        assert_eq!(page.draft.zone, Zone::Wit);
        assert_eq!(page.draft.dateline.as_deref(), Some("JAYAPURA"));
        assert_eq!(page.draft.body_markdown, "Kalimat satu berhenti di teng");
    }

    #[test]
    fn spaced_labels_and_two_digit_years() {
        let page = parse(
            "Judul\nSitus - 18/8/22, 14:00 WIB\nPenulis : Tito Reditya\nSumber : Guardian\nKYIV, SITUS - Isi.",
        )
        .unwrap();
        assert_eq!(page.draft.authors, vec!["Tito Reditya"]);
        assert_eq!(
            page.draft.source.map(|s| s.name).as_deref(),
            Some("Guardian")
        );
        assert_eq!(page.draft.dateline.as_deref(), Some("KYIV"));
        assert_eq!(
            page.draft.published_at.to_rfc3339(),
            "2022-08-18T07:00:00+00:00"
        );
        assert_eq!(page.draft.body_markdown, "Isi.");
        let oleh = parse("Judul\nOleh : Rina Marlina\n12/03/2024 09.05 WIT\nIsi.").unwrap();
        assert_eq!(oleh.draft.authors, vec!["Rina Marlina"]);
        assert!(parse("Judul\nSitus - 18/8/202, 14:00 WIB\nIsi.").is_err());
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        let err = parse("Judul\n\nIni paragraf tanpa waktu terbit sama sekali.").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("publish time"), "{err}");

        let err = parse("\n\n").unwrap_err();
        assert_eq!(err.line, 1);

        let err = parse("Judul\nSitus - 01/01/2024, 10:00 WIB\nPenulis\n").unwrap_err();
        assert!(err.message.contains("body paragraph"), "{err}");

        let err = parse("Situs - 01/01/2024, 10:00 WIB\nJudul").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn stamps_in_their_forms() {
        let s = parse_stamp("Kompas.com - 18/08/2022, 14:00 WIB").unwrap();
        assert_eq!(s.site.as_deref(), Some("Kompas.com"));
        assert_eq!(s.at.to_rfc3339(), "2022-08-18T07:00:00+00:00");
        assert!(
            parse_stamp("Diperbarui 19/08/2022, 09:15 WIB")
                .unwrap()
                .is_update
        );
        assert!(parse_stamp("31/02/2022, 14:00 WIB").is_none());
        assert!(parse_stamp("18/08/2022, 14:00 CET").is_none());
        assert!(parse_stamp("Harga naik 5/8 persen pada 2022").is_none());
    }

    /// A page of the family: `head` between the headline and the body, `body` as its lines.
    fn page(head: &str, body: &str) -> ImportedPage {
        parse(&format!(
            "Judul Berita Uji Coba\nSitus.id - 05/01/2023, 07:30 WIB\n{head}\n{body}\nSimak breaking news di kanal kami.\nKomentar\n"
        ))
        .unwrap()
    }

    const PROSE: &str = "Kalimat kedua ini cukup panjang untuk menjadi paragraf berita.";

    #[test]
    fn widgets_between_paragraphs_are_skipped_and_the_article_goes_on() {
        let p = page(
            "Penulis: Ani Lestari",
            &format!(
                "JAKARTA, SITUS.id - Paragraf pertama.\nVideo rekomendasi\nJudul Video Pendek\n{PROSE}\nBagikan artikel ini melalui\nOke\n{PROSE}"
            ),
        );
        assert_eq!(
            p.draft.body_markdown,
            format!("Paragraf pertama.\n\n{PROSE}\n\n{PROSE}")
        );
        // Below the article, nothing of the page's furniture is kept.
        let p = page(
            "",
            "JAKARTA - Satu-satunya paragraf.\nVideo lainnya\nJudul Video Satu\nJudul Video Dua",
        );
        assert_eq!(p.draft.body_markdown, "Satu-satunya paragraf.");
    }

    #[test]
    fn chrome_around_the_byline_and_above_the_headline_is_not_the_article() {
        let p = parse("Komentar\nJudul Berita\nSitus.id - 05/01/2023, 07:30 WIB\nAni Lestari\nPenulis\nBagikan artikel ini melalui\nOke\nKomentar\nJAKARTA - Isi berita.").unwrap();
        assert_eq!(p.draft.headline, "Judul Berita");
        assert_eq!(p.draft.authors, ["Ani Lestari"]);
        assert_eq!(p.draft.body_markdown, "Isi berita.");
    }

    #[test]
    fn bylines_in_their_forms() {
        // Label first, editor beside the writer, the source on its own line.
        let p = page(
            "Penulis\nTito Reditya\nEditor\nAni Suryani\nSumber\nGuardian",
            "KYIV - Isi.",
        );
        assert_eq!(p.draft.authors, ["Tito Reditya"]);
        assert_eq!(p.draft.source.unwrap().name, "Guardian");
        let p = page("Penulis Tito Reditya\nEditor Ani Suryani", "KYIV - Isi.");
        assert_eq!(p.draft.authors, ["Tito Reditya"]);
        // "Oleh karena itu, ..." opens a sentence, not a byline; nor is "Sumber ..." prose.
        let p = page(
            "",
            "Oleh karena itu, Korea Utara dan Donetsk sepakat bekerja sama lebih erat.\nSumber air di kota itu mengering sejak awal bulan ini karena kemarau.",
        );
        assert!(p.draft.authors.is_empty(), "{:?}", p.draft.authors);
        assert_eq!(p.draft.source, None);
        assert!(p.draft.body_markdown.starts_with("Oleh karena itu"));
        assert!(p.draft.body_markdown.ends_with("karena kemarau."));
    }

    #[test]
    fn bylines_of_other_sites() {
        let authors = |head: &str| page(head, "KYIV - Isi.").draft.authors;
        assert_eq!(
            authors("Penulis: Tito Reditya | Editor: Ani Suryani"),
            ["Tito Reditya"]
        );
        let p = page("Penulis : Tito Reditya | Sumber : Guardian", "Isi.");
        assert_eq!(p.draft.authors, ["Tito Reditya"]);
        assert_eq!(p.draft.source.unwrap().name, "Guardian");
        assert_eq!(
            authors("Kontributor Makassar, Ani Lestari"),
            ["Ani Lestari"]
        );
        assert_eq!(
            authors("Penulis: Dr. Ani Lestari, M.Si., Budi Santoso, S.H."),
            ["Dr. Ani Lestari M.Si.", "Budi Santoso S.H."]
        );
        assert_eq!(
            authors("Penulis: Ani Lestari, Budi Santoso, Citra Kirana Dewi dan Dimas Prasetyo"),
            [
                "Ani Lestari",
                "Budi Santoso",
                "Citra Kirana Dewi",
                "Dimas Prasetyo"
            ]
        );
        // Without a label, a long list of names is a caption, not a byline.
        let caption = "Presiden Joko Widodo, Wakil Presiden Ma'ruf Amin, Menteri Keuangan Sri Mulyani Indrawati";
        let p = page(
            "Penulis: Ani Lestari",
            &format!("{caption}\nJAKARTA - Isi."),
        );
        assert_eq!(p.draft.authors, ["Ani Lestari"]);
        assert!(p.draft.body_markdown.contains("Presiden Joko Widodo"));
        let p = page("By Ani Lestari\nSource: Reuters", "Isi.");
        assert_eq!(p.draft.authors, ["Ani Lestari"]);
        assert_eq!(p.draft.source.unwrap().name, "Reuters");
        // A photo's "Lihat Foto" button is not the article.
        let p = page("Penulis: Ani Lestari", "Lihat Foto\nJAKARTA - Isi.");
        assert_eq!(p.draft.body_markdown, "Isi.");
        assert_eq!(p.draft.dateline.as_deref(), Some("JAKARTA"));
    }

    #[test]
    fn datelines_without_spaces_or_capitals() {
        let dateline = |body: &str| {
            let p = page("Penulis: Ani Lestari", body);
            (p.draft.dateline, p.draft.body_markdown)
        };
        for (line, city) in [
            ("JAKARTA- Harga cabai naik.", "JAKARTA"),
            ("JAKARTA -Harga cabai naik.", "JAKARTA"),
            ("KYIV, KOMPAS.com-Harga cabai naik.", "KYIV"),
            ("KYIV, KOMPAS.com- Harga cabai naik.", "KYIV"),
        ] {
            assert_eq!(
                dateline(line),
                (Some(city.into()), "Harga cabai naik.".into()),
                "{line}"
            );
        }
        for sentence in [
            "COVID-19 kembali naik di Jakarta.",
            "BRI-Link dibuka di desa.",
            "ASEAN-China sepakat memperkuat kerja sama.",
            "SARS-CoV-2 terus bermutasi.",
            "BUMN-BUMN yang merugi akan digabung.",
            "Kyiv - Korea Utara mengakui.",
            "Persija - Persib berakhir imbang.",
            "Harga - naik lagi.",
        ] {
            assert_eq!(
                dateline(sentence),
                (None, sentence.to_owned()),
                "{sentence}"
            );
        }
    }

    #[test]
    fn photo_captions_and_credits_are_chrome() {
        let p = page(
            "Ani Lestari\nPenulis\nIlustrasi Kim Jong Un dan Denis Pushilin\nKOMPAS.com/Nama Fotografer",
            "KYIV, KOMPAS.com - Paragraf pertama.\nANTARA FOTO/Rivan Awal\nIklan politik Korea Utara kerap memuji Rusia.",
        );
        assert_eq!(p.draft.authors, ["Ani Lestari"]);
        assert_eq!(p.draft.dateline.as_deref(), Some("KYIV"));
        assert_eq!(
            p.draft.body_markdown,
            "Paragraf pertama.\n\nIklan politik Korea Utara kerap memuji Rusia."
        );
    }

    #[test]
    fn baca_juga_lines_keep_their_headline_as_written() {
        let p = page(
            "",
            "JAKARTA - Isi.\nBaca juga: Putin & Xi Bahas AS_Barat\nBaca juga:\nHeadline di Baris Berikutnya\nPenutup.",
        );
        assert_eq!(
            p.draft.body_markdown,
            "Isi.\n\nBaca juga: Putin & Xi Bahas AS_Barat\n\nBaca juga: Headline di Baris Berikutnya\n\nPenutup."
        );
    }

    #[test]
    fn datelines_and_stamps_in_other_forms() {
        let p = page("", "KYIV, KOMPAS.com -\nKorea Utara dan Donetsk.");
        assert_eq!(p.draft.dateline.as_deref(), Some("KYIV"));
        assert_eq!(p.draft.body_markdown, "Korea Utara dan Donetsk.");
        let p = page("", "Kyiv, Kompas.com - Korea Utara dan Donetsk.");
        assert_eq!(p.draft.dateline.as_deref(), Some("Kyiv"));
        assert_eq!(p.draft.body_markdown, "Korea Utara dan Donetsk.");
        let s = parse_stamp("Kompas.com – 18/08/2022, 14:00 WIB").unwrap();
        assert_eq!(s.site.as_deref(), Some("Kompas.com"));
        // A numbered sentence is a list item, not a section head.
        let p = page(
            "",
            "JAKARTA - Isi.\n1. Donetsk mengakui kemerdekaan Korea.\n2. Bagian Kedua\nPenutup.",
        );
        assert_eq!(
            p.draft.body_markdown,
            "Isi.\n\n1\\. Donetsk mengakui kemerdekaan Korea.\n\n## 2\\. Bagian Kedua\n\nPenutup."
        );
    }

    #[test]
    fn ordinary_sentences_are_not_datelines() {
        assert!(parse_dateline("Dia mengatakan - dengan tegas - bahwa").is_none());
        assert!(parse_dateline("Harga Beras - naik lagi").is_none());
    }
}
