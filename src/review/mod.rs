//! `sanshen review`: the review desk (审核台). A reviewer's browser talks
//! to this process on 127.0.0.1 only: their queue, each article as it will
//! be published with everything they attest, the changes since the version
//! they approved, and 签发 / 退回 / 撤稿 — signed with the key given at the
//! start (loaded once, in [`load_reviewer_key`]) and committed to git.
//!
//! Every request must name this desk (`Host: 127.0.0.1:<port>` or
//! `localhost:<port>`) and carry the random token printed at the start (in
//! the URL once, then in a `SameSite=Strict` cookie); every form also
//! carries the session's CSRF token and must come from the desk's origin.

pub mod actions;
pub mod article;
pub mod diff;
pub mod http;
pub mod page;
pub mod queue;
pub mod server;
pub mod view;

use std::io::Write;
use std::net::TcpListener;

use std::sync::{Arc, Mutex};

use crate::ops::keys::{Passphrase, Signer};
use rand_core::{OsRng, RngCore};

use crate::diag::Diagnostic;
use crate::ops::site::SiteOpts;
use crate::ops::Error;
use crate::serve::memo::Memo;
use crate::serve::preview::{self, Built};
use crate::serve::tree::CachedTree;

/// What `sanshen review` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub site: SiteOpts,
    /// `--key`: the reviewer's secret key.
    /// The key argument: a key file or `ssh-agent[:fingerprint]`.
    pub key: String,
    /// Where the passphrase of an encrypted key comes from.
    pub passphrase: Passphrase,
    /// 0: a free port chosen by the system.
    pub port: u16,
    /// Open the desk in the browser.
    pub open: bool,
}

/// The running desk, shared by the connection threads.
pub struct Desk {
    pub site: SiteOpts,
    /// The reviewer's signer (key file or ssh-agent), loaded at the start.
    signer: Box<dyn Signer>,
    /// In the URL once, then in the cookie.
    pub token: String,
    /// In every form.
    pub csrf: String,
    pub port: u16,
    preview: Mutex<Option<Arc<Built>>>,
    /// Templates and verified signatures kept between previews.
    memo: Memo,
}

impl Desk {
    /// The reviewer's signer, loaded at the start.
    pub fn signer(&self) -> &dyn Signer {
        &*self.signer
    }

    /// The preview of the whole site (held articles included), built
    /// again when `fresh` or not built yet.
    pub fn preview(&self, fresh: bool) -> Result<Arc<Built>, String> {
        let mut cached = self
            .preview
            .lock()
            .map_err(|_| "预览状态不可用".to_string())?;
        if let (false, Some(b)) = (fresh, cached.as_ref()) {
            return Ok(b.clone());
        }
        let tree = CachedTree::new(&self.site.root);
        let built = preview::build(
            &tree,
            self.site.trust_root.as_deref(),
            self.site.now.as_deref(),
            &self.memo,
        )
        .map_err(|ds| ds.to_string())?;
        let built = Arc::new(built);
        *cached = Some(built.clone());
        Ok(built)
    }

    /// Forget the preview (after the desk wrote a file).
    pub fn invalidate(&self) {
        if let Ok(mut c) = self.preview.lock() {
            *c = None;
        }
    }
}

/// The ONE place the reviewer's key is loaded.
pub fn load_reviewer_key(
    site: &SiteOpts,
    key: &str,
    passphrase: &Passphrase,
) -> Result<Box<dyn Signer>, Diagnostic> {
    crate::ops::keys::load_signer(&site.root, key, passphrase)
}

/// 32 random bytes, hex.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Open `url` in the user's browser; failing is not an error.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Start the desk and serve until the process ends.
pub fn run(opts: &Options) -> Result<(), Error> {
    let shown = opts.site.root.display().to_string();
    let root = opts.site.root.canonicalize().map_err(|e| {
        Diagnostic::new(&shown, format!("找不到站点目录：{e}"))
            .help("在站点根目录（含 site.yaml）中运行，或用 --root 指定站点目录。")
    })?;
    let mut site = opts.site.clone();
    site.root = root;
    let signer = load_reviewer_key(&site, &opts.key, &opts.passphrase)?;
    // Refuse a key that is not in the keyring now, not at the first click.
    let v = view::View::of(&site, &signer.public())?;
    let listener = TcpListener::bind(("127.0.0.1", opts.port)).map_err(|e| {
        Diagnostic::new(
            format!("127.0.0.1:{}", opts.port),
            format!("无法在端口 {} 上启动审核台：{e}", opts.port),
        )
        .help("端口可能已被占用：去掉 --port 由系统选择空闲端口。")
    })?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| Diagnostic::new(&shown, format!("无法取得端口：{e}")))?;
    let desk = Arc::new(Desk {
        site,
        signer,
        token: random_token(),
        csrf: random_token(),
        port,
        preview: Mutex::new(None),
        memo: Memo::default(),
    });
    let url = format!("http://127.0.0.1:{port}/_review/?token={}", desk.token);
    say(&format!("审核台已启动，审核人：{}", v.me().name));
    say(&format!("审核台地址（只限本机，请勿转发）：{url}"));
    say("签发、退回、撤稿会写入文章文件，站点在 git 仓库中时自动提交（推送仍由您用 git 完成）。按 Ctrl+C 结束。");
    if opts.open {
        open_browser(&url);
    }
    server::run(listener, desk);
    Ok(())
}
