//! Paths on this site: what a `next=` after sign-in or a breaking alert's link may point to
//! without sending a reader to another site.

/// Whether `path` stays on this site when a browser follows it.
///
/// Browsers treat `//host` and `/\host` as another host, and drop tabs and line breaks from
/// a URL before reading it, so `/\t/host` is `//host` too: a local path starts with one `/`,
/// is not followed by a second slash or backslash, and holds only printable ASCII (a URI's
/// own characters; anything else arrives percent-encoded).
pub fn is_local(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes
            .iter()
            .all(|b| (0x21..=0x7e).contains(b) && *b != b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_sites_paths_are_local() {
        for local in [
            "/",
            "/read/2026/11/26/banjir",
            "/cari?q=banjir%20bandang",
            "/akun#kunci",
        ] {
            assert!(is_local(local), "{local}");
        }
        for elsewhere in [
            "",
            "read/2026",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/a\\b",
            "https://evil.example",
            "/bérita",
        ] {
            assert!(!is_local(elsewhere), "{elsewhere:?}");
        }
    }
}
