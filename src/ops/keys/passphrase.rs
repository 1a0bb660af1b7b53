//! Where the passphrase of an encrypted key comes from: asked on the
//! terminal (never echoed), or the first line of a file for scripts
//! (`--passphrase-file`, mode 0600 like the key). Never an environment
//! variable.

use std::fs;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::perms::check_private;
use crate::diag::Diagnostic;

/// The shortest passphrase `keygen` accepts for a new key.
pub(super) const MIN_LEN: usize = 8;

/// The source of a passphrase.
#[derive(Debug, Clone)]
pub enum Passphrase {
    /// Ask on the terminal (`/dev/tty`).
    Terminal,
    /// The first line of this file (`--passphrase-file`).
    File(PathBuf),
}

impl Passphrase {
    /// `--passphrase-file FILE` when given, else the terminal.
    pub fn from_arg(file: Option<&Path>) -> Self {
        match file {
            Some(f) => Passphrase::File(f.to_path_buf()),
            None => Passphrase::Terminal,
        }
    }

    /// The passphrase of the key file `key` (shown in the prompt).
    pub fn get(&self, key: &str) -> Result<Zeroizing<String>, Diagnostic> {
        match self {
            Passphrase::Terminal => ask(&format!("请输入私钥 {key} 的口令：")).map_err(|m| {
                Diagnostic::new(key, m).help(
                    "这把私钥有口令保护：请在终端里运行，或用 --passphrase-file FILE 给出存有口令的文件（权限 600）。",
                )
            }),
            Passphrase::File(f) => read_file(f),
        }
    }
}

/// A passphrase for a new key: asked twice on the terminal (they must
/// match), or read from the file; at least [`MIN_LEN`] characters.
pub fn new_passphrase(source: &Passphrase, key: &str) -> Result<Zeroizing<String>, Diagnostic> {
    let pass = match source {
        Passphrase::File(f) => read_file(f)?,
        Passphrase::Terminal => {
            let no_tty = |m: String| {
                Diagnostic::new(key, m).help(
                    "在终端里运行 sanshen keygen，或用 --passphrase-file FILE 给出口令文件；确实不要口令时加 --no-passphrase。",
                )
            };
            let first = ask("请设置新私钥的口令（输入时不显示）：").map_err(no_tty)?;
            let again = ask("请再输入一次口令：").map_err(no_tty)?;
            if first != again {
                return Err(Diagnostic::new(key, "两次输入的口令不一致，未生成私钥")
                    .help("重新运行 sanshen keygen。"));
            }
            first
        }
    };
    if pass.chars().count() < MIN_LEN {
        return Err(
            Diagnostic::new(key, format!("口令太短：至少 {MIN_LEN} 个字符，未生成私钥"))
                .help("用一句只有自己知道的话作口令，例如几个词加数字；口令丢失无法找回。"),
        );
    }
    Ok(pass)
}

fn ask(prompt: &str) -> Result<Zeroizing<String>, String> {
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| format!("无法在终端读取口令：{e}"))
}

/// The first line of `path` (without the line ending), refusing a file
/// that group or others can read.
fn read_file(path: &Path) -> Result<Zeroizing<String>, Diagnostic> {
    let shown = path.display().to_string();
    let text = Zeroizing::new(fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(&shown, format!("无法读取口令文件：{e}"))
            .help("--passphrase-file 指向只含口令一行的文件（权限 600）。")
    })?);
    check_private(path, "口令文件")?;
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(Diagnostic::new(&shown, "口令文件是空的").help("在文件第一行写入口令。"));
    }
    Ok(Zeroizing::new(line.to_string()))
}
