//! Searching: what a valid query is, filters, sorting, highlighted snippets, and "did you mean"
//! when a misspelt word finds nothing.

use std::ops::Bound;

use tantivy::{
    DocAddress, Order, Searcher, TantivyDocument, Term,
    collector::{Count, TopDocs},
    query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery},
    schema::{IndexRecordOption, Value},
    snippet::SnippetGenerator,
};
use warta_core::body::escape;

use crate::{SearchError, SearchIndex, analyzer};

/// Longest query accepted, in characters.
pub const MAX_QUERY: usize = 200;

/// Why a query cannot run, in words a reader understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty")]
    Empty,
    #[error("the query is longer than {MAX_QUERY} characters")]
    TooLong,
    #[error("the query has an unmatched quotation mark")]
    UnbalancedQuotes,
    #[error(
        "the query has only common words (such as \"yang\" or \"dan\"); add a word that says what you look for"
    )]
    OnlyStopWords,
}

/// Checks a query before it runs.
pub fn check_query(text: &str) -> Result<(), QueryError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QueryError::Empty);
    }
    if text.chars().count() > MAX_QUERY {
        return Err(QueryError::TooLong);
    }
    if text.matches('"').count() % 2 == 1 {
        return Err(QueryError::UnbalancedQuotes);
    }
    let analyzed = analyzer::analyze(text);
    if !analyzed.is_empty() && analyzed.iter().all(|a| a.token.is_none()) {
        return Err(QueryError::OnlyStopWords);
    }
    Ok(())
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

/// A search as asked.
#[derive(Debug, Clone, Default)]
pub struct Search<'a> {
    pub text: &'a str,
    /// Section slug.
    pub section: Option<&'a str>,
    /// Author slug.
    pub author: Option<&'a str>,
    /// Published at or after (Unix seconds).
    pub from: Option<i64>,
    /// Published before (Unix seconds).
    pub until: Option<i64>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

/// One result, with HTML already escaped and highlighted (`<mark>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: i64,
    pub headline_html: String,
    pub snippet_html: String,
    pub path: String,
    pub published_at: i64,
    pub zone: String,
    pub section: Option<(String, String)>,
}

/// Results of a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// A corrected query when this one found nothing and a word looks misspelt.
    pub suggestion: Option<String>,
}

impl SearchIndex {
    /// Runs a checked query (see [`check_query`]).
    pub fn search(&self, search: &Search<'_>) -> Result<Found, SearchError> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut parser =
            QueryParser::for_index(&self.index, vec![f.headline, f.summary, f.body, f.tags]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.headline, 3.0);
        parser.set_field_boost(f.tags, 2.0);
        parser.set_field_boost(f.summary, 1.5);
        // Lenient, and on a query cleared of syntax readers do not mean: stray punctuation is
        // never an error and never a field name, a wildcard or a boost.
        let (text_query, _) = parser.parse_query_lenient(&plain_syntax(search.text));
        let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        if let Some(section) = search.section {
            parts.push((Occur::Must, term(f.section, section)));
        }
        if let Some(author) = search.author {
            parts.push((Occur::Must, term(f.authors, author)));
        }
        if search.from.is_some() || search.until.is_some() {
            let bound = |at: Option<i64>, make: fn(Term) -> Bound<Term>| {
                at.map_or(Bound::Unbounded, |at| {
                    make(Term::from_field_i64(f.published_at, at))
                })
            };
            parts.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(search.from, Bound::Included),
                    bound(search.until, Bound::Excluded),
                )),
            ));
        }
        let query = BooleanQuery::new(parts);
        let limit = search.limit.max(1);
        let (addresses, total): (Vec<DocAddress>, usize) = match search.sort {
            Sort::Relevance => {
                let (top, total) = searcher.search(
                    &query,
                    &(
                        TopDocs::with_limit(limit)
                            .and_offset(search.offset)
                            .order_by_score(),
                        Count,
                    ),
                )?;
                (top.into_iter().map(|(_, a)| a).collect(), total)
            }
            Sort::Newest => {
                let (top, total) = searcher.search(
                    &query,
                    &(
                        TopDocs::with_limit(limit)
                            .and_offset(search.offset)
                            .order_by_fast_field::<i64>("published_at", Order::Desc),
                        Count,
                    ),
                )?;
                (top.into_iter().map(|(_, a)| a).collect(), total)
            }
        };
        let mut body_snippets = SnippetGenerator::create(&searcher, &*text_query, f.body)?;
        body_snippets.set_max_num_chars(220);
        let mut headline_snippets = SnippetGenerator::create(&searcher, &*text_query, f.headline)?;
        headline_snippets.set_max_num_chars(400);
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.push(self.hit(&doc, &headline_snippets, &body_snippets));
        }
        let suggestion = if total == 0 {
            suggest(&searcher, self, search.text)?
        } else {
            None
        };
        Ok(Found {
            total,
            hits,
            suggestion,
        })
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        headline_snippets: &SnippetGenerator,
        body_snippets: &SnippetGenerator,
    ) -> Hit {
        let f = self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let marked = |generator: &SnippetGenerator| {
            let mut snippet = generator.snippet_from_doc(doc);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            snippet
        };
        let headline = marked(headline_snippets);
        let headline_html = if headline.highlighted().is_empty() {
            escape(&text(f.headline))
        } else {
            headline.to_html()
        };
        let body = marked(body_snippets);
        let locked = doc.get_first(f.members_only).and_then(|v| v.as_u64()) == Some(1);
        // Members-only text stays behind the paywall: their results show the summary.
        let snippet_html = if locked || body.is_empty() || body.highlighted().is_empty() {
            escape(&text(f.summary))
        } else {
            format!("…{}…", body.to_html())
        };
        let section_slug = text(f.section);
        Hit {
            id: doc
                .get_first(f.id)
                .and_then(|v| v.as_u64())
                .and_then(|id| i64::try_from(id).ok())
                .unwrap_or_default(),
            headline_html,
            snippet_html,
            path: text(f.path),
            published_at: doc
                .get_first(f.published_at)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            zone: text(f.zone),
            section: (!section_slug.is_empty()).then(|| (text(f.section_name), section_slug)),
        }
    }
}

/// The query with only the syntax a search box offers: words, "phrases", `-word` to exclude,
/// `+word` to require, AND/OR/NOT and balanced parentheses. Everything else becomes a space.
fn plain_syntax(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '"' | '-' | '+' | '(' | ')') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut depth = 0i32;
    let balanced = kept.chars().all(|c| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        depth >= 0
    }) && depth == 0;
    let kept = if balanced {
        kept
    } else {
        kept.replace(['(', ')'], " ")
    };
    tidy(&kept)
}

/// The words as a reader means them: a `-` or `+` standing alone is punctuation (a pasted
/// "Banjir - Barabai" must not exclude Barabai), a reduplicated word ("anak-anak") is its root
/// (the analyzer indexes "anak-anak" as "anak" twice; as a query it became a phrase that only
/// the reduplicated form matched), "AND NOT" is NOT, and an operator with nothing after it is
/// dropped (the parser answered those with nothing at all).
fn tidy(text: &str) -> String {
    let operator = |w: &str| matches!(w, "AND" | "OR" | "NOT");
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if word == "-" || word == "+" {
            continue;
        }
        if operator(word) {
            match words.last_mut() {
                // "AND NOT" is NOT; "OR NOT" too, rather than losing the exclusion.
                Some(last) if operator(last) && word == "NOT" => *last = "NOT".into(),
                Some(last) if operator(last) => {}
                _ => words.push(word.to_owned()),
            }
            continue;
        }
        words.push(root_of_reduplication(word));
    }
    while words.last().is_some_and(|w| operator(w)) {
        words.pop();
    }
    words.join(" ")
}

/// "anak-anak" as "anak", keeping what surrounds it (`-`, `+`, quotes, parentheses).
fn root_of_reduplication(word: &str) -> String {
    let core = word.trim_start_matches(['-', '+', '"', '(']);
    let core = core.trim_end_matches(['"', ')']);
    let start = word.len() - word.trim_start_matches(['-', '+', '"', '(']).len();
    match core.split_once('-') {
        Some((first, second))
            if !first.is_empty() && first.to_lowercase() == second.to_lowercase() =>
        {
            format!("{}{first}{}", &word[..start], &word[start + core.len()..])
        }
        _ => word.to_owned(),
    }
}

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The query with each word the index does not know replaced by the closest word it does know
/// (edit distance 1, or 2 for words of six letters or more; more documents win ties), or none
/// when no word needed replacing. Only the words change: quotes, `-` and operators stay as the
/// reader typed them.
fn suggest(
    searcher: &Searcher,
    index: &SearchIndex,
    text: &str,
) -> Result<Option<String>, SearchError> {
    let body = index.fields.body;
    let written = index.fields.words;
    let mut suggestion = String::with_capacity(text.len());
    let mut copied = 0;
    for analyzed in analyzer::analyze(text) {
        let Some(token) = analyzed.token else {
            continue;
        };
        // Operators are syntax, not misspelt words ("AND" is one letter from "anda").
        if matches!(analyzed.word.as_str(), "AND" | "OR" | "NOT") {
            continue;
        }
        // Numbers ("26" is not a misspelt "2") and one- or two-letter pieces ("co" of
        // "co.id") are left as typed: too short to correct with any confidence.
        if analyzed.word.chars().any(|c| c.is_ascii_digit()) || analyzed.word.chars().count() < 3 {
            continue;
        }
        if searcher.doc_freq(&Term::from_field_text(body, &token))? > 0 {
            continue;
        }
        // The closest word as written ("kesehatn": "kesehatan"). Only written words: the
        // roots in `body` include members-only text, which a suggestion would spell out.
        let word = analyzed.word.to_lowercase();
        if let Some(better) = closest(searcher, written, &word)? {
            suggestion.push_str(&text[copied..analyzed.at.start]);
            // Terms are lower case; a capital the reader typed stays ("Kesehatn": "Kesehatan").
            let mut letters = better.chars();
            match (analyzed.word.chars().next(), letters.next()) {
                (Some(typed), Some(first)) if typed.is_uppercase() => {
                    suggestion.extend(first.to_uppercase());
                    suggestion.push_str(letters.as_str());
                }
                _ => suggestion.push_str(&better),
            }
            copied = analyzed.at.end;
        }
    }
    if copied == 0 {
        return Ok(None);
    }
    suggestion.push_str(&text[copied..]);
    Ok(Some(suggestion))
}

/// The known term closest to `word` that starts with the same letter.
fn closest(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    word: &str,
) -> Result<Option<String>, SearchError> {
    let Some(first) = word.chars().next() else {
        return Ok(None);
    };
    let max = if word.chars().count() >= 6 { 2 } else { 1 };
    let low = first.to_string();
    let high = char::from_u32(u32::from(first) + 1).map(|c| c.to_string());
    let mut best: Option<(usize, u64, String)> = None;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let terms = inverted.terms();
        let mut range = terms.range().ge(low.as_bytes());
        if let Some(high) = &high {
            range = range.lt(high.as_bytes());
        }
        let mut stream = range.into_stream().map_err(|e| SearchError::Io {
            path: "term dictionary".into(),
            source: e,
        })?;
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if candidate.len().abs_diff(word.len()) > max {
                continue;
            }
            let distance = edit_distance(word, candidate);
            if distance == 0 || distance > max {
                continue;
            }
            let freq = u64::from(stream.value().doc_freq);
            let better = best
                .as_ref()
                .is_none_or(|(d, f, _)| distance < *d || (distance == *d && freq > *f));
            if better {
                best = Some((distance, freq, candidate.to_owned()));
            }
        }
    }
    Ok(best.map(|(_, _, word)| word))
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_checked_with_a_reason() {
        assert_eq!(check_query("  "), Err(QueryError::Empty));
        assert_eq!(check_query(&"a".repeat(201)), Err(QueryError::TooLong));
        assert_eq!(
            check_query("\"kerja sama"),
            Err(QueryError::UnbalancedQuotes)
        );
        assert_eq!(check_query("yang dan"), Err(QueryError::OnlyStopWords));
        assert_eq!(check_query("\"kerja sama\" bilateral"), Ok(()));
        assert_eq!(
            check_query("((( :: ***"),
            Ok(()),
            "odd characters run as text"
        );
    }

    #[test]
    fn only_search_box_syntax_survives() {
        assert_eq!(plain_syntax("headline:x^2 *"), "headline x 2");
        assert_eq!(plain_syntax("(a OR b) -c"), "(a OR b) -c");
        assert_eq!(plain_syntax("((a"), "a");
    }

    #[test]
    fn the_words_are_read_as_a_reader_means_them() {
        assert_eq!(
            plain_syntax("Banjir Kalimantan Terkini - Barabai"),
            "Banjir Kalimantan Terkini Barabai"
        );
        assert_eq!(plain_syntax("- banjir"), "banjir");
        assert_eq!(plain_syntax("banjir -barabai"), "banjir -barabai");
        assert_eq!(plain_syntax("anak-anak"), "anak");
        assert_eq!(
            plain_syntax("\"Desa-desa terpencil\" -Anak-Anak)"),
            "\"Desa terpencil\" -Anak"
        );
        assert_eq!(plain_syntax("covid-19"), "covid-19");
        assert_eq!(
            plain_syntax("banjir AND NOT banjarmasin"),
            "banjir NOT banjarmasin"
        );
        assert_eq!(plain_syntax("banjir OR"), "banjir");
        assert_eq!(plain_syntax("banjir OR NOT kota"), "banjir NOT kota");
        assert_eq!(plain_syntax("kemarau AND OR NOT"), "kemarau");
    }

    #[test]
    fn edit_distance_counts_single_changes() {
        assert_eq!(edit_distance("ekonmi", "ekonomi"), 1);
        assert_eq!(edit_distance("bangun", "bangun"), 0);
        assert_eq!(edit_distance("kpk", "kpu"), 1);
    }
}
