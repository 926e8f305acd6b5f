//! Headlines become URL slugs: short, lower-case, ASCII, stable.

/// Longest slug we make; long Indonesian headlines are cut at a word boundary.
const MAX_LEN: usize = 80;

/// `Hubungan Korea Utara dan Donetsk, Kian Mesra` -> `hubungan-korea-utara-dan-donetsk-kian-mesra`.
///
/// Letters with diacritics common in names (é, ü, ñ ...) fold to their base letter; anything else
/// that is not an ASCII letter or digit separates words. An empty result becomes `artikel` so a
/// URL always has a slug.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len().min(MAX_LEN));
    let mut pending_dash = false;
    for ch in text.chars().flat_map(fold) {
        if ch.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(ch.to_ascii_lowercase());
        } else if ch != '\'' && ch != '’' {
            // Apostrophes join ("Jum'at" -> "jumat"); everything else separates.
            pending_dash = true;
        }
    }
    if slug.len() > MAX_LEN {
        let cut = slug[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("artikel");
    }
    slug
}

/// `base` numbered `n` for a clash (`base-2`), shortened at a word boundary when needed so
/// the result is still a slug: at most 80 characters, or it could not be typed back, imported
/// or looked up.
pub fn numbered(base: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let room = MAX_LEN - suffix.len();
    let mut stem = base;
    if stem.len() > room {
        stem = &stem[..room];
        if let Some(cut) = stem.rfind('-').filter(|&cut| cut > 0) {
            stem = &stem[..cut];
        }
        stem = stem.trim_end_matches('-');
    }
    format!("{stem}{suffix}")
}

/// Whether `text` is already a slug this module could have made (used to validate input slugs).
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_LEN
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A key for matching headlines typed by hand against stored ones ("Baca juga" references):
/// case, punctuation and spacing do not matter.
pub fn headline_key(headline: &str) -> String {
    let mut key = String::with_capacity(headline.len());
    for word in headline
        .chars()
        .flat_map(fold)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// Folds a Latin letter with a diacritic to its base letter(s).
fn fold(ch: char) -> impl Iterator<Item = char> {
    let base: &str = match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
        'è' | 'é' | 'ê' | 'ë' | 'ē' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => "U",
        'ñ' => "n",
        'Ñ' => "N",
        'ç' => "c",
        'Ç' => "C",
        'ß' => "ss",
        _ => "",
    };
    let mut folded: Vec<char> = base.chars().collect();
    if folded.is_empty() {
        folded.push(ch);
    }
    folded.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_slugs_stay_slugs() {
        assert_eq!(numbered("banjir-jakarta", 2), "banjir-jakarta-2");
        let long = slugify(&"kata ".repeat(40));
        assert_eq!(long.len(), 79);
        let second = numbered(&long, 2);
        assert!(is_slug(&second), "{second}");
        assert!(second.ends_with("-kata-2"), "{second}");
        let unbroken = "a".repeat(80);
        assert!(is_slug(&numbered(&unbroken, 1000)));
    }

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert_eq!(
            slugify(
                "Hubungan Korea Utara dan Donetsk, Wilayah Ukraina yang Diduduki Rusia, Kian Mesra"
            ),
            "hubungan-korea-utara-dan-donetsk-wilayah-ukraina-yang-diduduki-rusia-kian-mesra"
        );
        assert_eq!(
            slugify("  Rangkuman Hari Ke-175: PLTN  "),
            "rangkuman-hari-ke-175-pltn"
        );
        assert_eq!(slugify("Café “Über” Jum'at"), "cafe-uber-jumat");
        assert_eq!(slugify("!!!"), "artikel");
    }

    #[test]
    fn long_slugs_cut_at_a_word() {
        let slug = slugify(&"kata ".repeat(40));
        assert!(slug.len() <= MAX_LEN);
        assert!(slug.ends_with("kata"));
        assert!(is_slug(&slug));
    }

    #[test]
    fn slug_validation() {
        assert!(is_slug("a-1-b"));
        assert!(!is_slug("A-b"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }

    #[test]
    fn headline_keys_ignore_case_and_punctuation() {
        assert_eq!(
            headline_key("Putin Kecam Hegemoni AS,  Prediksi Berakhirnya Dunia Unipolar"),
            headline_key("putin kecam hegemoni as prediksi berakhirnya dunia unipolar.")
        );
        assert_ne!(headline_key("Satu"), headline_key("Dua"));
    }
}
