//! Routes by audience: readers' pages, the JSON API, static assets.

pub mod admin_api;
pub mod ads;
pub mod api;
pub mod assets;
pub mod auth;
pub mod breaking;
pub mod channels;
pub mod comments;
pub mod feeds;
pub mod membership;
pub mod newsletters;
pub mod newsroom;
pub mod reader;
pub mod search;
pub mod settings;
pub mod stories;
pub mod taxonomy;
pub mod video;
