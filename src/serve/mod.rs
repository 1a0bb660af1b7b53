//! `sanshen serve`: the editors' live preview. The whole site — held
//! articles included, each with the 「未发布：待审核」 banner and its
//! reasons — is rendered into memory and served on 127.0.0.1; when a file
//! of the site changes, the changed files are read again, the site is
//! re-judged and re-rendered, and open pages reload. `public/` is never
//! written.

pub mod memo;
pub mod preview;
pub mod reload;
pub mod server;
pub mod tree;
pub mod watcher;

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::diag::{self, Diagnostic, Diagnostics};
use memo::Memo;
use preview::Built;
use reload::Hub;
use server::Answer;
use tree::CachedTree;

/// What `sanshen serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// 0 lets the system choose (the address is printed).
    pub port: u16,
    pub trust_root: Option<String>,
    /// `--now`: the judging clock; `None`: the system clock.
    pub now: Option<String>,
}

/// What the server hands out: the last good build, and the error of the
/// latest build if it failed.
#[derive(Default)]
struct Snapshot {
    built: Option<Arc<Built>>,
    error: Option<String>,
    base_path: String,
}

/// Shared between the server threads and the rebuild loop.
#[derive(Default)]
pub struct State {
    pub hub: Hub,
    snapshot: RwLock<Snapshot>,
}

impl State {
    fn snapshot(&self) -> (Option<Arc<Built>>, Option<String>, String) {
        match self.snapshot.read() {
            Ok(s) => (s.built.clone(), s.error.clone(), s.base_path.clone()),
            Err(_) => (None, Some("内部错误：预览状态不可用".into()), "/".into()),
        }
    }

    fn set(&self, built: Option<Built>, error: Option<String>, base_path: String) {
        if let Ok(mut s) = self.snapshot.write() {
            if let Some(b) = built {
                s.built = Some(Arc::new(b));
            }
            s.error = error;
            s.base_path = base_path;
        }
        self.hub.bump();
    }

    /// What the (decoded) request path gets.
    pub fn answer(&self, path: &str) -> Answer {
        let (built, error, base) = self.snapshot();
        let Some(rel) = path.strip_prefix(base.as_str()) else {
            return if base.starts_with(path) || path == "/" {
                Answer::Redirect(base)
            } else {
                not_found(built.as_deref())
            };
        };
        let key = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        let file = built.as_ref().and_then(|b| b.files.get(&key));
        if let Some(e) = &error {
            if key.ends_with(".html") || file.is_none() {
                return Answer::File {
                    status: 500,
                    mime: server::mime("x.html"),
                    bytes: reload::error_page(e, built.is_some()),
                };
            }
        }
        match file {
            Some(bytes) if key.ends_with(".html") => Answer::File {
                status: 200,
                mime: server::mime(&key),
                bytes: reload::inject(bytes),
            },
            Some(bytes) => Answer::File {
                status: 200,
                mime: server::mime(&key),
                bytes: bytes.clone(),
            },
            None => {
                let dir = format!("{rel}/index.html");
                if built.as_ref().is_some_and(|b| b.files.contains_key(&dir)) {
                    Answer::Redirect(format!("{path}/"))
                } else {
                    not_found(built.as_deref())
                }
            }
        }
    }
}

fn not_found(built: Option<&Built>) -> Answer {
    let bytes = match built.and_then(|b| b.files.get("404.html")) {
        Some(page) => reload::inject(page),
        None => "404：预览中没有这个页面\n".as_bytes().to_vec(),
    };
    Answer::File {
        status: 404,
        mime: server::mime("404.html"),
        bytes,
    }
}

/// Print a line on standard output; a closed pipe is not worth a panic.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Build the preview once more and publish the result to the browsers.
fn rebuild(state: &State, tree: &CachedTree, memo: &Memo, opts: &Options, changed: &[String]) {
    if !changed.is_empty() {
        let shown: Vec<&str> = changed.iter().take(3).map(String::as_str).collect();
        let more = if changed.len() > 3 {
            format!(" 等 {} 个", changed.len())
        } else {
            String::new()
        };
        say(&format!("检测到修改：{}{more}", shown.join("、")));
    }
    let result = preview::build(tree, opts.trust_root.as_deref(), opts.now.as_deref(), memo);
    let reads = tree.take_reads();
    match result {
        Ok(b) => {
            if changed.is_empty() && b.repository_trust {
                diag::eprint_warning(&crate::trust::repository_warning());
            }
            say(&format!(
                "预览已{}：{} 篇文章（其中未发布 {} 篇，页面上有红色提示），从磁盘读取 {reads} 个文件，用时 {:.2} 秒{}",
                if changed.is_empty() { "生成" } else { "更新" },
                b.articles,
                b.held,
                b.seconds,
                if b.warnings > 0 {
                    format!("；{} 条警告（sanshen build 可查看）", b.warnings)
                } else {
                    String::new()
                }
            ));
            let base = b.base_path.clone();
            state.set(Some(b), None, base);
        }
        Err(ds) => report_failure(state, tree, &ds),
    }
}

fn report_failure(state: &State, tree: &CachedTree, ds: &Diagnostics) {
    diag::eprint(ds, diag::Kind::Error);
    eprintln!(
        "预览构建失败：发现 {} 个问题；浏览器中显示错误页，上一次成功的预览保留不变。改正后保存即可。",
        ds.0.len()
    );
    state.set(None, Some(ds.to_string()), preview::base_path(tree));
}

/// Run the preview until the process is ended. Returns only when it
/// cannot start (no such site, the port is taken).
pub fn run(opts: &Options) -> Result<(), Diagnostic> {
    let shown = opts.root.display().to_string();
    let root = opts.root.canonicalize().map_err(|e| {
        Diagnostic::new(&shown, format!("找不到站点目录：{e}"))
            .help("在站点根目录（含 site.yaml）中运行，或用 --root 指定站点目录。")
    })?;
    let listener = TcpListener::bind(("127.0.0.1", opts.port)).map_err(|e| {
        Diagnostic::new(
            format!("127.0.0.1:{}", opts.port),
            format!("无法在端口 {} 上启动预览：{e}", opts.port),
        )
        .help("端口可能已被占用：用 --port 指定其他端口，例如 --port 8080；--port 0 由系统选择空闲端口。")
    })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
    // Watch first, so that no change during the first build is missed.
    let mut watch = watcher::Watch::start(&root)?;
    let tree = CachedTree::new(&root);
    let state = Arc::new(State::default());
    let memo = Memo::default();
    rebuild(&state, &tree, &memo, opts, &[]);
    let served = state.clone();
    std::thread::Builder::new()
        .name("serve".into())
        .spawn(move || server::run(listener, served))
        .map_err(|e| Diagnostic::new(&shown, format!("无法启动预览服务线程：{e}")))?;
    let (built, _, base) = state.snapshot();
    say(&format!("预览地址：http://127.0.0.1:{port}{base}"));
    if let Some(page) = built.as_ref().and_then(|b| b.first_held.as_ref()) {
        say(&format!(
            "未发布（待审核）的文章也在预览中，页首有红色横幅说明原因，例如 http://127.0.0.1:{port}{page}"
        ));
    }
    say("修改并保存文件后，打开的页面会自动刷新。预览只在内存中，不会写入 public/。按 Ctrl+C 结束。");
    while let Some(changed) = watch.next_batch() {
        tree.invalidate(&changed);
        rebuild(&state, &tree, &memo, opts, &changed);
    }
    Ok(())
}
