//! `sanshen deploy`, `releases` and `rollback` (R17, R18): releases under
//! `DIR/releases/`, `DIR/current` switched atomically, a deploy killed
//! midway leaving the old release serving.

use crate::common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{sanshen, snapshot, TestSite, NOW};
use sanshen::ops::manifest;

fn site() -> TestSite {
    let s = TestSite::new();
    s.article(
        "news/2026-11-18-huiyi.md",
        "全区安全生产工作会议召开",
        "2026-11-18",
        "",
        "会议部署了冬季安全生产工作。\n",
    );
    assert_eq!(s.build(&[]).code, 0);
    s
}

/// Add an article and rebuild: a new version.
fn next_version(s: &TestSite, n: u32) {
    s.article(
        &format!("news/2026-11-19-tongzhi-{n}.md"),
        &format!("第{n}号通知"),
        "2026-11-19",
        "",
        "通知正文。\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
}

fn deploy(s: &TestSite, extra: &[&str]) -> common::Run {
    let mut args = vec!["deploy", "--to", "www"];
    args.extend_from_slice(extra);
    sanshen(s.path(), &args)
}

/// The release `www/current` points to.
fn current(s: &TestSite) -> String {
    let target = fs::read_link(s.path().join("www/current")).expect("current link");
    let text = target.to_string_lossy().into_owned();
    text.trim_start_matches("releases/")
        .trim_end_matches("/site")
        .to_string()
}

/// The files served, without the publication log `deploy` adds.
fn served(s: &TestSite) -> Vec<(String, Vec<u8>)> {
    common::served(&s.path().join("www/current/"))
}

#[test]
fn deploy_releases_and_rollback() {
    let s = site();
    let r = deploy(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("已部署版本"), "{}", r.stdout);
    let v1 = current(&s);
    assert!(v1.starts_with("20261121T040000Z-"), "{v1}");
    let v1_files = snapshot(&s.out());
    assert_eq!(served(&s), v1_files);
    let kept = s.path().join(format!("www/releases/{v1}/manifest.json"));
    assert_eq!(fs::read(kept).unwrap(), s.source("public.manifest.json"));

    next_version(&s, 1);
    let r = deploy(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains(&format!("上一版本：{v1}")),
        "{}",
        r.stdout
    );
    let v2 = current(&s);
    assert_ne!(v1, v2);
    let v2_files = snapshot(&s.out());
    assert_eq!(served(&s), v2_files);

    let r = sanshen(s.path(), &["releases", "--to", "www"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[1].starts_with(&format!("  {v1}")), "{}", r.stdout);
    assert!(lines[2].starts_with(&format!("* {v2}")), "{}", r.stdout);
    assert!(
        lines[2].contains("← 当前") && lines[2].contains("未签名"),
        "{}",
        r.stdout
    );

    let r = sanshen(s.path(), &["rollback", "--to", "www"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains(&format!("从 {v2} 切换到 {v1}")),
        "{}",
        r.stdout
    );
    assert_eq!(current(&s), v1);
    assert_eq!(served(&s), v1_files);

    let r = sanshen(s.path(), &["rollback", "--to", "www"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("没有更早部署的版本"), "{}", r.all());
    let r = sanshen(s.path(), &["rollback", "--to", "www", "--release", "nope"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("没有版本 nope") && r.stderr.contains(&v2),
        "{}",
        r.all()
    );

    let r = sanshen(s.path(), &["rollback", "--to", "www", "--release", &v2]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(served(&s), v2_files);
    let r = deploy(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("已是当前版本"), "{}", r.stdout);
}

#[test]
fn keep_prunes_old_releases_and_their_backups() {
    let s = site();
    assert_eq!(deploy(&s, &["--keep", "2"]).code, 0);
    for n in 1..=2 {
        next_version(&s, n);
        let r = deploy(&s, &["--keep", "2"]);
        assert_eq!(r.code, 0, "{}", r.all());
    }
    let r = sanshen(s.path(), &["releases", "--to", "www"]);
    assert!(r.stdout.contains("共 2 个"), "{}", r.stdout);
    let mut needed = HashSet::new();
    for e in fs::read_dir(s.path().join("www/releases")).unwrap() {
        let (m, _) = manifest::load(&e.unwrap().path().join("manifest.json")).unwrap();
        needed.extend(m.files.into_iter().map(|f| f.sha256));
    }
    let objects = snapshot(&s.path().join("www/objects"));
    assert_eq!(objects.len(), needed.len());
    for (_, bytes) in objects {
        assert!(needed.contains(&manifest::sha256_hex(&bytes)));
    }
}

#[test]
fn killed_deploy_leaves_the_old_release_serving() {
    let s = site();
    assert_eq!(deploy(&s, &[]).code, 0);
    let old = current(&s);
    let old_files = served(&s);
    // A large new version: thousands of files take a while to copy.
    for i in 0..2000 {
        s.write_unsigned(
            &format!("static/bulk/{i:04}.txt"),
            format!("{i}\n").repeat(800).as_bytes(),
        );
    }
    s.sign_governance();
    assert_eq!(s.build(&["-q"]).code, 0);

    let mut child = Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args([
            "deploy",
            "--to",
            "www",
            "--log-key",
            &common::deploy_key_file(),
        ])
        .current_dir(s.path())
        .env("SOURCE_DATE_EPOCH", NOW)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn deploy");
    let releases = s.path().join("www/releases");
    let started = Instant::now();
    let partial = loop {
        if let Some(p) = find_partial(&releases) {
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "deploy never started copying"
        );
        thread::sleep(Duration::from_millis(1));
    };
    child.kill().expect("kill deploy");
    let status = child.wait().expect("wait");
    assert!(
        !status.success(),
        "the deploy finished before it was killed"
    );

    assert_eq!(current(&s), old);
    assert_eq!(served(&s), old_files);
    assert!(partial.exists(), "the half-written release stays hidden");
    let r = sanshen(s.path(), &["releases", "--to", "www"]);
    assert!(r.stdout.contains("共 1 个"), "{}", r.stdout);

    let r = deploy(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("已清理上次中断的部署"), "{}", r.stdout);
    assert!(!partial.exists());
    assert_ne!(current(&s), old);
    assert_eq!(served(&s), snapshot(&s.out()));
}

fn find_partial(releases: &Path) -> Option<std::path::PathBuf> {
    fs::read_dir(releases).ok()?.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        (name.starts_with('.') && name.ends_with(".partial")).then(|| e.path())
    })
}

#[test]
fn deploy_refuses_what_it_cannot_trust() {
    let s = site();
    assert_eq!(deploy(&s, &[]).code, 0);
    let old = current(&s);
    next_version(&s, 1);

    let index = s.out().join("index.html");
    let good = fs::read(&index).unwrap();
    fs::write(&index, "edited after the build").unwrap();
    let r = deploy(&s, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("与清单不符"), "{}", r.all());
    assert!(r.stderr.contains("网站仍在提供原来的版本"), "{}", r.all());
    fs::write(&index, good).unwrap();

    s.write("public/extra.html", "x");
    let r = deploy(&s, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("清单以外的文件") && r.stderr.contains("extra.html"));
    fs::remove_file(s.out().join("extra.html")).unwrap();

    let key = sanshen::gate::format_public_key(&common::key(60).verifying_key());
    let r = deploy(&s, &["--deploy-key", &key]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("清单没有签名"), "{}", r.all());
    assert_eq!(current(&s), old);
    assert!(find_partial(&s.path().join("www/releases")).is_none());

    let r = sanshen(s.path(), &["deploy", "--to", "plain"]);
    assert_eq!(r.code, 0, "{}", r.all());
    fs::remove_file(s.path().join("plain/current")).unwrap();
    fs::create_dir_all(s.path().join("plain/current")).unwrap();
    let r = sanshen(s.path(), &["deploy", "--to", "plain"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("普通目录"), "{}", r.all());

    let r = sanshen(s.path(), &["releases", "--to", "nowhere"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("没有已部署的版本"), "{}", r.all());
    let r = sanshen(s.path(), &["rollback", "--to", "nowhere"]);
    assert_eq!(r.code, 1);
}

#[test]
fn rollback_refuses_a_tampered_release_until_restored() {
    let s = site();
    assert_eq!(deploy(&s, &[]).code, 0);
    let v1 = current(&s);
    next_version(&s, 1);
    assert_eq!(deploy(&s, &[]).code, 0);
    let old_index = s.path().join(format!("www/releases/{v1}/site/index.html"));
    fs::write(&old_index, "hacked").unwrap();
    let r = sanshen(s.path(), &["rollback", "--to", "www"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("拒绝回滚"), "{}", r.all());
    assert!(r.stderr.contains("--restore"), "{}", r.all());
    assert_ne!(current(&s), v1);

    let dir = format!("www/releases/{v1}/site");
    let r = sanshen(s.path(), &["verify", "--dir", &dir, "--restore"]);
    assert!(r.stdout.contains("已恢复 1 个被篡改文件"), "{}", r.all());
    let r = sanshen(s.path(), &["rollback", "--to", "www"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(current(&s), v1);
}

/// `git ARGS` in `dir`, isolated from the user's configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    common::git_at(dir, args, "2026-11-20T09:00:00+08:00")
}

#[test]
fn rev_builds_record_the_commit_in_manifest_and_release() {
    let s = site();
    s.write(".gitignore", "/public\n/public.manifest.json\n/www\n");
    git(s.path(), &["init", "-q"]);
    git(s.path(), &["add", "-A"]);
    git(s.path(), &["commit", "-q", "-m", "发布"]);
    let head = git(s.path(), &["rev-parse", "HEAD"]);
    let r = s.build(&["--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let (m, _) = manifest::load(&s.path().join("public.manifest.json")).unwrap();
    assert_eq!(m.commit.as_deref(), Some(head.as_str()));
    assert_eq!(deploy(&s, &[]).code, 0);
    assert_eq!(current(&s), format!("20261121T040000Z-{}", &head[..8]));
    let r = sanshen(s.path(), &["releases", "--to", "www"]);
    assert!(
        r.stdout.contains(&format!("提交 {}", &head[..12])),
        "{}",
        r.stdout
    );
}
