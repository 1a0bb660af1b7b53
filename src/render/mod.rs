//! Rendering: Markdown bodies, the page model, Tera pages, feeds.

pub mod external;
pub mod feeds;
pub mod home;
pub mod identity;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod preview;
pub mod search;
pub mod sink;
pub mod site;
pub mod templates;
pub mod texts;
pub mod views;

pub use pages::OutFile;
