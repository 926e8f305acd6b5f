//! Query strings as a reader's browser sends them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_web::query::QueryParams;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(params) = QueryParams::parse(Some(&text)) {
        let _ = params.page();
        let _ = params.number("limit", 1, 100, 20);
        let _ = params.slug("tag");
    }
});
