//! Indonesian text for search: the stemmer and stop words (no index here; that is
//! `warta-search`).

pub mod stem;
