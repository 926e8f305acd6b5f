//! Captured article pages: parse arbitrary text, and when it parses, validate the draft and
//! render its body. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_core::{body, import::page_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(page) = page_text::parse(&text) {
        let markdown = page.draft.body_markdown.clone();
        let _ = page.draft.normalize();
        let _ = body::render(&markdown);
    }
});
