//! Video items: what an editor enters (title, description, duration, an uploaded file or an
//! embed address), how an upload's container is recognised from its first bytes, how durations
//! are written for people and for structured data, and which videos an article recommends.

use crate::{FieldError, article::collapse_spaces};

/// Longest video title.
pub const MAX_TITLE: usize = 150;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 2_000;
/// Longest duration accepted: ten hours covers a live stream's recording.
pub const MAX_SECONDS: i64 = 10 * 3600;

/// A container Warta serves as is: browsers play both without plug-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Mp4,
    WebM,
}

impl Container {
    /// Recognised by magic bytes, never by the uploaded name or claimed type.
    pub fn sniff(head: &[u8]) -> Option<Container> {
        if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
            Some(Container::WebM)
        } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
            Some(Container::Mp4)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Container::Mp4 => "mp4",
            Container::WebM => "webm",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Container::Mp4 => "video/mp4",
            Container::WebM => "video/webm",
        }
    }
}

/// The video id in a YouTube address: `watch?v=`, `youtu.be/`, `/shorts/`, `/embed/` or
/// `/live/`. Ids are 11 characters of `[A-Za-z0-9_-]`.
pub fn youtube_id(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    let candidate = match host {
        "youtu.be" => path.split(['?', '&', '#', '/']).next(),
        "youtube.com" | "youtube-nocookie.com" => {
            if let Some(query) = path.strip_prefix("watch?") {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("v="))
                    .map(|v| v.split('#').next().unwrap_or(v))
            } else {
                ["shorts/", "embed/", "live/"]
                    .iter()
                    .find_map(|p| path.strip_prefix(p))
                    .and_then(|id| id.split(['?', '&', '#', '/']).next())
            }
        }
        _ => None,
    }?;
    let valid = candidate.len() == 11
        && candidate
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| candidate.to_owned())
}

/// Reads "1:30", "01:02:03" or "90" (seconds).
pub fn parse_duration(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut seconds: i64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let n: i64 = part.parse().ok()?;
        // Minutes and seconds after the first field stay below 60.
        if n < 0 || (i > 0 && n >= 60) {
            return None;
        }
        seconds = seconds * 60 + n;
    }
    (1..=MAX_SECONDS).contains(&seconds).then_some(seconds)
}

/// "1:30" or "1:02:03", as players show it.
pub fn clock(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// ISO 8601, as `VideoObject.duration` wants it: "PT1M30S".
pub fn iso_duration(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// Where a video plays from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file uploaded with the form (checked separately).
    Upload,
    /// A YouTube video by id, shown through youtube-nocookie.com.
    YouTube(String),
}

/// The video form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoInput {
    pub title: String,
    pub description: String,
    pub duration_seconds: i64,
    pub source: Source,
    /// Lower-case tag names, for recommendations.
    pub tags: Vec<String>,
}

impl VideoInput {
    /// `has_file` says whether a file came with the form; exactly one of it and `embed_url`.
    pub fn parse(
        title: &str,
        description: &str,
        duration: &str,
        embed_url: &str,
        tags: &str,
        has_file: bool,
    ) -> Result<VideoInput, Vec<FieldError>> {
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
        let description = description.trim().replace("\r\n", "\n");
        if description.chars().count() > MAX_DESCRIPTION {
            errors.push(FieldError::too_long("description", MAX_DESCRIPTION));
        }
        let duration_seconds = parse_duration(duration).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "duration",
                format!("menit:detik seperti 2:45 (paling lama 10 jam), bukan {duration:?}"),
                format!("minutes:seconds like 2:45 (at most 10 hours), got {duration:?}"),
            ));
            0
        });
        let embed_url = embed_url.trim();
        let source = match (has_file, embed_url.is_empty()) {
            (true, true) => Some(Source::Upload),
            (false, false) => match youtube_id(embed_url) {
                Some(id) => Some(Source::YouTube(id)),
                None => {
                    errors.push(FieldError::new(
                        "embed_url",
                        "alamat YouTube seperti https://www.youtube.com/watch?v=... atau https://youtu.be/...",
                        "a YouTube address like https://www.youtube.com/watch?v=... or https://youtu.be/...",
                    ));
                    None
                }
            },
            (true, false) => {
                errors.push(FieldError::new(
                    "embed_url",
                    "unggah berkas atau beri alamat sematan, jangan keduanya",
                    "either upload a file or give an embed address, not both",
                ));
                None
            }
            (false, true) => {
                errors.push(FieldError::new(
                    "file",
                    "unggah berkas MP4 atau WebM, atau beri alamat YouTube",
                    "upload an MP4 or WebM file, or give a YouTube address",
                ));
                None
            }
        };
        let tags = tag_list(tags);
        if tags.len() > crate::article::MAX_NAMES {
            errors.push(FieldError::new(
                "tags",
                format!("paling banyak {} tag", crate::article::MAX_NAMES),
                format!("at most {} tags", crate::article::MAX_NAMES),
            ));
        }
        if tags
            .iter()
            .any(|t| t.chars().count() > crate::article::MAX_NAME)
        {
            errors.push(FieldError::too_long("tags", crate::article::MAX_NAME));
        }
        match source {
            Some(source) if errors.is_empty() => Ok(VideoInput {
                title,
                description,
                duration_seconds,
                source,
                tags,
            }),
            _ => Err(errors),
        }
    }
}

/// "Perang, Kyiv , perang" → ["perang", "kyiv"].
pub fn tag_list(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(|t| collapse_spaces(t).to_lowercase()) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// What an article offers to match videos against.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    pub section_id: Option<i64>,
    pub story_id: Option<i64>,
    /// Lower-case tag names.
    pub tags: &'a [String],
}

/// What a candidate video offers.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub id: i64,
    pub section_id: Option<i64>,
    pub story_id: Option<i64>,
    pub tags: &'a [String],
}

/// The ids of up to `n` videos for an article, best first: the same story counts most, then
/// each shared tag, then the same section; videos sharing nothing are not recommended. Ties
/// keep the candidates' order (newest first).
pub fn recommend(context: &Context, candidates: &[Candidate], n: usize) -> Vec<i64> {
    let mut scored: Vec<(u32, usize, i64)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(position, c)| {
            let story = u32::from(c.story_id.is_some() && c.story_id == context.story_id) * 6;
            let tags = c.tags.iter().filter(|t| context.tags.contains(t)).count() as u32 * 2;
            let section = u32::from(c.section_id.is_some() && c.section_id == context.section_id);
            let score = story + tags + section;
            (score > 0).then_some((score, position, c.id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(n).map(|(_, _, id)| id).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn youtube_addresses_give_their_id() {
        let id = Some("dQw4w9WgXcQ".to_owned());
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ#t=3",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(youtube_id(url), id, "{url}");
        }
        for url in [
            "https://vimeo.com/123",
            "https://www.youtube.com/watch?v=short",
            "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
            "javascript:alert(1)",
            "https://youtu.be/dQw4w9WgXc<",
        ] {
            assert_eq!(youtube_id(url), None, "{url}");
        }
    }

    #[test]
    fn durations_read_and_write_both_ways() {
        assert_eq!(parse_duration("1:30"), Some(90));
        assert_eq!(parse_duration("01:02:03"), Some(3723));
        assert_eq!(parse_duration("45"), Some(45));
        for bad in ["", "0", "1:60", "a:10", "1:2:3:4", "-5", "11:00:00"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(clock(90), "1:30");
        assert_eq!(clock(3723), "1:02:03");
        assert_eq!(iso_duration(90), "PT1M30S");
        assert_eq!(iso_duration(3600), "PT1H");
        assert_eq!(iso_duration(5), "PT5S");
    }

    #[test]
    fn containers_are_known_by_their_bytes() {
        assert_eq!(
            Container::sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1, 2]),
            Some(Container::WebM)
        );
        assert_eq!(
            Container::sniff(b"\0\0\0\x20ftypisom\0\0"),
            Some(Container::Mp4)
        );
        assert_eq!(Container::sniff(b"<html>"), None);
        assert_eq!(Container::sniff(b""), None);
    }

    #[test]
    fn the_form_wants_one_source_and_says_which_field_is_wrong() {
        let ok = VideoInput::parse("Banjir", "", "2:45", "", "Banjir, Jakarta", true).unwrap();
        assert_eq!(ok.source, Source::Upload);
        assert_eq!(ok.tags, ["banjir", "jakarta"]);
        let many: Vec<String> = (0..=crate::article::MAX_NAMES)
            .map(|n| format!("tag {n}"))
            .collect();
        let refused = VideoInput::parse("B", "", "1:00", "", &many.join(","), true).unwrap_err();
        assert_eq!(refused[0].field, "tags");
        let embed =
            VideoInput::parse("B", "", "1:00", "https://youtu.be/dQw4w9WgXcQ", "", false).unwrap();
        assert_eq!(embed.source, Source::YouTube("dQw4w9WgXcQ".into()));
        let fields = |r: Result<VideoInput, Vec<FieldError>>| -> Vec<&'static str> {
            r.unwrap_err().iter().map(|e| e.field).collect()
        };
        assert_eq!(
            fields(VideoInput::parse("", "", "x", "", "", false)),
            ["title", "duration", "file"]
        );
        assert_eq!(
            fields(VideoInput::parse(
                "B",
                "",
                "1:00",
                "https://vimeo.com/1",
                "",
                false
            )),
            ["embed_url"]
        );
        assert_eq!(
            fields(VideoInput::parse(
                "B",
                "",
                "1:00",
                "https://youtu.be/dQw4w9WgXcQ",
                "",
                true
            )),
            ["embed_url"]
        );
    }

    #[test]
    fn recommendations_prefer_the_story_then_tags_then_section() {
        let perang = vec!["perang".to_owned()];
        let none: Vec<String> = Vec::new();
        let context = Context {
            section_id: Some(1),
            story_id: Some(9),
            tags: &perang,
        };
        let candidates = [
            Candidate {
                id: 1,
                section_id: Some(1),
                story_id: None,
                tags: &none,
            },
            Candidate {
                id: 2,
                section_id: Some(2),
                story_id: Some(9),
                tags: &none,
            },
            Candidate {
                id: 3,
                section_id: Some(2),
                story_id: None,
                tags: &perang,
            },
            Candidate {
                id: 4,
                section_id: Some(3),
                story_id: None,
                tags: &none,
            },
            Candidate {
                id: 5,
                section_id: Some(1),
                story_id: None,
                tags: &none,
            },
        ];
        assert_eq!(recommend(&context, &candidates, 3), [2, 3, 1]);
        assert_eq!(recommend(&context, &candidates, 10), [2, 3, 1, 5]);
    }
}
