//! Secret files (keys, passphrase files) must be private: on Unix, refused
//! when group or others have any access, with the exact `chmod 600` fix.

use std::fs;
use std::path::Path;

use crate::diag::Diagnostic;

/// Refuse `path` (a `what`, e.g. 私钥文件) when group or others may read or
/// write it: the fix is `chmod 600`. Only Unix has these bits.
pub fn check_private(path: &Path, what: &str) -> Result<(), Diagnostic> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let shown = path.display().to_string();
        let mode = fs::metadata(path)
            .map_err(|e| Diagnostic::new(&shown, format!("无法读取{what}的权限：{e}")))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            let quoted = shell_quote(&shown);
            return Err(Diagnostic::new(
                &shown,
                format!("{what}的权限是 {mode:04o}，同组用户或其他人也能读取：已拒绝使用（与 ssh 的做法相同）"),
            )
            .help(format!(
                "运行 chmod 600 {quoted} 使只有本人能读；如果别人可能已经复制过它，请管理员吊销这把密钥并换发新密钥。"
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, what);
    Ok(())
}

/// `path` as a shell word (quoted when it has anything but safe characters).
fn shell_quote(path: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+=:@,".contains(c);
    if !path.is_empty() && path.chars().all(safe) {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("keys/a.pem"), "keys/a.pem");
        assert_eq!(shell_quote("my keys/a.pem"), "'my keys/a.pem'");
        assert_eq!(shell_quote("it's.pem"), r"'it'\''s.pem'");
    }
}
