//! Query-string parameters, validated with messages that say what was expected. Public so
//! the fuzz targets can reach it.

use crate::AppError;

/// Longest query string accepted; anything longer is not a person's request.
const MAX_QUERY: usize = 1024;
/// Deepest page served; keeps OFFSET scans bounded.
pub const MAX_PAGE: u32 = 1000;

/// Parsed `?key=value&...` pairs, percent-decoded.
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(query: Option<&str>) -> Result<QueryParams, AppError> {
        let query = query.unwrap_or("");
        if query.len() > MAX_QUERY {
            return Err(AppError::BadParameter {
                id: format!(
                    "Alamat terlalu panjang: bagian setelah \"?\" paling banyak {MAX_QUERY} bita."
                ),
                en: format!("query string too long: at most {MAX_QUERY} bytes"),
            });
        }
        let mut pairs = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| AppError::BadParameter {
                        id: format!("Parameter {key:?} bukan teks UTF-8 yang sah."),
                        en: format!("parameter {key:?} is not valid UTF-8"),
                    })
            };
            let (key, value) = (decode(key)?, decode(value)?);
            // Every parameter names one value: `?page=1&page=abc` is a mistake somewhere, not
            // page 1 (trackers repeated by a forwarded link ask for nothing either way).
            if pairs.iter().any(|(k, _)| *k == key) && !crate::cache::is_tracking_name(&key) {
                return Err(AppError::BadParameter {
                    id: format!("Parameter {key:?} muncul lebih dari sekali."),
                    en: format!("parameter {key:?} given more than once"),
                });
            }
            pairs.push((key, value));
        }
        Ok(QueryParams(pairs))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Refuses any parameter not in `known`: a misspelt filter (`?sectoin=`) would otherwise
    /// be answered unfiltered, which looks like a right answer. Campaign trackers (`utm_*`,
    /// `fbclid`..., which the page cache leaves out of its key too) and a cache-buster `_`
    /// pass: they ask for nothing.
    pub fn only(&self, known: &[&str]) -> Result<(), AppError> {
        let unknown =
            |key: &str| !known.contains(&key) && key != "_" && !crate::cache::is_tracking_name(key);
        match self.0.iter().find(|(k, _)| unknown(k)) {
            None => Ok(()),
            Some((key, _)) => Err(AppError::BadParameter {
                id: format!(
                    "Parameter {key:?} tidak dikenal; yang diterima: {}.",
                    known.join(", ")
                ),
                en: format!("unknown parameter {key:?}; accepted: {}", known.join(", ")),
            }),
        }
    }

    /// `page`, 1 when absent.
    pub fn page(&self) -> Result<u32, AppError> {
        self.number("page", 1, MAX_PAGE, 1)
    }

    /// A whole number parameter within `min..=max`.
    pub fn number(&self, key: &str, min: u32, max: u32, default: u32) -> Result<u32, AppError> {
        match self.get(key) {
            None | Some("") => Ok(default),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| AppError::BadParameter {
                    id: format!(
                        "Parameter {key:?} harus bilangan bulat dari {min} sampai {max}, bukan {text:?}."
                    ),
                    en: format!(
                        "parameter {key:?} must be a whole number from {min} to {max}, got {text:?}"
                    ),
                }),
        }
    }

    /// A slug-valued filter parameter.
    pub fn slug(&self, key: &str) -> Result<Option<&str>, AppError> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some(text) if warta_core::slug::is_slug(text) => Ok(Some(text)),
            Some(text) => Err(AppError::BadParameter {
                id: format!(
                    "Parameter {key:?} hanya boleh berisi huruf kecil, angka dan tanda hubung, bukan {text:?}."
                ),
                en: format!(
                    "parameter {key:?} must be a slug (lower-case letters, digits, hyphens), got {text:?}"
                ),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_validated() {
        assert_eq!(QueryParams::parse(None).unwrap().page().unwrap(), 1);
        assert_eq!(
            QueryParams::parse(Some("page=3")).unwrap().page().unwrap(),
            3
        );
        for bad in [
            "page=0",
            "page=-1",
            "page=abc",
            "page=99999999999",
            "page=1001",
        ] {
            let err = QueryParams::parse(Some(bad)).unwrap().page().unwrap_err();
            assert!(err.to_string().contains("whole number"), "{bad}: {err}");
        }
        assert!(QueryParams::parse(Some(&"a=b&".repeat(400))).is_err());
        let known = ["page", "tag"];
        for fine in ["page=2&tag=x", "page=2&utm_source=wa&fbclid=1&_=1733"] {
            assert!(
                QueryParams::parse(Some(fine)).unwrap().only(&known).is_ok(),
                "{fine}"
            );
        }
        assert_eq!(
            QueryParams::parse(Some("page=2&tga=x"))
                .unwrap()
                .only(&known)
                .unwrap_err()
                .to_string(),
            "unknown parameter \"tga\"; accepted: page, tag"
        );
        assert!(QueryParams::parse(Some("x=%ff")).is_err());
        assert_eq!(
            QueryParams::parse(Some("page=1&page=abc"))
                .err()
                .map(|e| e.to_string()),
            Some("parameter \"page\" given more than once".into())
        );
        assert!(QueryParams::parse(Some("utm_source=a&utm_source=b")).is_ok());
        assert_eq!(
            QueryParams::parse(Some("tag=Bad%20Tag"))
                .unwrap()
                .slug("tag")
                .unwrap_err()
                .to_string(),
            "parameter \"tag\" must be a slug (lower-case letters, digits, hyphens), got \"Bad Tag\""
        );
    }
}
