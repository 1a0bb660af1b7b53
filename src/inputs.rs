//! Confined inputs: what a build reads must be a regular file inside the
//! site's folders — never a symbolic link (which could reach anywhere, e.g.
//! `/etc` or a deploy key) — and no larger than `site.yaml`'s `limits`,
//! checked before the file is read. This module checks the frame
//! (`site.yaml`, `reviews/`, `themes/`) and `static/`; the articles under
//! `content/` are checked one by one when they are loaded, so that one
//! editor's link or oversized file holds only that article.

use crate::config::{self, Limits};
use crate::diag::{Diagnostic, Diagnostics};
use crate::tree::Tree;

/// The error for a symbolic link the build refuses.
pub fn symlink(path: &str) -> Diagnostic {
    Diagnostic::new(
        path,
        "这是一个符号链接（symlink）：构建不读取符号链接指向的文件",
    )
    .help("删除这个链接，把它指向的文件本身复制到这里（git 中提交文件本身，而不是链接）。")
}

/// The error for a file larger than its limit.
pub fn too_large(path: &str, size: u64, limit_mb: u64, key: &str) -> Diagnostic {
    Diagnostic::new(
        path,
        format!(
            "文件过大：{:.1} MB，超过上限 {limit_mb} MB（site.yaml 中 limits.{key}）",
            size as f64 / (1024.0 * 1024.0)
        ),
    )
    .help("压缩或拆分这个文件；确实需要时，在 site.yaml 中调高上限，例如 limits: {markdown_mb: 10, file_mb: 50}。")
}

/// Check `site.yaml` itself before it is read: a regular file under the
/// default size limit.
pub fn check_site_yaml(tree: &dyn Tree) -> Result<(), Diagnostic> {
    if !tree.links(config::FILE).unwrap_or_default().is_empty() {
        return Err(symlink(config::FILE));
    }
    let limits = Limits::default();
    match tree.size(config::FILE) {
        Ok(n) if n > limits.file_bytes() => {
            Err(too_large(config::FILE, n, limits.file_mb, "file_mb"))
        }
        _ => Ok(()),
    }
}

/// The folders besides `content/` whose every file is part of the frame or
/// published as is (`crate::layout::SITE_DIRS` without `content`, written
/// out so that `content` can use this module without an import cycle).
const FRAME_DIRS: [&str; 3] = ["reviews", "themes", "static"];

/// Check the frame and `static/`: no symbolic link, no file over
/// `limits.file_mb`. Every problem is reported together; any stops the
/// build.
pub fn check_frame(tree: &dyn Tree, limits: &Limits) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    for dir in FRAME_DIRS {
        match tree.links(dir) {
            Ok(links) => links.iter().for_each(|l| errors.push(symlink(l))),
            Err(e) => errors.push(Diagnostic::new(dir, format!("无法读取目录：{e}"))),
        }
        for path in tree.list(dir).unwrap_or_default() {
            if let Ok(n) = tree.size(&path) {
                if n > limits.file_bytes() {
                    errors.push(too_large(&path, n, limits.file_mb, "file_mb"));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.sorted())
    }
}
