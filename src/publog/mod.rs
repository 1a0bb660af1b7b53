//! The publication log (发布日志): an append-only, hash-chained,
//! Merkle-tree log of every release, kept by `deploy` outside the
//! release folders and published at `/.well-known/sanshen/`.

pub mod facts;
pub mod interim;
pub mod policy;
pub mod record;
pub mod state;

/// The log's folder inside a deploy folder.
pub const DIR: &str = "log";

/// Where the log is published on the site.
pub const PUBLISHED: &str = ".well-known/sanshen";

/// Refuse output files under [`PUBLISHED`]: only `deploy` writes there
/// (a theme or `static/` must not fake the log).
pub fn reserved(files: &[crate::render::OutFile]) -> Result<(), crate::diag::Diagnostic> {
    let prefix = format!("{PUBLISHED}/");
    match files.iter().find(|f| f.path.starts_with(&prefix)) {
        Some(f) => Err(crate::diag::Diagnostic::new(
            &f.path,
            format!("输出中有 {PUBLISHED}/ 下的文件：这个位置留给部署时写入的发布日志，主题与 static/ 不能占用"),
        )
        .help("从 static/ 或主题中删去这个文件。")),
        None => Ok(()),
    }
}
pub mod history;
