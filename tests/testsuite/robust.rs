//! Output and operations under stress: a build killed half-way leaves
//! nothing the next build trips over; `verify --url` ends by its overall
//! deadline against a slow server; `serve` answers only requests addressed
//! to this machine (DNS rebinding).

use crate::common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::*;

/// A process id no process has (above Linux's largest `pid_max`).
const DEAD: &str = "999999999";

fn small_site() -> TestSite {
    let s = TestSite::new();
    s.article(
        "news/2026-11-18-huiyi.md",
        "全区安全生产工作会议召开",
        "2026-11-18",
        "",
        "会议部署了冬季安全生产工作。\n",
    );
    s
}

#[test]
fn next_build_cleans_what_a_killed_build_left() {
    let s = small_site();
    assert_eq!(s.build(&[]).code, 0);
    // Killed while writing the new tree, and while writing the manifest.
    let new = s.path().join(format!(".public.sanshen-new-{DEAD}"));
    fs::create_dir_all(new.join("news")).unwrap();
    fs::write(new.join("news/half.html"), "<html>").unwrap();
    let old = s.path().join(format!(".public.sanshen-old-{DEAD}"));
    fs::create_dir_all(&old).unwrap();
    let tmp = s
        .path()
        .join(format!(".public.manifest.json.sanshen-tmp-{DEAD}-0"));
    fs::write(&tmp, "{").unwrap();
    let unrelated = s.path().join(".public.keep");
    fs::write(&unrelated, "x").unwrap();

    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stderr.contains("已清理上次中断构建留下的临时目录"),
        "{}",
        r.all()
    );
    assert!(r.stderr.contains(&format!(".public.sanshen-new-{DEAD}")));
    assert!(!new.exists() && !old.exists() && !tmp.exists());
    assert!(unrelated.exists(), "only sanshen's own leftovers go");
    assert!(s.read("index.html").contains("全区安全生产工作会议召开"));
    assert!(s.path().join("public.manifest.json").exists());
    let names: Vec<String> = fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sanshen-"))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    // Nothing left: no note.
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stderr.contains("已清理"), "{}", r.stderr);
}

#[test]
fn killed_between_two_renames_the_old_site_is_put_back_first() {
    let s = small_site();
    assert_eq!(s.build(&[]).code, 0);
    let old = s.path().join(format!(".public.sanshen-old-{DEAD}"));
    fs::rename(s.out(), &old).unwrap();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("已先把旧的网站"), "{}", r.stderr);
    assert!(!old.exists());
    assert!(s.read("index.html").contains("全区安全生产工作会议召开"));
}

/// Serve `root` slowly: every request waits `delay` before its answer.
/// Bounded: the server stops accepting after `max` connections.
fn slow_server(root: PathBuf, delay: Duration, max: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        for stream in listener.incoming().flatten().take(max) {
            let root = root.clone();
            thread::spawn(move || {
                let mut stream = stream;
                let Ok(clone) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(clone);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                loop {
                    let mut h = String::new();
                    match reader.read_line(&mut h) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if h == "\r\n" => break,
                        Ok(_) => {}
                    }
                }
                thread::sleep(delay);
                let target = line.split_whitespace().nth(1).unwrap_or("/");
                let rel = target.trim_start_matches('/');
                let body = fs::read(root.join(rel)).unwrap_or_default();
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    format!("http://{addr}")
}

#[test]
fn verify_url_stops_at_its_overall_deadline() {
    let s = small_site();
    assert_eq!(s.build(&[]).code, 0);
    let base = slow_server(s.out(), Duration::from_millis(700), 200);
    let started = Instant::now();
    let r = sanshen(
        s.path(),
        &[
            "verify",
            "--manifest",
            "public.manifest.json",
            "--url",
            &base,
            "--concurrency",
            "1",
            "--deadline",
            "2",
        ],
    );
    let took = started.elapsed();
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(took < Duration::from_secs(8), "took {took:?}");
    let n: usize = r
        .stdout
        .split("无法检查（超过总时限）")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count: {}", r.stdout));
    let total: usize = r
        .stdout
        .split("检查：")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no total: {}", r.stdout));
    assert!(n > 0 && n < total, "{n} of {total}: {}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("{n} 个文件无法检查（超过总时限）")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("--deadline 2 秒"), "{}", r.stdout);
    assert!(
        r.all().contains("结论：检查未完成（超过总时限）"),
        "{}",
        r.all()
    );
    assert!(
        r.stdout.contains(&format!("核对 {} 个文件", total - n)),
        "{}",
        r.stdout
    );
}

/// A raw request to `port` with `host`: status and body.
fn request(port: u16, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
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

#[test]
fn serve_answers_only_requests_addressed_to_this_machine() {
    let s = small_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args(["serve", "--port", "0", "--root", "."])
        .args(["--trust-root", &trust_root()])
        .current_dir(s.path())
        .env("SOURCE_DATE_EPOCH", NOW)
        .env_remove("SANSHEN_TRUST_ROOT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sanshen serve");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let out = child.stdout.take().expect("stdout");
    let child = Kill(child);
    let text = Arc::new(Mutex::new(String::new()));
    let into = text.clone();
    thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let mut t = into.lock().unwrap();
            t.push_str(&line);
            t.push('\n');
        }
    });
    let started = Instant::now();
    let port: u16 = loop {
        let t = text.lock().unwrap().clone();
        let found = t
            .split("预览地址：http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok());
        if let Some(p) = found {
            break p;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no address");
        thread::sleep(Duration::from_millis(50));
    };

    let (status, body) = request(port, "evil.example.com");
    assert_eq!(status, 403);
    assert!(body.contains("拒绝访问"), "{body}");
    assert!(!body.contains("全区安全生产工作会议召开"));
    let (status, _) = request(port, &format!("evil.example.com:{port}"));
    assert_eq!(status, 403);

    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let (status, body) = request(port, &host);
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("全区安全生产工作会议召开"), "{body}");
    }
    drop(child);
}

/// Files are written into the fresh tree as they are rendered; a problem
/// found in a file written late (a static page with a personal number no
/// article may publish) still leaves the previous output byte for byte,
/// with no temporary tree beside it and no file of the new site anywhere.
#[test]
fn a_problem_found_while_streaming_leaves_the_previous_output_whole() {
    let s = small_site();
    assert_eq!(s.build(&[]).code, 0);
    let before = snapshot(&s.out());
    s.article(
        "news/2026-11-19-xin.md",
        "新的一篇文章",
        "2026-11-19",
        "",
        "新文章正文。\n",
    );
    // Static files are copied after every page has been rendered and
    // written; this one has a number the output scan refuses (static/ is
    // root-signed frame, so only the output scan stands between it and
    // the public site).
    s.write(
        "static/lianxi.html",
        "<!DOCTYPE html><p>联系人身份证 11010519491231002X</p>",
    );
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("lianxi.html"), "{}", r.all());
    assert!(r.stderr.contains("未写出任何文件"), "{}", r.all());
    assert_eq!(snapshot(&s.out()), before, "previous output unchanged");
    let left: Vec<String> = fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sanshen-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
