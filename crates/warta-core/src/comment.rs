//! Reader comments ("Komentar"): what a comment may contain, the site's rules for them, and how
//! their plain text becomes HTML. Nothing a reader types becomes markup: the text is escaped and
//! only web addresses turn into links, which carry `rel="nofollow ugc noopener"`.

use chrono::{DateTime, Duration, Utc};

use crate::body::escape;

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 2000;
/// How long after posting a reader may still edit or delete their comment.
pub const EDIT_WINDOW_MINUTES: i64 = 15;

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStatus {
    /// Waiting for a moderator (pre-moderation).
    Pending,
    Visible,
    /// Hidden by a moderator; the author still sees it as hidden.
    Hidden,
    /// Deleted after others replied: its text is gone, its place stays so the replies keep
    /// their context.
    Deleted,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Pending => "pending",
            CommentStatus::Visible => "visible",
            CommentStatus::Hidden => "hidden",
            CommentStatus::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<CommentStatus> {
        match text {
            "pending" => Some(CommentStatus::Pending),
            "visible" => Some(CommentStatus::Visible),
            "hidden" => Some(CommentStatus::Hidden),
            "deleted" => Some(CommentStatus::Deleted),
            _ => None,
        }
    }
}

/// The site's comment rules, set by an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentRules {
    /// New comments wait for a moderator before readers see them.
    pub pre_moderation: bool,
    /// Words that may not appear (whole words, any case).
    pub blocked_words: Vec<String>,
    /// Most web addresses one comment may hold.
    pub max_links: usize,
}

impl Default for CommentRules {
    fn default() -> Self {
        CommentRules {
            pre_moderation: false,
            blocked_words: Vec::new(),
            max_links: 2,
        }
    }
}

impl CommentRules {
    /// The rules with stored settings applied (unknown or unreadable values are ignored).
    pub fn with_stored<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (key, value) in pairs {
            match key {
                "comment_moderation" => self.pre_moderation = value == "pre",
                "comment_blocked_words" => {
                    self.blocked_words = value
                        .lines()
                        .map(|w| w.trim().to_lowercase())
                        .filter(|w| !w.is_empty())
                        .collect();
                }
                "comment_max_links" => {
                    self.max_links = value.trim().parse().unwrap_or(self.max_links);
                }
                _ => {}
            }
        }
        self
    }

    /// The stored form.
    pub fn pairs(&self) -> [(&'static str, String); 3] {
        [
            (
                "comment_moderation",
                if self.pre_moderation { "pre" } else { "post" }.to_owned(),
            ),
            ("comment_blocked_words", self.blocked_words.join("\n")),
            ("comment_max_links", self.max_links.to_string()),
        ]
    }

    /// Checks a comment's text against the rules; returns the trimmed text, or why it was
    /// refused (worded for the reader by [`crate::i18n::CommentWords::problem`]).
    pub fn check(&self, text: &str) -> Result<String, Problem> {
        let text = text.trim().replace("\r\n", "\n");
        let text: String = text
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        if text.is_empty() {
            return Err(Problem::Empty);
        }
        if text.chars().count() > MAX_COMMENT {
            return Err(Problem::TooLong(MAX_COMMENT));
        }
        if links(&text).count() > self.max_links {
            return Err(Problem::TooManyLinks(self.max_links));
        }
        let lower = text.to_lowercase();
        let words: Vec<&str> = words_of(&lower).collect();
        // An entry may be a phrase ("judi online"): its words, in order, anywhere in the text.
        if let Some(word) = self.blocked_words.iter().find(|blocked| {
            let phrase: Vec<&str> = words_of(blocked).collect();
            !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
        }) {
            return Err(Problem::BlockedWord(word.clone()));
        }
        Ok(text)
    }
}

/// The words of `text`, split at anything not a letter or digit.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Why a comment's text was refused. The reader sees it in the site's language, so the
/// reason stays data here and the words come from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    /// Longer than this many characters.
    TooLong(usize),
    /// More than this many links.
    TooManyLinks(usize),
    /// A word the site's rules block.
    BlockedWord(String),
}

/// Whether the author may still change a comment posted at `created_at`.
pub fn editable(created_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - created_at < Duration::minutes(EDIT_WINDOW_MINUTES)
}

/// Byte ranges of web addresses in `text`: `http://`, `https://` or `www.` up to white space,
/// without trailing punctuation.
fn links(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while from < text.len() {
            let rest = &text[from..];
            let start = ["https://", "http://", "www."]
                .iter()
                .filter_map(|p| rest.find(p))
                .min()?;
            let begin = from + start;
            // An address starts a word.
            let boundary = text[..begin]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || "(\"'<".contains(c));
            let len = text[begin..]
                .find(|c: char| c.is_whitespace() || "<>\"".contains(c))
                .unwrap_or(text.len() - begin);
            let mut end = begin + len;
            while end > begin
                && text[..end]
                    .chars()
                    .next_back()
                    .is_some_and(|c| ".,;:!?)'".contains(c))
            {
                end -= 1;
            }
            from = begin + len.max(1);
            if boundary && end - begin > "www.".len() {
                return Some((begin, end));
            }
        }
        None
    })
}

/// The comment as HTML: escaped text, addresses as links, line breaks kept.
pub fn to_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for (begin, end) in links(text) {
        html.push_str(&escape(&text[at..begin]));
        let shown = &text[begin..end];
        let href = if shown.starts_with("www.") {
            format!("https://{shown}")
        } else {
            shown.to_owned()
        };
        html.push_str(&format!(
            "<a href=\"{}\" rel=\"nofollow ugc noopener\">{}</a>",
            escape(&href),
            escape(shown)
        ));
        at = end;
    }
    html.push_str(&escape(&text[at..]));
    html.replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_only_addresses_become_links() {
        assert_eq!(
            to_html("<script>alert(1)</script> lihat https://contoh.id/a?b=1&c=2.\nya"),
            "&lt;script&gt;alert(1)&lt;/script&gt; lihat <a href=\"https://contoh.id/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">https://contoh.id/a?b=1&amp;c=2</a>.<br>ya"
        );
        assert_eq!(
            to_html("javascript:alert(1) www.contoh.id"),
            "javascript:alert(1) <a href=\"https://www.contoh.id\" rel=\"nofollow ugc noopener\">www.contoh.id</a>"
        );
        assert_eq!(
            to_html("\"onmouseover=alert(1) x=\"https://a.id\"\">"),
            "&quot;onmouseover=alert(1) x=&quot;<a href=\"https://a.id\" rel=\"nofollow ugc noopener\">https://a.id</a>&quot;&quot;&gt;"
        );
    }

    #[test]
    fn rules_limit_links_words_and_length() {
        let rules = CommentRules::default().with_stored([
            ("comment_blocked_words", "judi\nPinjol \nslot  gacor"),
            ("comment_max_links", "1"),
        ]);
        assert_eq!(rules.check("  Setuju.  ").unwrap(), "Setuju.");
        assert_eq!(rules.check(" \r\n ").unwrap_err(), Problem::Empty);
        assert_eq!(
            rules.check("Main JUDI di sini").unwrap_err(),
            Problem::BlockedWord("judi".into())
        );
        assert!(rules.check("penjudian").is_ok(), "whole words only");
        assert_eq!(
            rules.check("Ada SLOT\ngacor, katanya").unwrap_err(),
            Problem::BlockedWord("slot  gacor".into()),
            "a phrase, however it is spaced"
        );
        assert!(
            rules.check("gacor slot").is_ok(),
            "a phrase's words in its order"
        );
        assert!(rules.check("slot parkir").is_ok());
        assert_eq!(
            rules.check("https://a.id dan https://b.id").unwrap_err(),
            Problem::TooManyLinks(1)
        );
        assert!(rules.check("https://a.id saja").is_ok());
        assert_eq!(
            rules.check(&"a".repeat(2001)).unwrap_err(),
            Problem::TooLong(2000)
        );
        assert!(rules.check(&"a".repeat(2000)).is_ok());
        let stored = rules.pairs();
        let again =
            CommentRules::default().with_stored(stored.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(again, rules);
    }

    #[test]
    fn the_edit_window_is_fifteen_minutes() {
        let now = Utc::now();
        assert!(editable(now - Duration::minutes(14), now));
        assert!(!editable(now - Duration::minutes(15), now));
    }
}
