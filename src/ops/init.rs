//! A new site repository (`sanshen init DIR`): the files of
//! [`crate::scaffold`], with CI pinned to the very binary running `init`
//! (its SHA-256 and version), in a fresh git repository (branch main, no
//! commit: the first commit should carry the root-signed governance).
//! Refuses a directory that is not empty, without touching it.

use std::fs;
use std::path::{Path, PathBuf};

use super::Error;
use crate::diag::Diagnostic;
use crate::scaffold::{self, File, Vars};

/// What to create.
#[derive(Debug, Clone)]
pub struct InitRequest<'a> {
    /// The new repository (created if missing; must be empty).
    pub dir: &'a Path,
    /// 网站名称; default [`scaffold::DEFAULT_NAME`].
    pub name: Option<&'a str>,
    /// The site's base URL; default [`scaffold::DEFAULT_SITE_URL`].
    pub site_url: Option<&'a str>,
    /// Where CI downloads this sanshen; default a placeholder to replace.
    pub tool_url: Option<&'a str>,
}

/// A repository created.
#[derive(Debug, Clone)]
pub struct Created {
    pub dir: PathBuf,
    pub vars: Vars,
    /// The download address is the placeholder (no `--tool-url`).
    pub tool_url_placeholder: bool,
    /// Paths written, in order.
    pub files: Vec<&'static str>,
}

fn refused(what: &Path, message: impl Into<String>, help: &str) -> Error {
    Diagnostic::new(what.display().to_string(), message.into())
        .help(help)
        .into()
}

/// Create the repository.
pub fn init(req: &InitRequest) -> Result<Created, Error> {
    let dir = req.dir;
    check_empty(dir)?;
    let vars = vars(req)?;
    let files = scaffold::site_files(&vars);
    fs::create_dir_all(dir).map_err(|e| {
        refused(
            dir,
            format!("无法创建目录：{e}"),
            "检查上级目录是否存在、是否有写权限。",
        )
    })?;
    for f in &files {
        write(dir, f)?;
    }
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    git2::Repository::init_opts(dir, &opts).map_err(|e| {
        refused(
            dir,
            format!("无法初始化 git 仓库：{}", e.message()),
            "检查目录权限；也可以稍后自行运行 git init -b main。",
        )
    })?;
    Ok(Created {
        dir: dir.to_path_buf(),
        tool_url_placeholder: req.tool_url.is_none(),
        files: files.iter().map(|f| f.path).collect(),
        vars,
    })
}

/// Refuse an existing file or a directory with anything in it.
fn check_empty(dir: &Path) -> Result<(), Error> {
    let help = "sanshen init 只在空目录（或尚不存在的目录）中新建网站仓库，不会改动已有的文件；请换一个目录名。";
    match fs::read_dir(dir) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(refused(
                dir,
                "目录不是空的：拒绝新建网站仓库，未做任何改动",
                help,
            )),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() => Err(refused(
            dir,
            "已存在同名文件（不是目录），未做任何改动",
            help,
        )),
        Err(e) => Err(refused(dir, format!("无法读取目录：{e}"), help)),
    }
}

fn vars(req: &InitRequest) -> Result<Vars, Error> {
    let name = req
        .name
        .unwrap_or(scaffold::DEFAULT_NAME)
        .trim()
        .to_string();
    if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 60 {
        return Err(Error::refused(
            "--name",
            format!("网站名称不可用：{:?}", req.name.unwrap_or_default()),
            "网站名称写一行文字（不超过 60 个字），例如 --name 某某区人民政府。",
        ));
    }
    let site_url = web_url(
        "--site-url",
        req.site_url.unwrap_or(scaffold::DEFAULT_SITE_URL),
        &["http", "https"],
    )?;
    let version = env!("CARGO_PKG_VERSION").to_string();
    let tool_url = match req.tool_url {
        Some(u) => web_url("--tool-url", u, &["http", "https", "file"])?,
        None => scaffold::placeholder_tool_url(&version),
    };
    Ok(Vars {
        name,
        site_url,
        version,
        tool_url,
        tool_sha256: own_sha256()?,
    })
}

/// `text` as a URL of one of `schemes`, in its normal form (which has no
/// quote, space or control character, so it can go into YAML and shell).
fn web_url(flag: &str, text: &str, schemes: &[&str]) -> Result<String, Error> {
    let bad = || {
        Error::refused(
            flag,
            format!("不是有效的网址：{text}"),
            format!(
                "写完整的网址，以 {} 开头。",
                schemes
                    .iter()
                    .map(|s| format!("{s}://"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
    };
    let url = url::Url::parse(text.trim()).map_err(|_| bad())?;
    if !schemes.contains(&url.scheme()) {
        return Err(bad());
    }
    let s = url.to_string();
    // The site URL is written without the trailing slash of an empty path.
    Ok(if flag == "--site-url" {
        s.trim_end_matches('/').to_string()
    } else {
        s
    })
}

/// SHA-256 (hex) of the binary running now: the one the CI pins.
fn own_sha256() -> Result<String, Error> {
    let exe = std::env::current_exe()
        .map_err(|e| Error::Text(format!("无法确定正在运行的 sanshen 可执行文件：{e}\n")))?;
    let bytes = fs::read(&exe).map_err(|e| {
        refused(
            &exe,
            format!("无法读取正在运行的 sanshen 可执行文件：{e}"),
            "检查文件权限。",
        )
    })?;
    Ok(crate::document::sha256_hex(&bytes))
}

fn write(dir: &Path, f: &File) -> Result<(), Error> {
    let path = dir.join(f.path);
    let fail =
        |e: std::io::Error| refused(&path, format!("无法写入：{e}"), "检查目录权限与磁盘空间。");
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(fail)?;
    }
    fs::write(&path, &f.text).map_err(fail)?;
    #[cfg(unix)]
    if f.executable {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).map_err(fail)?;
    }
    Ok(())
}
