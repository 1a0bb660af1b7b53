//! What the commands share: the site options, asking for confirmation on
//! the terminal, and printing a failed operation. The helpers themselves
//! live in `crate::ops`.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

use crate::diag::safe;
pub use crate::ops::files::write_atomic;
pub use crate::ops::keys::{load_secret_key, Passphrase};
pub use crate::ops::site::{
    absolute, article_path, content_relative, inside_site, judge, judge_article, judge_source,
    timestamp, who, SiteOpts,
};
use crate::ops::Error;

/// `--passphrase-file`, for every command that reads a secret key.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PassphraseArgs {
    /// 私钥口令文件（第一行为口令，权限须为 600），供脚本使用；不给时若私钥有口令则在终端询问
    #[arg(long, value_name = "文件")]
    pub passphrase_file: Option<PathBuf>,
}

impl PassphraseArgs {
    /// Where the passphrase of an encrypted key comes from.
    pub fn source(&self) -> Passphrase {
        Passphrase::from_arg(self.passphrase_file.as_deref())
    }
}

/// `--root` and `--trust-root`, for every command that reads the site.
#[derive(clap::Args, Debug, Clone)]
pub struct SiteArgs {
    /// 站点根目录（含 site.yaml、content/ 与 reviews/）
    #[arg(long, default_value = ".", value_name = "目录")]
    pub root: PathBuf,
    /// 信任根公钥 ed25519:…（也可用环境变量 SANSHEN_TRUST_ROOT；给出但为空或无效时报错）
    #[arg(long, value_name = "公钥")]
    pub trust_root: Option<String>,
    /// 判定时间（RFC 3339，例如 2026-11-21T12:00:00+08:00）：按此时间判断定时发布、到期与密钥有效期；默认系统时间
    #[arg(long, value_name = "时间")]
    pub now: Option<String>,
}

impl SiteArgs {
    /// The site, for an operation.
    pub fn opts(&self) -> SiteOpts {
        SiteOpts::new(&self.root, self.trust_root.as_deref()).at(self.now.as_deref())
    }
}

/// `--rev REV`, for the commands that can read the site from a git
/// revision instead of the work tree.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RevArgs {
    /// 从 git 版本读取站点（提交号、分支或标签，CI 中用 HEAD），不读工作目录中未提交的修改
    #[arg(long, value_name = "版本")]
    pub rev: Option<String>,
}

/// Ask `确认…？[y/N]` on the terminal. Refuses (with how to skip the
/// question) when stdin is not a terminal.
pub fn confirm(question: &str) -> Result<bool, String> {
    if !io::stdin().is_terminal() {
        return Err(
            "标准输入不是终端，无法询问确认；确认无误后加 --yes 再运行（用于脚本与 CI）"
                .to_string(),
        );
    }
    print!("{question}[y/N] ");
    io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let answer = line.trim().to_lowercase();
    Ok(matches!(answer.as_str(), "y" | "yes" | "是"))
}

/// Print a failed operation: diagnostics and refusals on standard error,
/// a last word (such as 「已取消」) on standard output.
pub fn report(e: &Error) {
    match e {
        Error::Diagnostics {
            before,
            diagnostics,
            after,
        } => {
            if let Some(b) = before {
                eprintln!("{}", safe(b));
            }
            crate::diag::eprint(diagnostics, crate::diag::Kind::Error);
            if let Some(a) = after {
                eprintln!("{}", safe(a));
            }
        }
        Error::Refused {
            what,
            message,
            help,
        } => {
            eprintln!("{}：{}", safe(what), safe(message));
            if !help.is_empty() {
                eprintln!("  修改方法：{}", safe(help));
            }
        }
        Error::Text(t) => eprint!("{}", safe(t)),
        Error::Unsuccessful(last) => {
            if !last.is_empty() {
                println!("{}", safe(last));
            }
        }
    }
}
