//! The integration tests: one binary, one module per topic (as mdBook and
//! ripgrep do), so touching the library relinks one test executable instead
//! of one per file. `common` holds the shared helpers: purpose-made sites in
//! temp dirs and the real `sanshen` binary run against them.
//!
//! Run one topic with `cargo test --test testsuite -- build::`.
#![allow(unreachable_pub)] // test helpers are shared between modules of one test binary

mod common;

mod architecture;
mod assets_v2;
mod assign;
mod attachments;
mod audit;
mod availability;
mod bad_input;
mod book;
mod browser;
mod build;
mod cli_messages;
mod columns;
mod commands_governance;
mod commands_records;
mod commands_sign;
mod commands_status;
mod conformance;
mod cuomin;
mod dates;
mod dead_links;
mod frame;
mod gate_build;
mod gate_sealed;
mod git_build;
mod golden;
mod identity;
mod incremental;
mod init;
mod keys_agent;
mod keys_files;
mod leave_site;
mod link_property;
mod links;
mod new;
mod office;
mod ops_deploy;
mod ops_http;
mod ops_verify;
mod outscan;
mod page_size;
mod portal;
mod properties;
mod publog_format;
mod publog_gate;
mod publog_verify;
mod raw_html;
mod review_desk;
mod robust;
mod roots;
mod roots_vectors;
mod rules;
mod schedule;
mod search;
mod serve;
mod trust_and_strict;
mod unsign;
mod yaml_messages;
