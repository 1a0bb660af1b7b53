//! What every operation on a site starts from: where the site is, judging
//! it, resolving an article path, where the site's parts are (a secret key
//! is never read from there: `ops::keys`) and the signing time.

use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config;
use crate::content::CONTENT_DIR;
use crate::diag::{Diagnostic, Diagnostics};
use crate::gate::Reviewer;
use crate::layout::SITE_DIRS;
use crate::pipeline::Judged;
use crate::source::Source;

/// The site an operation works on: its root folder, the trust root
/// (`None`: `SANSHEN_TRUST_ROOT`, then `site.yaml`) and the judging clock
/// (`--now`; `None`: the system clock).
#[derive(Debug, Clone, Default)]
pub struct SiteOpts {
    pub root: PathBuf,
    pub trust_root: Option<String>,
    pub now: Option<String>,
}

impl SiteOpts {
    /// The site at `root`, with the trust root given.
    pub fn new(root: impl Into<PathBuf>, trust_root: Option<&str>) -> Self {
        SiteOpts {
            root: root.into(),
            trust_root: trust_root.map(str::to_string),
            now: None,
        }
    }

    /// The same site judged at `now` (`--now`).
    pub fn at(mut self, now: Option<&str>) -> Self {
        self.now = now.map(str::to_string);
        self
    }
}

/// Load, verify and judge the site from the work tree or, with `rev`, from
/// that git revision; also returns the source, to read more files from it.
/// Warnings about `site.yaml` are printed on standard error here (a trust
/// root taken from the repository is only `build`'s and `serve`'s to
/// mention); content warnings belong to `build`.
pub fn judge_source(site: &SiteOpts, rev: Option<&str>) -> Result<(Source, Judged), Diagnostics> {
    let source = Source::open(&site.root, rev)?;
    let judged =
        crate::pipeline::judge_source(&source, site.trust_root.as_deref(), site.now.as_deref())?;
    for w in judged.warnings.iter().filter(|w| w.file == config::FILE) {
        crate::diag::eprint_warning(w);
    }
    Ok((source, judged))
}

/// [`judge_source`] from the work tree.
pub fn judge(site: &SiteOpts) -> Result<Judged, Diagnostics> {
    judge_source(site, None).map(|(_, j)| j)
}

/// Judge the site and find the article at content path `rel`. `unread`
/// ends the message for a file the build does not read.
pub fn judge_article(
    site: &SiteOpts,
    rel: &str,
    unread: &str,
) -> Result<(Judged, usize), Diagnostics> {
    let judged = judge(site)?;
    match judged.content.articles.iter().position(|a| a.path == rel) {
        Some(idx) if !judged.content.articles[idx].readable => {
            // A placeholder: the file could not be read, nothing to act on.
            let a = &judged.content.articles[idx];
            let mut d = Diagnostic::new(
                &a.file,
                a.load_reasons
                    .first()
                    .map(|r| format!("文章无法读取：{}", r.message))
                    .unwrap_or_else(|| "文章无法读取".to_string()),
            )
            .help("先改正这个文件（运行 sanshen status 查看原因），再审核或撤回。");
            d.line = a.load_reasons.first().and_then(|r| r.line);
            Err(d.into())
        }
        Some(idx) => Ok((judged, idx)),
        None => Err(Diagnostic::new(
            format!("content/{rel}"),
            format!("构建不会读取这个文件，{unread}"),
        )
        .into()),
    }
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
    SITE_DIRS
        .iter()
        .find(|d| path.starts_with(root.join(d)))
        .map(|d| format!("{d}/"))
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

/// RFC 3339 with the site's offset, seconds precision.
pub fn timestamp(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The display name for a reviewer: 「张三（区政府办公室信息科责任编辑，zhang.san）」.
pub fn who(r: &Reviewer) -> String {
    format!("{}（{}，{}）", r.name, r.title, r.id)
}
