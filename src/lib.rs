//! sanshen (三审): a static-site generator for Chinese government websites
//! with the three-level review gate built in.

// Errors here are user diagnostics (file, line, message, fix, snippet) on
// the cold path; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod attach;
pub mod audit;
pub mod cache;
pub mod clock;
pub mod commands;
pub mod config;
pub mod content;
pub mod dates;
pub mod describe;
pub mod diag;
/// The publishing gate: its own crate, which cannot do I/O.
pub use sanshen_gate as gate;
/// Splitting an article file (owned by the gate).
pub use sanshen_gate::document;
pub mod git;
pub mod inputs;
pub mod layout;
pub mod link_inventory;
pub mod linkcheck;
pub mod links;
pub mod manifest;
pub mod ops;
pub mod output;
pub mod outscan;
pub mod pipeline;
pub mod printable;
pub mod progress;
pub mod publish;
pub mod publog;
pub mod render;
pub mod review;
pub mod reviews;
pub mod rules;
pub mod scaffold;
/// The static search index (built by the renderer).
pub use render::search;
pub mod secrets;
pub mod serve;
pub mod source;
pub mod theme;
pub mod timings;
pub mod tree;
pub mod trust;
pub mod workers;
