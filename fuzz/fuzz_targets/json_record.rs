//! Warta's JSON article format as `warta import` reads it: deserialize, validate, render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_core::{body, import::record::ArticleRecord};

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = serde_json::from_slice::<ArticleRecord>(data) {
        let draft = record.into_draft();
        let markdown = draft.body_markdown.clone();
        let _ = draft.normalize();
        let _ = body::render(&markdown);
    }
});
