//! Where a log's files are read from and written to: a folder or a web
//! site. The log code only names files by their path in the log
//! (`checkpoint`, `tile/0/000.p/3`, `records/0.json`…); the stores are in
//! `ops::logstore`.

use crate::diag::Diagnostic;

/// Files of a log, read.
pub trait Store {
    /// The bytes of `rel`, `None` when it does not exist; an error when it
    /// cannot be read or is larger than `limit` bytes.
    fn read(&self, rel: &str, limit: u64) -> Result<Option<Vec<u8>>, Diagnostic>;

    /// How `rel` is shown to the user (a path or a URL).
    fn show(&self, rel: &str) -> String;
}

/// Files of a log, written (each atomically).
pub trait WritableStore: Store {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// The log's signed tree head.
pub const CHECKPOINT: &str = "checkpoint";
/// The deploy public key, informational.
pub const KEY: &str = "key";
/// Where the log is published on the site.
pub const WELL_KNOWN: &str = ".well-known/sanshen";

/// `records/<index>.json`.
pub fn record_path(index: u64) -> String {
    format!("records/{index}.json")
}

/// `manifests/<hex>.json` of a manifest whose digest is `sha256:<hex>`.
pub fn manifest_path(digest: &str) -> String {
    format!(
        "manifests/{}.json",
        digest.strip_prefix("sha256:").unwrap_or(digest)
    )
}

/// The checkpoint origin (and key name) of a site: the host (and path) of
/// its base URL without scheme, then `/sanshen-log`:
/// `https://www.shiliqu.gov.cn` → `www.shiliqu.gov.cn/sanshen-log`.
pub fn origin_for(base_url: &str) -> String {
    let t = base_url.trim();
    let t = t.split_once("://").map_or(t, |(_, rest)| rest);
    format!("{}/sanshen-log", t.trim_end_matches('/'))
}
