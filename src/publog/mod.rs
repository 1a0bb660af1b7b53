//! The publication log (发布日志): an append-only, hash-chained,
//! Merkle-tree log of every release, kept by `deploy` outside the
//! release folders and published at `/.well-known/sanshen/`.
//!
//! Formats (see `docs/spec/publication-log.md`): C2SP tlog-tiles
//! ([`tiles`], RFC 6962 hashing in [`merkle`]) over small leaves
//! ([`leaf`]) that name each record's digest, and a C2SP tlog-checkpoint
//! signed as a C2SP signed note ([`note`]). This module does no I/O of
//! its own: it reads and writes through a [`store::Store`]
//! (`ops::logstore` has the folder and web-site stores).

pub mod append;
pub mod backdate;
pub mod leaf;
pub mod merkle;
pub mod note;
pub mod record;
pub mod store;
pub mod tiles;
pub mod verify;

pub use append::{append, Appended, NewEntry};
pub use store::{origin_for, Store, WritableStore};
pub use verify::{verify, VerifiedLog};
pub mod facts;
pub mod policy;
pub mod state;

/// The log's folder inside a deploy folder.
pub const DIR: &str = "log";

/// Where the log is published on the site.
pub use store::WELL_KNOWN as PUBLISHED;

/// A log read for a build's `--log`: where from (as given), and its
/// records (`None`: there is no log there yet).
#[derive(Debug, Clone)]
pub struct LogView {
    pub shown: String,
    pub records: Option<Vec<record::Record>>,
}

/// A site path under [`PUBLISHED`] (where `deploy` publishes the log).
pub fn is_reserved(path: &str) -> bool {
    path.strip_prefix(PUBLISHED)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Refuse output files under [`PUBLISHED`]: only `deploy` writes there
/// (a theme or `static/` must not fake the log).
pub fn reserved(files: &[crate::render::OutFile]) -> Result<(), crate::diag::Diagnostic> {
    match files.iter().find_map(|f| reserved_file(&f.path)) {
        Some(d) => Err(d),
        None => Ok(()),
    }
}

/// [`reserved`] for one output path.
pub fn reserved_file(path: &str) -> Option<crate::diag::Diagnostic> {
    is_reserved(path).then(|| {
        crate::diag::Diagnostic::new(
            path,
            format!("输出中有 {PUBLISHED}/ 下的文件：这个位置留给部署时写入的发布日志，主题与 static/ 不能占用"),
        )
        .help("从 static/ 或主题中删去这个文件。")
    })
}
pub mod history;
