//! The manifest and tamper detection on a directory (R17): `build` writes
//! a (signed) manifest beside the output; `verify --dir` finds modified,
//! missing and unexpected files; `--restore` puts the released bytes back.

use crate::common;

use std::fs;
use std::path::Path;

use common::{key, sanshen, snapshot, TestSite};
use sanshen::gate;
use sanshen::ops::manifest;

/// A small built site.
fn built() -> TestSite {
    let s = TestSite::new();
    s.article(
        "news/2026-11-18-huiyi.md",
        "全区安全生产工作会议召开",
        "2026-11-18",
        "",
        "会议部署了冬季安全生产工作。\n",
    );
    s.write("static/files/guide.txt", "办事指南\n");
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    s
}

fn run(s: &TestSite, args: &[&str]) -> common::Run {
    sanshen(s.path(), args)
}

#[test]
fn build_writes_manifest_beside_the_output() {
    let s = built();
    let path = s.path().join("public.manifest.json");
    let (m, _) = manifest::load(&path).expect("manifest");
    assert!(!s.out().join("public.manifest.json").exists());
    assert_eq!(m.format, "sanshen-manifest-v1");
    assert_eq!(m.built_at, "2026-11-21T12:00:00+08:00");
    assert_eq!(m.site, "https://www.ceshi.gov.cn");
    assert_eq!(m.commit, None);
    assert!(m.signature.is_none());
    let tree = snapshot(&s.out());
    assert_eq!(m.files.len(), tree.len());
    for ((path, bytes), e) in tree.iter().zip(&m.files) {
        assert_eq!(path, &e.path);
        assert_eq!(e.size, bytes.len() as u64);
        assert_eq!(e.sha256, manifest::sha256_hex(bytes));
    }
    // Same inputs, same clock: the same manifest.
    let before = fs::read(&path).unwrap();
    assert_eq!(s.build(&[]).code, 0);
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn verify_dir_finds_tampering_and_restore_fixes_it() {
    let s = built();
    let served = s.path().join("served");
    common_copy(&s.out(), &served);
    let args = [
        "verify",
        "--manifest",
        "public.manifest.json",
        "--dir",
        "served",
    ];
    let r = run(&s, &args);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("未发现篡改"), "{}", r.stdout);

    fs::write(served.join("index.html"), "<h1>被黑了</h1>").unwrap();
    let article = "news/2026-11-18-huiyi/index.html";
    fs::remove_file(served.join(article)).unwrap();
    fs::write(served.join("files/shell.php"), "<?php system($_GET['c']);").unwrap();
    let r = run(&s, &args);
    assert_eq!(r.code, 1, "{}", r.all());
    let out = &r.stdout;
    assert!(out.contains("被篡改 1 个、缺失 1 个、多余 1 个"), "{out}");
    assert!(out.contains("被篡改    index.html"), "{out}");
    assert!(out.contains(&format!("缺失      {article}")), "{out}");
    assert!(out.contains("多余      files/shell.php"), "{out}");

    // No source: refused, nothing touched.
    let mut restore = args.to_vec();
    restore.push("--restore");
    let r = run(&s, &restore);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("找不到恢复来源"), "{}", r.all());
    assert!(served.join("files/shell.php").exists());

    restore.extend_from_slice(&["--from", "public"]);
    let r = run(&s, &restore);
    assert_eq!(r.code, 1, "tampering found means exit 1 even when fixed");
    let out = &r.stdout;
    assert!(
        out.contains("已恢复 1 个被篡改文件、补回 1 个缺失文件、删除 1 个多余文件"),
        "{out}"
    );
    assert!(out.contains("已恢复  index.html"), "{out}");
    assert!(out.contains(&format!("已补回  {article}")), "{out}");
    assert!(out.contains("已删除  files/shell.php"), "{out}");
    assert!(out.contains("复查：已与清单一致"), "{out}");
    assert_eq!(snapshot(&served), snapshot(&s.out()));
    assert_eq!(run(&s, &args).code, 0);
}

#[test]
fn restore_never_writes_bytes_that_do_not_match() {
    let s = built();
    let served = s.path().join("served");
    let bad_source = s.path().join("bad");
    common_copy(&s.out(), &served);
    common_copy(&s.out(), &bad_source);
    fs::write(served.join("index.html"), "hacked").unwrap();
    fs::write(bad_source.join("index.html"), "also hacked").unwrap();
    let r = run(
        &s,
        &[
            "verify",
            "--manifest",
            "public.manifest.json",
            "--dir",
            "served",
            "--restore",
            "--from",
            "bad",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("未能处理  index.html"), "{}", r.stdout);
    assert!(r.stdout.contains("拒绝使用"), "{}", r.stdout);
    assert_eq!(fs::read(served.join("index.html")).unwrap(), b"hacked");
}

#[test]
fn signed_manifest_is_checked_against_the_deploy_key() {
    let s = built();
    let deploy_pem = gate::secret_key_pem(&key(60)).unwrap();
    s.write("keys/deploy.pem", &deploy_pem);
    let public = gate::format_public_key(&key(60).verifying_key());
    let r = s.build(&["--sign-manifest", "keys/deploy.pem"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("已用部署密钥签名"), "{}", r.stdout);
    let (m, _) = manifest::load(&s.path().join("public.manifest.json")).unwrap();
    assert_eq!(
        m.signature.as_ref().map(|g| g.key.as_str()),
        Some(public.as_str())
    );

    let check = |key: &str| {
        run(
            &s,
            &[
                "verify",
                "--manifest",
                "public.manifest.json",
                "--dir",
                "public",
                "--deploy-key",
                key,
            ],
        )
    };
    let r = check(&public);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("清单签名：有效"), "{}", r.stdout);

    let other = gate::format_public_key(&key(61).verifying_key());
    let r = check(&other);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("另一把密钥"), "{}", r.all());
    assert!(r.stderr.contains("未做任何比对或恢复"), "{}", r.all());

    // An intruder who rewrites the manifest to match a defaced page.
    let defaced = b"<h1>hacked</h1>";
    fs::write(s.out().join("index.html"), defaced).unwrap();
    let path = s.path().join("public.manifest.json");
    let mut forged = m.clone();
    let e = forged
        .files
        .iter_mut()
        .find(|e| e.path == "index.html")
        .unwrap();
    e.size = defaced.len() as u64;
    e.sha256 = manifest::sha256_hex(defaced);
    fs::write(&path, forged.to_json()).unwrap();
    let r = check(&public);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("清单签名无效"), "{}", r.all());
    // Stripping the signature does not help either.
    forged.signature = None;
    fs::write(&path, forged.to_json()).unwrap();
    let r = check(&public);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("清单没有签名"), "{}", r.all());
    let r = check("ed25519:AAAA");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("32 字节"), "{}", r.all());
}

#[test]
fn deploy_key_inside_the_site_is_refused() {
    let s = built();
    s.write(
        "static/deploy.pem",
        &gate::secret_key_pem(&key(60)).unwrap(),
    );
    let before = fs::read(s.path().join("public.manifest.json")).unwrap();
    let r = s.build(&["--sign-manifest", "static/deploy.pem"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("私钥文件位于站点的 static/"),
        "{}",
        r.all()
    );
    assert_eq!(
        fs::read(s.path().join("public.manifest.json")).unwrap(),
        before
    );
}

#[test]
fn bad_requests_are_refused_clearly() {
    let s = built();
    let r = run(&s, &["verify", "--manifest", "public.manifest.json"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--dir"), "{}", r.all());
    let r = run(&s, &["verify", "--dir", "public"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("没有给出文件清单"), "{}", r.all());
    s.write("evil.manifest.json", &evil_manifest());
    let r = run(
        &s,
        &[
            "verify",
            "--manifest",
            "evil.manifest.json",
            "--dir",
            "public",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("路径不安全"), "{}", r.all());
}

fn evil_manifest() -> String {
    let sha = manifest::sha256_hex(b"x");
    format!(
        "{{\"format\":\"sanshen-manifest-v1\",\"commit\":null,\"built_at\":\"2026-11-21T12:00:00+08:00\",\"site\":\"x\",\"files\":[{{\"path\":\"../../etc/passwd\",\"size\":1,\"sha256\":\"{sha}\"}}],\"signature\":null}}"
    )
}

/// Copy a tree.
fn common_copy(from: &Path, to: &Path) {
    for (rel, bytes) in snapshot(from) {
        let p = to.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
}
