//! Secret keys never belong in the site: any file the build reads that
//! holds a PEM private key stops the build.

use memchr::memmem;

use crate::diag::{line_of_offset, Diagnostic, Diagnostics};
use crate::tree::Tree;

const MARKER: &[u8] = b"PRIVATE KEY-----";

/// The 1-based line of a private-key marker in `bytes`, if any.
pub fn find(bytes: &[u8]) -> Option<usize> {
    let at = memmem::find(bytes, MARKER)?;
    Some(line_of_offset(&String::from_utf8_lossy(&bytes[..at]), at))
}

/// The diagnostic for a key found in `file`.
pub fn found(file: &str, line: usize) -> Diagnostic {
    Diagnostic::new(file, "发现私钥（PRIVATE KEY）：私钥绝不能放进网站仓库，构建已停止")
        .at_line(line)
        .help("立即把该文件移出仓库并从 git 历史中清除；该私钥应视为已泄露：在 reviews/reviewers.yaml 中设 revoked: true，再用 sanshen keygen 生成新密钥。")
}

/// Scan every file under `dirs` (Markdown under `content/` is checked as it
/// is loaded) and the files in `extra`.
pub fn scan(
    tree: &dyn Tree,
    dirs: &[&str],
    extra: &[&str],
    limits: &crate::config::Limits,
) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut paths: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    for dir in dirs {
        let list = tree
            .list(dir)
            .map_err(|e| Diagnostics::from(Diagnostic::new(*dir, format!("无法读取目录：{e}"))))?;
        paths.extend(
            list.into_iter()
                .filter(|p| !(p.starts_with("content/") && p.ends_with(".md"))),
        );
    }
    for p in paths {
        // A file over the limit is never read: the frame's stop the build
        // (`crate::inputs`), content's are never published.
        if tree.size(&p).map_or(true, |n| n > limits.file_bytes()) {
            continue;
        }
        if let Ok(bytes) = tree.read(&p) {
            if let Some(line) = find(&bytes) {
                errors.push(found(&p, line));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pem_marker_line() {
        assert_eq!(find(b"a\n-----BEGIN PRIVATE KEY-----\nMC4\n"), Some(2));
        assert_eq!(find(b"public key only"), None);
    }
}
