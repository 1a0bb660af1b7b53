//! `sanshen serve`: the live preview, through the real binary on a free
//! port — held articles with their banner, live reload over Server-Sent
//! Events, errors shown in the browser, and `public/` never written.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

/// How long anything may take before the test gives up (not a speed
/// requirement: every wait polls and ends as soon as the condition holds).
const PATIENCE: Duration = Duration::from_secs(60);

/// The running server; killed when dropped, also when an assertion fails.
pub(crate) struct Server {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut s = into.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
}

/// Wait until `f` gives something, or fail with `what`.
pub(crate) fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Server {
    pub(crate) fn start(site: &TestSite) -> Server {
        Server::start_with(site, &["--trust-root", &trust_root()])
    }

    /// `sanshen serve` with `args` after `--root .`.
    pub(crate) fn start_with(site: &TestSite, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sanshen"))
            .args(["serve", "--port", "0", "--root", "."])
            .args(args)
            .args(["--now", common::NOW_RFC3339])
            .current_dir(site.path())
            .env("SOURCE_DATE_EPOCH", NOW)
            .env_remove("SANSHEN_TRUST_ROOT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sanshen serve");
        let (stdout, stderr) = (Arc::default(), Arc::default());
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
        };
        drain(out, server.stdout.clone());
        drain(err, server.stderr.clone());
        server.port = wait_for("the preview address", || {
            let text = server.stdout.lock().unwrap().clone();
            let rest = text.split("预览地址：http://127.0.0.1:").nth(1)?;
            rest.split('/').next()?.parse().ok()
        });
        server
    }

    pub(crate) fn out(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub(crate) fn err(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// GET `path`: status and body.
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read response");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("header end");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status");
        (status, body.to_string())
    }
}

/// A site with a published article and a held one (class B, one level of
/// two), and a `public/` left by an earlier build with a marker file.
fn site() -> TestSite {
    let s = TestSite::new();
    s.article(
        "news/ok.md",
        "已发布的动态",
        "2026-11-18",
        "",
        "已发布的正文。",
    );
    s.article_signed(
        "news/wait.md",
        "B",
        "待审核的通知",
        "2026-11-19",
        "",
        "第一版正文。",
        &[("editor", 1)],
    );
    s.write("public/marker.txt", "earlier build\n");
    s
}

fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn preview_shows_held_articles_reloads_and_never_writes_public() {
    let site = site();
    let public_before = snapshot(&site.out());
    let root_before = entries(site.path());
    let server = Server::start(&site);

    let (code, home) = server.get("/");
    assert_eq!(code, 200, "{home}");
    assert!(
        home.contains("已发布的动态") && home.contains("待审核的通知"),
        "{home}"
    );
    assert!(
        home.contains("<span class=\"tag-held\">未发布</span>"),
        "{home}"
    );
    assert!(home.contains("data-sanshen-preview>预览</p>"), "{home}");
    assert!(home.contains("/__sanshen/events"), "{home}");
    assert!(
        !home.contains("未发布：待审核"),
        "only held articles carry the banner"
    );

    let (code, held) = server.get("/news/wait/");
    assert_eq!(code, 200, "{held}");
    assert!(held.contains("role=\"alert\""), "{held}");
    assert!(held.contains("未发布：待审核"), "{held}");
    assert!(held.contains("缺少第2级审核"), "{held}");
    assert!(held.contains(">pending</code>"), "{held}");
    assert!(held.contains("第一版正文"), "{held}");

    let (_, ok) = server.get("/news/ok/");
    assert!(!ok.contains("未发布：待审核") && ok.contains("data-sanshen-preview"));
    assert_eq!(server.get("/no/such/page/").0, 404);
    assert_eq!(server.get("/assets/style.css").0, 200);

    // Live reload: listen for events, then edit the held article.
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        events,
        "GET /__sanshen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    let mut read_until = |needle: &str, seen: &mut String| {
        wait_for(needle, || {
            let mut buf = [0u8; 4096];
            if let Ok(n) = events.read(&mut buf) {
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            seen.contains(needle).then_some(())
        })
    };
    read_until("text/event-stream", &mut seen);
    let text = TestSite::article_text("B", "待审核的通知", "2026-11-19", "", "第二版正文。");
    site.write("content/news/wait.md", &text);
    read_until("event: reload", &mut seen);
    wait_for("the new text", || {
        server
            .get("/news/wait/")
            .1
            .contains("第二版正文")
            .then_some(())
    });
    let out = wait_for("the rebuild message", || {
        let out = server.out();
        out.contains("预览已更新").then_some(out)
    });
    assert!(out.contains("检测到修改：content/news/wait.md"), "{out}");
    assert!(
        out.contains("从磁盘读取 1 个文件"),
        "only the changed file is read again: {out}"
    );
    // The edit removed the editor's approval: the banner says so.
    assert!(server.get("/news/wait/").1.contains("缺少第1级审核"));

    // A build error (a broken column: an article's own errors only hold
    // it): shown in the browser and the terminal; the previous good
    // preview stays (its assets are still served); fixing it recovers.
    site.write(
        "content/news/_index.md",
        "---\ntitle: 政务动态\nupdate_period: 下周\n---\n",
    );
    let page = wait_for("the error page", || {
        let (code, body) = server.get("/news/ok/");
        (code == 500).then_some(body)
    });
    assert!(
        page.contains("预览构建失败") && page.contains("content/news/_index.md:"),
        "{page}"
    );
    assert!(
        page.contains("无法识别的更新周期") && page.contains("修改方法"),
        "{page}"
    );
    assert!(page.contains("上一次成功构建的预览仍保留"), "{page}");
    assert_eq!(server.get("/assets/style.css").0, 200);
    wait_for("the error on the terminal", || {
        server.err().contains("预览构建失败").then_some(())
    });
    site.column("news", "政务动态");
    wait_for("the recovered page", || {
        let (code, _) = server.get("/news/ok/");
        (code == 200).then_some(())
    });

    assert_eq!(
        snapshot(&site.out()),
        public_before,
        "public/ must not change"
    );
    assert_eq!(
        entries(site.path()),
        root_before,
        "nothing written beside public/"
    );
}

#[test]
fn real_build_carries_no_preview_markup() {
    let site = site();
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let home = site.read("index.html");
    assert!(!home.contains("data-sanshen-preview") && !home.contains("EventSource"));
    assert!(!home.contains("待审核的通知") && !home.contains("tag-held"));
    assert!(!site.exists("news/wait/index.html"));
    assert!(!site.read("news/ok/index.html").contains("未发布：待审核"));
}

#[test]
fn port_in_use_is_refused_with_a_fix() {
    let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = site();
    let r = sanshen(site.path(), &["serve", "--port", &port, "--root", "."]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains(&format!("无法在端口 {port} 上启动预览")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--port"), "{}", r.stderr);
}
