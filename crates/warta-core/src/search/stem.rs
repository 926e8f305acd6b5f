//! Indonesian stemming and stop words for search.
//!
//! Indonesian builds words by stacking affixes around a root (`ber|tanggung|jawab`,
//! `mem|per|tanya|kan`, `ke|tidak|adil|an`), so a search for *bangun* should also find
//! *membangun*, *pembangunan* and *dibangunkan*. Purely rule-based stemmers such as Snowball's
//! Indonesian stemmer cut whatever looks like an affix and so over-stem (*mengatakan* → *ata*,
//! *menteri* → *teri*, *penangkapan* → *angkap*), which merges unrelated words and hurts
//! precision. This stemmer instead only accepts a cut when what is left is a known root.
//!
//! # Algorithm
//!
//! The affix model is the confix-stripping order of Nazief–Adriani as refined by the
//! Enhanced Confix Stripping (ECS) stemmer:
//!
//! 1. A word that is itself a root (or shorter than four letters, or not purely `a`–`z`) is
//!    returned unchanged, so *menteri*, *berita* and *pesawat* stay whole.
//! 2. Inflectional suffixes come off first: a particle (`-lah`, `-kah`, `-tah`, `-pun`), then a
//!    possessive (`-ku`, `-mu`, `-nya`).
//! 3. Then one derivational suffix (`-an`, `-kan`, `-i`); a word ending in `-kan` is also tried
//!    as a root ending in *k* plus `-an` (*tindakan* → *tindak*).
//! 4. Then up to three derivational prefixes (`di-`, `ke-`, `se-`, `be(r)-`, `te(r)-`, `me(N)-`,
//!    `pe(N)-`, `pe(r)-`, and a reduplicated first syllable as in *pepohonan*), undoing the nasal
//!    assimilation of `meN-`/`peN-`: `meny-` may hide an *s*, `meng-` a *k* or a vowel, `mem-` a
//!    *p*, `men-` a *t*, and `menge-` marks a one-syllable root (*mengebom*). Where a rule is
//!    ambiguous every alternative is tried, in ECS's rule order. `di-`, `meN-` and `se-` only
//!    ever stand first, so they are not looked for further in.
//! 5. The dictionary is consulted after every step, and every combination of the steps is tried
//!    rather than only the first: this is ECS's *loop pengembalian akhiran* (restore the suffixes
//!    and retry), made exhaustive because Indonesian words are short and the search is tiny.
//! 6. Prefix/suffix pairs that Indonesian never combines (`be-…-i`, `di-…-an`, `ke-…-i`,
//!    `ke-…-kan`, `me-…-an`, `se-…-i`, `se-…-kan`, `te-…-an`, and `peN-…-i`/`peN-…-kan`) are
//!    rejected, which stops *mengatakan* from being read as *me- + katak + -an*.
//!
//! Several analyses can reach a root (*diberikan*: *di- + beri + -kan* or *di- + ber- + ikan*).
//! The one with the fewest prefixes wins, because each extra prefix is another guess; then the
//! one that stripped fewer inflections (*bermasalah* is *masalah*, not *masa*); then the first
//! in search order, which tries `-an` before `-kan` and the whole word before `-i` (see
//! [`suffix_variants`] for why).
//!
//! When no analysis reaches a root the stemmer is conservative: it strips only the particle and
//! `-nya` (if at least four letters remain) and otherwise returns the word unchanged. Unknown
//! words are mostly names (*Pushilin*, *Donetsk*) and new loanwords, and cutting them blindly
//! would merge unrelated terms; keeping them whole costs only recall on rare inflections.
//!
//! Known limit: when both a vowel-initial root and the same root with *k* exist, `meng-`/`peng-`
//! takes the vowel reading, as ECS does. That is right for *mengaku* (*aku*, not *kaku*) and
//! *mengisi* (*isi*, not *kisi*) but wrong for *mengawal* (*kawal*, read as *awal*).
//!
//! The root list (`data/id-roots.txt`) was compiled by Warta's developers and is not derived
//! from Kateglo or Sastrawi's dictionary; see `data/README.md`.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Known Indonesian roots. Membership is what makes a cut acceptable.
static ROOTS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../../data/id-roots.txt")));

/// Function words that carry no topic and are dropped from search indexes.
static STOP_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../../data/id-stopwords.txt")));

/// Words shorter than this are returned as they are: they are roots or function words, and
/// cutting affixes from them only produces noise.
const MIN_WORD_LEN: usize = 4;

/// No analysis may leave a root shorter than this: two-letter "roots" match almost anything.
const MIN_ROOT_LEN: usize = 3;

/// Indonesian stacks at most three derivational prefixes (*di-per-ke-…* is already unusual).
const MAX_PREFIXES: usize = 3;

/// Particles are attached after possessives, so they are stripped first.
const PARTICLES: [&str; 4] = ["lah", "kah", "tah", "pun"];

const POSSESSIVES: [&str; 3] = ["nya", "ku", "mu"];

/// Reduces one lower-cased token to its Indonesian root, or returns it unchanged (minus a
/// particle or `-nya`) when no root can be found. See the module documentation for the rules.
#[must_use]
pub fn stem(word: &str) -> String {
    if word.len() < MIN_WORD_LEN || !word.bytes().all(|b| b.is_ascii_lowercase()) || is_root(word) {
        return word.to_owned();
    }
    best_root(word).unwrap_or_else(|| conservative(word).to_owned())
}

/// Every stop word, for analyzers that filter them themselves.
pub fn stop_words() -> impl Iterator<Item = &'static str> {
    STOP_WORDS.iter().copied()
}

/// Whether `word` (lower-case) is an Indonesian function word that search should ignore.
#[must_use]
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(word)
}

fn word_list(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

fn is_root(word: &str) -> bool {
    word.len() >= MIN_ROOT_LEN && ROOTS.contains(word)
}

/// The prefix classes that the confix and ordering restrictions tell apart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prefix {
    Di,
    Ke,
    Se,
    Ber,
    Ter,
    Me,
    /// `pe-`, `pel-` and `peN-`, which form nouns and so never take a verbal `-i` or `-kan`.
    Pe,
    /// `per-`, which also forms verbs (*perkenalkan*, *perbaiki*).
    Per,
    /// A copied first consonant plus *e* (dwipurwa): *reruntuhan*, *pepohonan*, *dedaunan*.
    Echo,
}

impl Prefix {
    /// `di-`, `meN-` and `se-` only ever stand first (*di-per-*, *mem-ber-*, *se-pe-*, never
    /// *pe-se-*); refusing them further in stops chains like *pe-se-ber-angan*.
    fn can_be_inner(self) -> bool {
        !matches!(self, Prefix::Di | Prefix::Me | Prefix::Se)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Suffix {
    None,
    I,
    An,
    Kan,
}

impl Suffix {
    /// ECS's list of prefix/suffix pairs that do not occur together in Indonesian, plus
    /// `peN-…-i` and `peN-…-kan`: a noun prefix with a verb suffix (*penari* is not *pe- +
    /// nari + -i*, *perusakan* is not *pe- + rusa + -kan*).
    fn forbidden_with(self, prefix: Prefix) -> bool {
        matches!(
            (prefix, self),
            (
                Prefix::Ber | Prefix::Ke | Prefix::Se | Prefix::Pe,
                Suffix::I
            ) | (Prefix::Di | Prefix::Me | Prefix::Ter, Suffix::An)
                | (Prefix::Ke | Prefix::Se | Prefix::Pe, Suffix::Kan)
        )
    }
}

/// One way of reading a word as affixes around a known root.
#[derive(Debug)]
struct Analysis {
    root: String,
    prefixes: usize,
    /// How many inflectional suffixes were taken off before this reading.
    inflections: usize,
}

impl Analysis {
    /// Lower is better. Each prefix is a guess, so fewer prefixes come first; then a root that
    /// keeps its *-lah*/*-nya*/*-ku*/*-mu* beats one that loses it (*bermasalah* is *masalah*,
    /// not *masa*). Remaining ties go to the first reading in search order.
    fn rank(&self) -> (usize, usize) {
        (self.prefixes, self.inflections)
    }
}

fn best_root(word: &str) -> Option<String> {
    analyses(word)
        .into_iter()
        .min_by_key(Analysis::rank)
        .map(|analysis| analysis.root)
}

/// Every reading of `word` that ends in a known root, in search order: suffix alternatives as
/// [`suffix_variants`] lists them, prefix alternatives in ECS rule order.
fn analyses(word: &str) -> Vec<Analysis> {
    let mut found = Vec::new();
    for (inflections, form) in inflection_variants(word).into_iter().enumerate() {
        for (base, suffix) in suffix_variants(form) {
            let mut reading = Reading {
                suffix,
                inflections,
                found: &mut found,
            };
            if is_root(base) {
                reading.record(base, 0);
            }
            reading.strip_prefixes(base, None, 1);
        }
    }
    found
}

/// The word with its inflectional suffixes stripped step by step, least stripped first. The
/// unstripped forms stay in because roots can end like a suffix (*tanya*, *sekolah*, *temu*).
fn inflection_variants(word: &str) -> Vec<&str> {
    let mut forms = vec![word];
    let particle_free = strip_any(word, &PARTICLES).unwrap_or(word);
    if particle_free != word {
        forms.push(particle_free);
    }
    if let Some(bare) = strip_any(particle_free, &POSSESSIVES) {
        forms.push(bare);
    }
    forms
}

/// The form without each derivational suffix it may carry, and the form itself, in the order
/// that resolves ambiguities best. Once the impossible confixes are ruled out, a word that
/// still reads as both *…k + -an* and *… + -kan* is far more often a noun than an imperative
/// (*perbankan* is *bank*, not *ban*; *penarikan* is *tarik*), so `-an` goes first. A final
/// *-i* is more often part of the root (*memakai*, *membeli*, *mengisi*) than a suffix, so the
/// whole form is tried before it; *menguasai* still reaches *kuasa* because *kuasai* is no root.
fn suffix_variants(form: &str) -> Vec<(&str, Suffix)> {
    let mut variants = Vec::new();
    if let Some(base) = form.strip_suffix("an") {
        variants.push((base, Suffix::An));
    }
    if let Some(base) = form.strip_suffix("kan") {
        variants.push((base, Suffix::Kan));
    }
    variants.push((form, Suffix::None));
    if let Some(base) = form.strip_suffix('i') {
        variants.push((base, Suffix::I));
    }
    variants.retain(|(base, _)| base.len() >= MIN_ROOT_LEN);
    variants
}

fn strip_any<'a>(word: &'a str, endings: &[&str]) -> Option<&'a str> {
    endings
        .iter()
        .find_map(|ending| word.strip_suffix(ending))
        .filter(|rest| rest.len() >= MIN_ROOT_LEN)
}

/// The prefix search for one suffix-stripped form.
struct Reading<'a> {
    suffix: Suffix,
    inflections: usize,
    found: &'a mut Vec<Analysis>,
}

impl Reading<'_> {
    fn record(&mut self, root: &str, prefixes: usize) {
        self.found.push(Analysis {
            root: root.to_owned(),
            prefixes,
            inflections: self.inflections,
        });
    }

    /// Depth-first search through prefix removals, recording every known root on the way.
    fn strip_prefixes(&mut self, word: &str, outer: Option<Prefix>, depth: usize) {
        if depth > MAX_PREFIXES {
            return;
        }
        for (prefix, rest) in prefix_readings(word) {
            let allowed = match outer {
                None => !self.suffix.forbidden_with(prefix),
                Some(outer) => prefix != outer && prefix.can_be_inner(),
            };
            if !allowed || rest.len() < MIN_ROOT_LEN {
                continue;
            }
            if is_root(&rest) {
                self.record(&rest, depth);
            }
            self.strip_prefixes(&rest, Some(prefix), depth + 1);
        }
    }
}

/// Every way to read the start of `word` as one prefix, with what the rest would be once the
/// prefix's sound changes are undone.
fn prefix_readings(word: &str) -> Vec<(Prefix, String)> {
    let mut readings = Vec::new();
    for (text, prefix) in [("di", Prefix::Di), ("ke", Prefix::Ke), ("se", Prefix::Se)] {
        if let Some(rest) = word.strip_prefix(text) {
            readings.push((prefix, rest.to_owned()));
        }
    }
    let families = [
        (Prefix::Ber, ber_readings(word)),
        (Prefix::Ter, ter_readings(word)),
        (Prefix::Me, me_readings(word)),
        (Prefix::Per, per_readings(word)),
        (Prefix::Pe, pe_readings(word)),
        (Prefix::Echo, echo_reading(word).into_iter().collect()),
    ];
    for (prefix, rests) in families {
        readings.extend(rests.into_iter().map(|rest| (prefix, rest)));
    }
    readings
}

fn is_vowel(letter: u8) -> bool {
    matches!(letter, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn starts_with_vowel(text: &str) -> bool {
    text.bytes().next().is_some_and(is_vowel)
}

fn starts_with_any(text: &str, letters: &[u8]) -> bool {
    text.bytes()
        .next()
        .is_some_and(|first| letters.contains(&first))
}

/// `C1 e r C2`, the shape after `be-`/`te-` that lost its *r* (*bekerja*, *beternak*), where
/// `C1` is not one of `excluded`.
fn is_cerc(text: &str, excluded: &[u8]) -> bool {
    match text.as_bytes() {
        [c1, b'e', b'r', c2, ..] => !is_vowel(*c1) && !excluded.contains(c1) && !is_vowel(*c2),
        _ => false,
    }
}

/// `ber-` before a vowel may also be `be-` before an *r*-root (*beragam* → *ragam*); it drops
/// its *r* before `C1erC2` roots (*bekerja*); *belajar* is the one `bel-` form.
fn ber_readings(word: &str) -> Vec<String> {
    let mut rests = r_prefix_readings(word, "ber");
    if let Some(rest) = word
        .strip_prefix("bel")
        .filter(|rest| rest.starts_with("ajar"))
    {
        rests.push(rest.to_owned());
    }
    if let Some(rest) = word.strip_prefix("be").filter(|rest| is_cerc(rest, b"rl")) {
        rests.push(rest.to_owned());
    }
    rests
}

/// `ter-` works like `ber-` (*terasa* → *rasa*) and drops its *r* before `C1erC2` roots.
fn ter_readings(word: &str) -> Vec<String> {
    let mut rests = r_prefix_readings(word, "ter");
    if let Some(rest) = word.strip_prefix("te").filter(|rest| is_cerc(rest, b"r")) {
        rests.push(rest.to_owned());
    }
    rests
}

/// Shared rule for `ber-` and `ter-`: before a vowel the *r* may belong to the prefix
/// or to the root; before a consonant other than *r* it belongs to the prefix.
fn r_prefix_readings(word: &str, prefix: &str) -> Vec<String> {
    let Some(rest) = word.strip_prefix(prefix) else {
        return Vec::new();
    };
    if starts_with_vowel(rest) {
        vec![rest.to_owned(), format!("r{rest}")]
    } else if starts_with_any(rest, b"r") {
        Vec::new()
    } else {
        vec![rest.to_owned()]
    }
}

/// `me-` before *l, r, w, y* and `meN-` with its nasal assimilation.
fn me_readings(word: &str) -> Vec<String> {
    let Some(rest) = word.strip_prefix("me") else {
        return Vec::new();
    };
    let mut rests = nasal_readings(rest);
    if rest.len() > 1 && starts_with_any(rest, b"lrwy") && starts_with_vowel(&rest[1..]) {
        rests.push(rest.to_owned());
    }
    rests
}

/// `pe-`, `pel-` and `peN-`. Plain `pe-` appears before *r*, *w*, *y*, *l* and before most
/// consonants that `peN-` would have nasalised (*perokok*, *petani*, *pedagang*, *pekerja*).
fn pe_readings(word: &str) -> Vec<String> {
    let Some(rest) = word.strip_prefix("pe") else {
        return Vec::new();
    };
    let mut rests = nasal_readings(rest);
    if let Some(ajar) = rest
        .strip_prefix('l')
        .filter(|tail| tail.starts_with("ajar"))
    {
        rests.push(ajar.to_owned());
    }
    let before_vowel = rest.len() > 1 && starts_with_vowel(&rest[1..]);
    let plain = starts_with_any(rest, b"rwyl") && before_vowel
        || !starts_with_vowel(rest) && !starts_with_any(rest, b"rwylmn");
    if plain {
        rests.push(rest.to_owned());
    }
    rests
}

/// `per-` keeps its *r* before a vowel (*perubahan*) and any consonant but *r*.
fn per_readings(word: &str) -> Vec<String> {
    match word.strip_prefix("per") {
        Some(rest) if !rest.is_empty() && !starts_with_any(rest, b"r") => vec![rest.to_owned()],
        _ => Vec::new(),
    }
}

/// The root behind a reduplicated first syllable: *Ce-C…* → *C…* (*rerumputan* → *rumputan*).
fn echo_reading(word: &str) -> Option<String> {
    match word.as_bytes() {
        [first, b'e', third, ..] if first == third && !is_vowel(*first) => {
            Some(word[2..].to_owned())
        }
        _ => None,
    }
}

/// Undoes the nasal of `meN-`/`peN-` (`rest` is what follows *me*/*pe*). Alternatives are
/// listed in ECS's order; loanword clusters keep their first consonant (*memproduksi*,
/// *mengkritik*, *mentransfer*, *mensosialisasikan*).
fn nasal_readings(rest: &str) -> Vec<String> {
    if let Some(after) = rest.strip_prefix("ng") {
        return ng_readings(after);
    }
    if let Some(after) = rest
        .strip_prefix("ny")
        .filter(|after| starts_with_vowel(after))
    {
        return vec![format!("s{after}"), format!("ny{after}")];
    }
    if let Some(after) = rest.strip_prefix('n') {
        return n_readings(after);
    }
    if let Some(after) = rest.strip_prefix('m') {
        return m_readings(after);
    }
    Vec::new()
}

fn ng_readings(after: &str) -> Vec<String> {
    if starts_with_any(after, b"ghqk") {
        return vec![after.to_owned()];
    }
    if !starts_with_vowel(after) {
        return Vec::new();
    }
    let mut rests = vec![after.to_owned(), format!("k{after}")];
    if let Some(monosyllable) = after.strip_prefix('e') {
        rests.push(monosyllable.to_owned());
    }
    rests
}

fn n_readings(after: &str) -> Vec<String> {
    if starts_with_any(after, b"cdjzst") {
        vec![after.to_owned()]
    } else if starts_with_vowel(after) {
        vec![format!("n{after}"), format!("t{after}")]
    } else {
        Vec::new()
    }
}

fn m_readings(after: &str) -> Vec<String> {
    if starts_with_any(after, b"bfvp") {
        vec![after.to_owned()]
    } else if starts_with_vowel(after)
        || after.len() > 1 && starts_with_any(after, b"r") && starts_with_vowel(&after[1..])
    {
        vec![format!("m{after}"), format!("p{after}")]
    } else {
        Vec::new()
    }
}

/// The fallback for words with no known root: drop what is certainly inflection and keep the
/// rest, so *Pushilinnya* still meets *Pushilin*.
fn conservative(word: &str) -> &str {
    let particle_free = strip_any(word, &PARTICLES).unwrap_or(word);
    particle_free
        .strip_suffix("nya")
        .filter(|rest| rest.len() >= MIN_WORD_LEN)
        .or_else(|| (particle_free.len() >= MIN_WORD_LEN).then_some(particle_free))
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIRS: &str = include_str!("../../tests/data/stem-pairs.tsv");

    #[test]
    fn strips_confixes_to_the_root() {
        for (word, root) in [
            ("menguntungkan", "untung"),
            ("keuntungan", "untung"),
            ("bekerja", "kerja"),
            ("pembangunan", "bangun"),
            ("membangun", "bangun"),
            ("mengatakan", "kata"),
            ("penangkapan", "tangkap"),
            ("perekonomian", "ekonomi"),
            ("pemerintah", "perintah"),
            ("dipertanyakan", "tanya"),
            ("kebijakan", "bijak"),
        ] {
            assert_eq!(stem(word), root, "stem({word})");
        }
    }

    #[test]
    fn keeps_roots_that_look_affixed() {
        for word in ["menteri", "negara", "berita", "pesawat", "perang", "kepala"] {
            assert_eq!(stem(word), word);
        }
    }

    #[test]
    fn keeps_unknown_names_short_words_and_numbers() {
        for word in [
            "pushilin",
            "matsegora",
            "donetsk",
            "zelensky",
            "kyiv",
            "bom",
            "2024",
        ] {
            assert_eq!(stem(word), word);
        }
        assert_eq!(stem("pushilinnya"), "pushilin");
    }

    #[test]
    fn recognises_stop_words() {
        for word in [
            "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "ini", "itu",
        ] {
            assert!(is_stop_word(word), "{word} should be a stop word");
        }
        for word in ["yang", "pada", "adalah", "akan", "tidak", "juga"] {
            assert!(is_stop_word(word), "{word} should be a stop word");
        }
        assert!(!is_stop_word("presiden"));
        assert!(!is_stop_word("perang"));
    }

    #[test]
    fn word_lists_are_sorted_lower_case_and_unique() {
        for text in [
            include_str!("../../data/id-roots.txt"),
            include_str!("../../data/id-stopwords.txt"),
        ] {
            let words: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
            assert!(words.windows(2).all(|pair| pair[0] < pair[1]));
            assert!(
                words
                    .iter()
                    .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
            );
        }
    }

    #[test]
    fn accuracy_on_the_pair_list() {
        let pairs: Vec<(&str, &str)> = PAIRS
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| line.split_once('\t'))
            .collect();
        let failures: Vec<String> = pairs
            .iter()
            .filter_map(|&(word, root)| {
                let got = stem(word);
                (got != root).then(|| format!("{word}: expected {root}, got {got}"))
            })
            .collect();
        let accuracy = 1.0 - failures.len() as f64 / pairs.len() as f64;
        println!("stem accuracy: {accuracy:.4} on {} pairs", pairs.len());
        for failure in &failures {
            println!("  {failure}");
        }
        // The list scores higher than unseen text would: its later batches were held out and
        // scored 0.93 and 0.97 on first sight (see the file). The bar guards against regressions.
        assert!(pairs.len() >= 350, "pair list too short");
        assert!(accuracy >= 0.98, "accuracy {accuracy:.4} below 0.98");
    }
}
