//! `sanshen verify --url` against a static file server on 127.0.0.1 that
//! the test starts, serving a deployed site, and then tampers with (R17).

use crate::common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;

use common::{sanshen, snapshot, TestSite};
use percent_encoding::percent_decode_str;

/// A built site deployed to `<site>/www`.
fn deployed() -> TestSite {
    let s = TestSite::new();
    s.article(
        "news/2026-11-18-huiyi.md",
        "全区安全生产工作会议召开",
        "2026-11-18",
        "",
        "会议部署了冬季安全生产工作。\n",
    );
    s.write("static/files/办事指南.txt", "办事指南\n");
    assert_eq!(s.build(&[]).code, 0);
    let r = sanshen(s.path(), &["deploy", "--to", "www"]);
    assert_eq!(r.code, 0, "{}", r.all());
    s
}

/// Serve `root` (read at every request, so `current` may be switched)
/// over HTTP/1.1 on a random port; returns the base URL.
pub fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || answer(stream, &root));
        }
    });
    format!("http://{addr}")
}

fn answer(mut stream: TcpStream, root: &Path) {
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let rel = percent_decode_str(target).decode_utf8_lossy().into_owned();
    let rel = rel.trim_start_matches('/');
    let safe = !rel.split('/').any(|s| s == "..");
    let (status, body) = match safe.then(|| fs::read(root.join(rel))) {
        Some(Ok(b)) => ("200 OK", b),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// A server that accepts connections and never answers.
fn silent() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    format!("http://{addr}")
}

#[test]
fn verify_url_finds_tampering_and_restore_fixes_the_served_dir() {
    let s = deployed();
    let current = s.path().join("www/current");
    let base = serve(current.clone());
    let r = sanshen(
        s.path(),
        &["verify", "--dir", "www/current", "--url", &base],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("未发现篡改"), "{}", r.stdout);

    let manifest = "www/current/../manifest.json";
    let by_url = ["verify", "--manifest", manifest, "--url", base.as_str()];
    let r = sanshen(s.path(), &by_url);
    assert_eq!(r.code, 0, "{}", r.all());

    fs::write(current.join("news/index.html"), "<h1>境外势力到此一游</h1>").unwrap();
    fs::remove_file(current.join("files/办事指南.txt")).unwrap();
    fs::write(current.join("hacked.html"), "spam").unwrap();
    let r = sanshen(s.path(), &by_url);
    assert_eq!(r.code, 1, "{}", r.all());
    let out = &r.stdout;
    assert!(out.contains("被篡改 1 个、缺失 1 个"), "{out}");
    assert!(out.contains("被篡改    news/index.html"), "{out}");
    assert!(
        out.contains("缺失      files/办事指南.txt  HTTP 404"),
        "{out}"
    );
    assert!(out.contains("通过网址无法发现被植入的新文件"), "{out}");

    let mut restore = by_url.to_vec();
    restore.push("--restore");
    let r = sanshen(s.path(), &restore);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--restore 需要 --dir"), "{}", r.all());

    restore.extend_from_slice(&["--dir", "www/current"]);
    let r = sanshen(s.path(), &restore);
    assert_eq!(r.code, 1, "{}", r.all());
    let out = &r.stdout;
    assert!(
        out.contains("已恢复 1 个被篡改文件、补回 1 个缺失文件、删除 1 个多余文件"),
        "{out}"
    );
    assert!(out.contains("部署目录的备份库"), "{out}");
    assert!(out.contains("复查：已与清单一致"), "{out}");
    assert_eq!(common::served(&current), snapshot(&s.out()));

    let r = sanshen(s.path(), &by_url);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn tampered_backup_store_is_not_used() {
    let s = deployed();
    let current = s.path().join("www/current");
    let base = serve(current.clone());
    let good = fs::read(current.join("index.html")).unwrap();
    let sha = sanshen::ops::manifest::sha256_hex(&good);
    let object = s
        .path()
        .join(format!("www/objects/{}/{}", &sha[..2], &sha[2..]));
    fs::write(&object, "hacked too").unwrap();
    fs::write(current.join("index.html"), "hacked").unwrap();
    let r = sanshen(
        s.path(),
        &[
            "verify",
            "--url",
            &base,
            "--dir",
            "www/current",
            "--restore",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("未能处理  index.html"), "{}", r.stdout);
    assert!(r.stdout.contains("已损坏或被改动"), "{}", r.stdout);
    assert_eq!(fs::read(current.join("index.html")).unwrap(), b"hacked");
    // The build output is another trusted source.
    let r = sanshen(
        s.path(),
        &[
            "verify",
            "--url",
            &base,
            "--dir",
            "www/current",
            "--restore",
            "--from",
            "public",
        ],
    );
    assert!(r.stdout.contains("已恢复 1 个被篡改文件"), "{}", r.stdout);
    assert_eq!(fs::read(current.join("index.html")).unwrap(), good);
}

#[test]
fn unresponsive_site_times_out_with_a_clear_report() {
    let s = deployed();
    let base = silent();
    let r = sanshen(
        s.path(),
        &[
            "verify",
            "--manifest",
            "public.manifest.json",
            "--url",
            &base,
            "--timeout",
            "1",
            "--concurrency",
            "64",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("无法检查"), "{}", r.stdout);
    assert!(r.stdout.contains("超时（1 秒内无响应）"), "{}", r.stdout);
}

#[test]
fn served_content_differing_from_a_correct_dir_is_pointed_out() {
    let s = deployed();
    // A caching proxy that serves its own (defaced) copy.
    let cache = s.path().join("cache");
    for (rel, bytes) in snapshot(&s.out()) {
        let p = cache.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    fs::write(cache.join("index.html"), "defaced in the cache").unwrap();
    let base = serve(cache);
    let r = sanshen(
        s.path(),
        &[
            "verify",
            "--url",
            &base,
            "--dir",
            "www/current",
            "--restore",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout
            .contains("在服务器目录中正确，但网站返回的内容不同"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("无需恢复"), "{}", r.stdout);
    assert!(!r.stdout.contains("已恢复"), "{}", r.stdout);
}
