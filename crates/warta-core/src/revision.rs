//! Comparing two versions of an article's text, line by line, for the newsroom's history.

use similar::{ChangeTag, TextDiff};

/// What happened to a line between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

/// One line of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub change: Change,
    pub text: String,
}

/// The lines of `old` and `new` with what changed, in order (Myers' algorithm).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                ChangeTag::Equal => Change::Same,
                ChangeTag::Delete => Change::Removed,
                ChangeTag::Insert => Change::Added,
            },
            text: change.value().trim_end_matches(['\r', '\n']).to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_removed_and_added_lines() {
        let diff = line_diff("Satu\n\nDua\n", "Satu\n\nDua diperbaiki\nTiga\n");
        let summary: Vec<(Change, &str)> =
            diff.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            summary,
            vec![
                (Change::Same, "Satu"),
                (Change::Same, ""),
                (Change::Removed, "Dua"),
                (Change::Added, "Dua diperbaiki"),
                (Change::Added, "Tiga"),
            ]
        );
        assert!(
            line_diff("a\n", "a\n")
                .iter()
                .all(|l| l.change == Change::Same)
        );
    }
}
