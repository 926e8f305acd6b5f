//! The index's fields. Changing them changes [`SCHEMA_VERSION`], which makes every node rebuild
//! its index from the store at the next start.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analyzer::{INDONESIAN, WORDS};

/// Bumped whenever the fields or the analyzer change meaning.
pub const SCHEMA_VERSION: &str = "4";

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// The article's last change, to tell which documents are stale.
    pub modified: Field,
    pub published_at: Field,
    pub headline: Field,
    pub summary: Field,
    /// The body as plain text (stored for snippets).
    pub body: Field,
    pub tags: Field,
    /// Every word of headline, summary, body and tags as written (not stemmed, not stored),
    /// for spelling suggestions.
    pub words: Field,
    /// Section slug, for filtering; the name is stored beside it.
    pub section: Field,
    pub section_name: Field,
    /// Author slugs, for filtering.
    pub authors: Field,
    pub path: Field,
    pub zone: Field,
    /// 1 for members-only articles: their results show the summary, never body text.
    pub members_only: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(INDONESIAN)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | STORED | FAST),
        modified: builder.add_i64_field("modified", FAST),
        published_at: builder.add_i64_field("published_at", INDEXED | STORED | FAST),
        headline: builder.add_text_field("headline", text.clone()),
        summary: builder.add_text_field("summary", text.clone()),
        body: builder.add_text_field("body", text.clone()),
        tags: builder.add_text_field("tags", text),
        words: builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        section: builder.add_text_field("section", STRING | STORED),
        section_name: builder.add_text_field("section_name", STORED),
        authors: builder.add_text_field("authors", STRING),
        path: builder.add_text_field("path", STORED),
        zone: builder.add_text_field("zone", STORED),
        members_only: builder.add_u64_field("members_only", STORED),
    };
    (builder.build(), fields)
}
