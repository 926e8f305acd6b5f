//! Turning outside material into article drafts: captured article pages as plain text, and
//! Warta's own JSON (the API's article format), which export writes and import reads back.

pub mod page_text;
pub mod record;

/// Why a file could not be imported: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ImportError {
    /// 1-based line number in the file.
    pub line: usize,
    pub message: String,
}
