//! The Indonesian analyzer: how text becomes index terms, the same way for articles and for
//! queries. Words are split on anything that is not a letter or digit (so `negara-negara` is
//! two words, and reduplication needs no rule of its own), lower-cased, folded to ASCII
//! (`Pushilin`, `pusHilin` and `Pūshilin` meet), cleared of Indonesian stop words and reduced to
//! their root by `warta_core::search::stem`.

use tantivy::{
    Index,
    tokenizer::{
        AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
        TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
    },
};
use warta_core::search::stem;

/// The analyzer's name in the index schema.
pub const INDONESIAN: &str = "indonesian";

/// The analyzer of the words as written (lower-cased and folded, not stemmed), under which
/// "Maksud Anda" looks for the word a reader misspelled.
pub const WORDS: &str = "words";

/// Words longer than this (in bytes) are noise: URLs, base64, keyboard mashing.
const MAX_WORD: usize = 40;

/// The analyzer articles and queries pass through.
pub fn indonesian() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            stem::stop_words().map(str::to_owned),
        ))
        .filter(Stemmer)
        .build()
}

/// The words as written, for spelling suggestions: "kesehatn" is one letter from "kesehatan",
/// but three from its root "sehat", which is all the stemmed fields know.
pub fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Makes the analyzers known to an index, under [`INDONESIAN`] and [`WORDS`].
pub fn register(index: &Index) {
    index.tokenizers().register(INDONESIAN, indonesian());
    index.tokenizers().register(WORDS, words());
}

/// One word of a text and what the index makes of it: its root, or nothing for a stop word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analyzed {
    pub word: String,
    /// Where the word stands in the text (bytes).
    pub at: std::ops::Range<usize>,
    pub token: Option<String>,
}

/// Every word of `text` with its token, in order (for `warta analyze`).
pub fn analyze(text: &str) -> Vec<Analyzed> {
    let mut words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut out = Vec::new();
    let mut stream = words.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        let at = token.offset_from..token.offset_to;
        let word = text[at.clone()].to_owned();
        let folded = token.text.clone();
        let token =
            (folded.len() < MAX_WORD && !stem::is_stop_word(&folded)).then(|| stem::stem(&folded));
        out.push(Analyzed { word, at, token });
    }
    out
}

/// The stemming step as a tantivy filter.
#[derive(Clone, Copy)]
struct Stemmer;

impl TokenFilter for Stemmer {
    type Tokenizer<T: Tokenizer> = StemmerWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemmerWrapper<T> {
        StemmerWrapper { inner }
    }
}

#[derive(Clone)]
struct StemmerWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemmerWrapper<T> {
    type TokenStream<'a> = StemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

struct StemmerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for StemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        token.text = stem::stem(&token.text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut analyzer = indonesian();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn inflected_forms_meet_at_their_root() {
        assert_eq!(tokens("menguntungkan"), tokens("keuntungan"));
        assert_eq!(tokens("pembangunan"), tokens("membangun"));
        assert_eq!(tokens("bekerja sama"), tokens("kerja sama"));
        assert_eq!(tokens("negara-negara"), ["negara", "negara"]);
        assert_eq!(
            tokens("Pushilin, Matsegora dan Donetsk"),
            ["pushilin", "matsegora", "donetsk"]
        );
    }

    #[test]
    fn analyze_names_every_word_and_its_token() {
        let analyzed = analyze("Yang Menguntungkan");
        assert_eq!(analyzed[0].word, "Yang");
        assert_eq!(analyzed[0].token, None, "a stop word");
        assert_eq!(analyzed[1].token.as_deref(), Some("untung"));
    }
}
