//! Helpers shared by the review commands: the site options, judging the
//! site, resolving an article path, loading a secret key, asking for
//! confirmation, the signing time and atomic writes.

use std::fs;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use ed25519_dalek::SigningKey;

use crate::config;
use crate::content::CONTENT_DIR;
use crate::diag::{Diagnostic, Diagnostics};
use crate::gate::{self, Reviewer};
use crate::pipeline::Judged;
use crate::reviews;
use crate::source::Source;

/// `--root` and `--trust-root`, for every command that reads the site.
#[derive(clap::Args, Debug, Clone)]
pub struct SiteArgs {
    /// 站点根目录（含 site.yaml、content/ 与 reviews/）
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 信任根公钥 ed25519:…（也可用环境变量 SANSHEN_TRUST_ROOT）
    #[arg(long)]
    pub trust_root: Option<String>,
}

/// The folders the build reads, and the site's own config file: a secret
/// key must never be inside them.
pub const BUILD_READ_DIRS: [&str; 4] = [CONTENT_DIR, reviews::DIR, "themes", "static"];

/// Print diagnostics and return exit status 1.
pub fn fail(ds: impl Into<Diagnostics>) -> ExitCode {
    crate::diag::eprint(&ds.into(), crate::diag::Kind::Error);
    ExitCode::FAILURE
}

/// Print a refusal (`拒绝…：message` and how to fix it) and return 1.
pub fn refuse(what: &str, message: &str, help: &str) -> ExitCode {
    eprintln!("{what}：{message}");
    if !help.is_empty() {
        eprintln!("  修改方法：{help}");
    }
    ExitCode::FAILURE
}

/// Load, verify and judge the site; on failure the diagnostics are
/// printed and the exit code returned. Only the trust-root warning is
/// printed here: content warnings belong to `build`.
pub fn judge(args: &SiteArgs) -> Result<Judged, ExitCode> {
    judge_source(args, None).map(|(_, j)| j)
}

/// Judge the site and find the article at content path `rel`. `unread`
/// ends the message for a file the build does not read.
pub fn judge_article(
    args: &SiteArgs,
    rel: &str,
    unread: &str,
) -> Result<(Judged, usize), ExitCode> {
    let judged = judge(args)?;
    match judged.content.articles.iter().position(|a| a.path == rel) {
        Some(idx) => Ok((judged, idx)),
        None => Err(fail(Diagnostic::new(
            format!("content/{rel}"),
            format!("构建不会读取这个文件，{unread}"),
        ))),
    }
}

/// What `sign` and `withdraw` start from: the article's content path, the
/// signer's key, the judged site and the article's index in it.
pub struct Signing {
    pub rel: String,
    pub key: SigningKey,
    pub judged: Judged,
    pub idx: usize,
}

/// Resolve the article, load the key (refusing one inside the site), judge
/// the site and find the article; `unread` as for [`judge_article`].
pub fn signing(
    args: &SiteArgs,
    article: &Path,
    key: &Path,
    unread: &str,
) -> Result<Signing, ExitCode> {
    let rel = article_path(&args.root, article).map_err(fail)?;
    let key = load_key(&args.root, key).map_err(fail)?;
    let (judged, idx) = judge_article(args, &rel, unread)?;
    Ok(Signing {
        rel,
        key,
        judged,
        idx,
    })
}

/// `--rev REV`, for the commands that can read the site from a git
/// revision instead of the work tree.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RevArgs {
    /// 从 git 版本读取站点（提交号、分支或标签，CI 中用 HEAD），不读工作目录中未提交的修改
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

/// [`judge`] from the work tree or, with `rev`, from that git revision;
/// also returns the source, to read more files from it.
pub fn judge_source(args: &SiteArgs, rev: Option<&str>) -> Result<(Source, Judged), ExitCode> {
    let source = Source::open(&args.root, rev).map_err(fail)?;
    let judged =
        crate::pipeline::judge_source(&source, args.trust_root.as_deref()).map_err(fail)?;
    for w in judged.warnings.iter().filter(|w| w.file == config::FILE) {
        crate::diag::eprint_warning(w);
    }
    Ok((source, judged))
}

/// `path` made absolute (against the current directory) and normalised:
/// the longest existing ancestor is canonicalised, the rest appended.
pub fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    let mut base = abs.clone();
    loop {
        if let Ok(c) = base.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                if part == ".." {
                    out.pop();
                } else if part != "." {
                    out.push(part);
                }
            }
            return out;
        }
        match (base.file_name(), base.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                base = parent.to_path_buf();
            }
            _ => return normalise_lexically(&abs),
        }
    }
}

fn normalise_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Which part of the site `path` is in, if it is one the build reads
/// (`content`, `reviews`, `themes`, `static` or `site.yaml`).
pub fn inside_site(root: &Path, path: &Path) -> Option<String> {
    let root = absolute(root);
    let path = absolute(path);
    if path == root.join(config::FILE) {
        return Some(config::FILE.to_string());
    }
    BUILD_READ_DIRS
        .iter()
        .find(|d| path.starts_with(root.join(d)))
        .map(|d| format!("{d}/"))
}

/// Read a PKCS#8 PEM secret key given with `--key`, refusing one that lies
/// where the build reads.
pub fn load_key(root: &Path, path: &Path) -> Result<SigningKey, Diagnostic> {
    let shown = path.display().to_string();
    if let Some(part) = inside_site(root, path) {
        return Err(Diagnostic::new(
            &shown,
            format!("私钥文件位于站点的 {part} 中：私钥绝不能放进网站仓库，已拒绝使用"),
        )
        .help("把私钥移到站点目录之外（例如 ~/.sanshen/），文件权限设为 600；如已提交到 git，应视为已泄露，请管理员吊销（revoked: true）并换发新密钥。"));
    }
    let text = fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(&shown, format!("无法读取私钥文件：{e}"))
            .help("用 --key 指定 sanshen keygen 生成的私钥文件（PKCS#8 PEM）。")
    })?;
    gate::parse_secret_key(&text).map_err(|m| {
        Diagnostic::new(&shown, m)
            .help("私钥应为 sanshen keygen 或 openssl genpkey -algorithm ed25519 生成的 PEM 文件。")
    })
}

/// The keyring entry whose public key is that of `key`.
pub fn reviewer_of<'a>(judged: &'a Judged, key: &SigningKey) -> Result<&'a Reviewer, ExitCode> {
    let public = key.verifying_key();
    judged
        .reviews
        .keyring
        .reviewers
        .iter()
        .find(|r| r.key == public)
        .ok_or_else(|| {
            refuse(
                "已拒绝",
                &format!(
                    "此密钥（公钥 {}）不在审核人名单 reviews/reviewers.yaml 中（unknown key）",
                    gate::format_public_key(&public)
                ),
                "请把公钥交给管理员加入审核人名单，并由根密钥重新签署 governance.yaml。",
            )
        })
}

/// The article `arg` (relative to the current directory, or absolute):
/// its path relative to `content/`, `/`-separated.
pub fn article_path(root: &Path, arg: &Path) -> Result<String, Diagnostic> {
    let shown = arg.display().to_string();
    let file = arg.canonicalize().map_err(|e| {
        Diagnostic::new(&shown, format!("找不到文章文件：{e}"))
            .help("写出文章的路径，例如 content/news/2026-11-18-anquan-shengchan-huiyi.md。")
    })?;
    let rel = content_relative(root, &file, &shown)?;
    let name = rel.rsplit('/').next().unwrap_or_default();
    if !file.is_file() || !name.ends_with(".md") || name == "_index.md" || !rel.contains('/') {
        return Err(Diagnostic::new(
            &shown,
            "这不是一篇文章：文章是栏目目录下的 .md 文件（_index.md 是栏目说明）",
        )
        .help("例如 content/news/2026-11-18-anquan-shengchan-huiyi.md。"));
    }
    Ok(rel)
}

/// `path` (an existing file or folder) relative to `<root>/content/`;
/// empty for `content/` itself or the site root.
pub fn content_relative(root: &Path, path: &Path, shown: &str) -> Result<String, Diagnostic> {
    let path = absolute(path);
    let content = absolute(&root.join(CONTENT_DIR));
    if path == absolute(root) {
        return Ok(String::new());
    }
    let rel = path.strip_prefix(&content).map_err(|_| {
        Diagnostic::new(
            shown,
            format!(
                "{shown} 不在站点的 content/ 目录（{}）中",
                content.display()
            ),
        )
        .help("文章必须在站点根目录的 content/ 下；站点不在当前目录时用 --root 指定。")
    })?;
    let mut parts = Vec::new();
    for c in rel.components() {
        let part = c.as_os_str().to_str().ok_or_else(|| {
            Diagnostic::new(shown, "路径含有无法识别的字符（不是 UTF-8）")
                .help("文件名请只用字母、数字、连字符和汉字。")
        })?;
        parts.push(part.to_string());
    }
    Ok(parts.join("/"))
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

/// RFC 3339 with the site's offset, seconds precision.
pub fn timestamp(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Write `bytes` to `path` atomically (a temporary file beside it, then
/// rename), keeping the mode of the file it replaces.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string());
    let tmp = dir.join(format!(".{name}.sanshen-tmp-{}", std::process::id()));
    let perms = fs::metadata(path).ok().map(|m| m.permissions());
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Some(p) = perms {
            fs::set_permissions(&tmp, p)?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The display name for a reviewer: 「张三（区政府办公室信息科责任编辑）」.
pub fn who(r: &Reviewer) -> String {
    format!("{}（{}，{}）", r.name, r.title, r.id)
}
