//! The gate's own tests: the v1 conformance vectors, judging and signing.
//!
//! This harness reads the vector fixtures from disk; the gate itself
//! (`src/`) cannot, which `clippy.toml` enforces for the library code.
#![allow(unreachable_pub)] // test helpers are shared between modules of one test binary
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

mod judge;
mod sealed;
mod sign;
mod vectors;

/// A deterministic key for tests (the gate takes its randomness from the
/// caller). Each call gives a new key.
pub fn test_key() -> ed25519_dalek::SigningKey {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&n.to_le_bytes());
    seed[8] = 0x5a;
    ed25519_dalek::SigningKey::from_bytes(&seed)
}

/// The hosts of an article body's Markdown links (inline, reference and
/// autolinks, and one `href="…"` of raw HTML). In production the caller's link model supplies them from the
/// rendered HTML; these tests only need Markdown links.
pub fn hosts_of(body: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut hosts: Vec<String> = Parser::new(body)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. }) => sanshen_gate::url_host(&dest_url),
            Event::Html(h) | Event::InlineHtml(h) => h
                .split("href=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(sanshen_gate::url_host),
            _ => None,
        })
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}
