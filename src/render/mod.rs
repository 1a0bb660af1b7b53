//! Rendering: Markdown bodies, the page model, Tera pages, feeds.

pub mod feeds;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod templates;

pub use pages::OutFile;
