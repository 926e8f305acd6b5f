//! The newsroom's language, with no I/O: what an article is, how Indonesian newsrooms show time,
//! how headlines become URLs, how Markdown becomes safe HTML, and how a captured article page
//! becomes an article. Everything here is pure so it can be tested without a server or database.

pub mod account;
pub mod ads;
pub mod alert;
pub mod article;
pub mod body;
pub mod comment;
pub mod i18n;
pub mod import;
pub mod local_path;
pub mod membership;
pub mod meter;
pub mod newsletter;
pub mod readership;
pub mod revision;
pub mod search;
pub mod secret;
pub mod settings;
pub mod slug;
pub mod story;
pub mod taxonomy;
pub mod video;
pub mod webhook;
pub mod workflow;
pub mod zone;

pub use article::{ArticleDraft, FieldError, Source};
pub use zone::Zone;
