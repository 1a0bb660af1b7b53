//! The leaf (log entry) of one record: small, so that it always fits the
//! uint16 length prefix of an entry bundle however large the record is.
//!
//! ```text
//! sanshen-log-entry-v1\n<index>\nsha256:<hex of SHA-256(record bytes)>\n
//! ```

use super::merkle::hex;
use sha2::{Digest, Sha256};

/// First line of every leaf.
pub const LEAF_FORMAT: &str = "sanshen-log-entry-v1";

/// `"sha256:" + hex(SHA-256(bytes))`.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// The leaf bytes of record `index` whose file bytes are `record`.
pub fn leaf_bytes(index: u64, record: &[u8]) -> Vec<u8> {
    leaf_text(index, &digest(record))
}

/// The leaf naming record `index` whose digest is `digest` (`sha256:…`).
pub fn leaf_text(index: u64, digest: &str) -> Vec<u8> {
    format!("{LEAF_FORMAT}\n{index}\n{digest}\n").into_bytes()
}

/// The index and record digest a leaf names; `None` unless the bytes are
/// exactly a leaf as [`leaf_bytes`] writes it.
pub fn parse_leaf(bytes: &[u8]) -> Option<(u64, String)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split('\n');
    if lines.next()? != LEAF_FORMAT {
        return None;
    }
    let index: u64 = lines.next()?.parse().ok()?;
    let digest = lines.next()?.to_string();
    let hex_ok = digest.strip_prefix("sha256:").is_some_and(|h| {
        h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    });
    (hex_ok && leaf_text(index, &digest) == bytes).then_some((index, digest))
}
