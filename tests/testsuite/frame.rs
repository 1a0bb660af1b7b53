//! Governance v2 (spec §7): the root key signs the whole frame — site.yaml,
//! the columns' `_index.md`, the on-disk theme, `static/` and `reviews/`.
//! An unsigned or changed frame file, an expired or v1 governance: the
//! build refuses, writes nothing and names the file and the fix.

use crate::common;

use std::collections::BTreeMap;
use std::fs;

use common::{snapshot, TestSite};
use sanshen::gate;

const FIX: &str = "sanshen governance sign --key <root.pem>";

fn site() -> TestSite {
    let s = TestSite::new();
    s.article("news/a.md", "文章", "2026-11-10", "", "正文。");
    s
}

/// The build refuses naming `file`, and the output is as before.
fn refused(s: &TestSite, file: &str) -> String {
    let before = snapshot(&s.out());
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains(file), "{file}: {}", r.stderr);
    assert!(
        r.stderr.contains("sanshen governance sign"),
        "the fix: {}",
        r.stderr
    );
    assert_eq!(snapshot(&s.out()), before, "output untouched");
    r.stderr
}

fn serial(s: &TestSite) -> u64 {
    let text = s.source("reviews/governance.yaml");
    gate::read_governance(&text).unwrap().serial
}

fn sign(s: &TestSite, extra: &[&str]) -> common::Run {
    let key = s.key_file("root");
    let mut args = vec!["governance", "sign", "--key", &key];
    args.extend_from_slice(extra);
    s.run(&args)
}

#[test]
fn unsigned_static_page_is_refused_until_the_root_signs_it() {
    let s = site();
    // Nothing built yet: nothing written.
    s.write_unsigned("static/news/fake/index.html", b"<h1>fake</h1>");
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("static/news/fake/index.html"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("没有列入"), "{}", r.stderr);
    assert!(!s.out().exists(), "nothing written");
    // A previous output stays as it was.
    fs::remove_file(s.path().join("static/news/fake/index.html")).unwrap();
    let ok = s.build(&[]);
    assert_eq!(ok.code, 0, "{}", ok.all());
    s.write_unsigned("static/news/fake/index.html", b"<h1>fake</h1>");
    refused(&s, "static/news/fake/index.html");
    assert!(!s.exists("news/fake/index.html"));
    // Signed by the root: published.
    let r = sign(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("static/news/fake/index.html"),
        "{}",
        r.stdout
    );
    let ok = s.build(&[]);
    assert_eq!(ok.code, 0, "{}", ok.all());
    assert_eq!(s.read("news/fake/index.html"), "<h1>fake</h1>");
}

#[test]
fn changed_column_index_site_yaml_or_removed_file_is_refused() {
    let s = site();
    assert_eq!(s.build(&[]).code, 0);
    let index = "content/news/_index.md";
    let good = s.source(index);
    let text = String::from_utf8(good.clone()).unwrap();
    s.write_unsigned(index, text.replace("政务动态", "假冒栏目").as_bytes());
    let e = refused(&s, index);
    assert!(e.contains("被修改"), "{e}");
    s.write_unsigned(index, &good);
    assert_eq!(s.build(&[]).code, 0);

    let yaml = s.source("site.yaml");
    let mut changed = yaml.clone();
    changed.extend_from_slice(b"description: \"\xe5\x81\x87\"\n");
    s.write_unsigned("site.yaml", &changed);
    let e = refused(&s, "site.yaml");
    assert!(e.contains("被修改"), "{e}");
    s.write_unsigned("site.yaml", &yaml);

    // A listed file removed (a column's description dropped silently).
    s.column("notices", "通知公告");
    assert_eq!(s.build(&[]).code, 0);
    fs::remove_file(s.path().join("content/notices/_index.md")).unwrap();
    let e = refused(&s, "content/notices/_index.md");
    assert!(e.contains("不存在"), "{e}");
    // A new column without signature.
    s.write_unsigned(
        "content/notices/_index.md",
        b"---\ntitle: \xe9\x80\x9a\xe7\x9f\xa5\n---\n",
    );
    refused(&s, "content/notices/_index.md");
}

#[test]
fn on_disk_theme_is_signed_and_the_manifest_names_the_theme() {
    let s = site();
    let b = s.build(&[]);
    assert_eq!(b.code, 0, "{}", b.all());
    let manifest = fs::read_to_string(s.path().join("public.manifest.json")).unwrap();
    let builtin = format!("\"theme\": \"built-in {}\"", env!("CARGO_PKG_VERSION"));
    assert!(manifest.contains(&builtin), "{manifest}");
    // Copy the default theme into the site: signed by the helper.
    let theme = common::repo().join("themes/default");
    for e in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(common::repo()).unwrap();
            s.write_bytes(&rel.to_string_lossy(), &fs::read(e.path()).unwrap());
        }
    }
    let b = s.build(&[]);
    assert_eq!(b.code, 0, "{}", b.all());
    let manifest = fs::read_to_string(s.path().join("public.manifest.json")).unwrap();
    assert!(
        manifest.contains("\"theme\": \"themes/default\""),
        "{manifest}"
    );
    let gov = String::from_utf8(s.source("reviews/governance.yaml")).unwrap();
    assert!(
        gov.contains("  themes/default/templates/article.html: \"sha256:"),
        "{gov}"
    );
    // A changed template, and a new unsigned static file of the theme.
    let tpl = "themes/default/templates/article.html";
    let good = s.source(tpl);
    let mut bad = good.clone();
    bad.extend_from_slice(b"<script src=\"https://evil.example.com/x.js\"></script>\n");
    s.write_unsigned(tpl, &bad);
    let e = refused(&s, tpl);
    assert!(e.contains("被修改"), "{e}");
    s.write_unsigned(tpl, &good);
    s.write_unsigned("themes/default/static/x.js", b"alert(1)");
    refused(&s, "themes/default/static/x.js");
    // A theme the site does not use is not part of the frame.
    fs::remove_file(s.path().join("themes/default/static/x.js")).unwrap();
    s.write_unsigned("themes/other/templates/index.html", b"unused");
    assert_eq!(s.build(&[]).code, 0);
}

#[test]
fn expired_governance_is_refused() {
    let s = site();
    // The test clock is 2026-11-21T12:00:00+08:00: expiring exactly then
    // is expired.
    let r = sign(&s, &["--expires", "2026-11-21T12:00:01+08:00"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("2026-11-21T12:00:01+08:00 到期"),
        "{}",
        r.stdout
    );
    assert_eq!(s.build(&[]).code, 0);
    let tree = sanshen::content::WorkTree::new(s.path());
    let frame = sanshen::reviews::frame(&tree, "default").unwrap();
    let text = gate::sign_governance(
        &frame,
        serial(&s) + 1,
        "2026-11-01T09:00:00+08:00",
        Some("2026-11-21T12:00:00+08:00"),
        &common::root_key(),
    );
    s.write_unsigned("reviews/governance.yaml", text.as_bytes());
    let e = refused(&s, "reviews/governance.yaml");
    assert!(e.contains("过期"), "{e}");
    assert!(e.contains("--expires"), "{e}");
    // An expiry already past is not signed.
    let before = s.source("reviews/governance.yaml");
    let r = sign(&s, &["--expires", "2026-11-01T00:00:00+08:00"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("--expires"), "{}", r.stderr);
    let r = sign(&s, &["--expires", "明年"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert_eq!(s.source("reviews/governance.yaml"), before);
}

#[test]
fn v1_governance_is_refused_with_the_migration_command() {
    let s = site();
    let mut files = BTreeMap::new();
    for name in gate::READ_FILES {
        if let Ok(b) = fs::read(s.path().join("reviews").join(name)) {
            files.insert(name.to_string(), b);
        }
    }
    let v1 = gate::sign_governance_v1(&files, "2026-11-01T09:00:00+08:00", &common::root_key());
    s.write_unsigned("reviews/governance.yaml", v1.as_bytes());
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("v1"), "{}", r.stderr);
    assert!(r.stderr.contains(FIX), "{}", r.stderr);
    assert!(!s.out().exists());
    let r = s.run(&["governance", "verify"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains(FIX), "{}", r.stderr);
    // The one command migrates it: v2, serial 1.
    let r = sign(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(serial(&s), 1);
    assert_eq!(s.build(&[]).code, 0);
}

#[test]
fn serial_increments_on_each_signing_and_verify_lists_the_frame() {
    let s = site();
    let first = serial(&s);
    let r = sign(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains(&format!("第 {} 次", first + 1)),
        "{}",
        r.stdout
    );
    assert_eq!(serial(&s), first + 1);
    assert_eq!(sign(&s, &[]).code, 0);
    assert_eq!(serial(&s), first + 2);
    let r = s.run(&["governance", "verify"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for f in [
        "site.yaml",
        "content/news/_index.md",
        "reviews/policy.yaml",
        "reviews/reviewers.yaml",
        "reviews/sources.yaml",
    ] {
        assert!(
            r.stdout.contains(&format!("  {f}  sha256:")),
            "{}",
            r.stdout
        );
    }
    assert!(
        !r.stdout.contains("governance.yaml  sha256"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!("第 {} 次", first + 2)),
        "{}",
        r.stdout
    );
    // A serial that is not a positive integer is refused.
    let text = String::from_utf8(s.source("reviews/governance.yaml")).unwrap();
    let line = text.lines().nth(1).unwrap().to_string();
    s.write_unsigned(
        "reviews/governance.yaml",
        text.replacen(&line, "serial: 0", 1).as_bytes(),
    );
    let e = refused(&s, "reviews/governance.yaml");
    assert!(e.contains("正整数"), "{e}");
}

#[test]
fn only_the_pinned_root_may_sign() {
    let s = site();
    let before = s.source("reviews/governance.yaml");
    let key = s.key_file("editor");
    let r = s.run(&["governance", "sign", "--key", &key]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("不是信任根"), "{}", r.stderr);
    assert!(r.stderr.contains(&common::trust_root()), "{}", r.stderr);
    assert_eq!(s.source("reviews/governance.yaml"), before);
}

#[test]
fn a_commit_with_an_unsigned_frame_file_is_refused() {
    let s = site();
    s.write_unsigned("static/news/fake/index.html", b"<h1>fake</h1>");
    let when = "2026-11-20T10:00:00+08:00";
    common::git_at(s.path(), &["init", "-q"], when);
    common::git_at(s.path(), &["add", "-A"], when);
    common::git_at(s.path(), &["commit", "-q", "-m", "站点"], when);
    let r = s.build(&["--rev", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("static/news/fake/index.html"),
        "{}",
        r.stderr
    );
    assert!(!s.out().exists());
    // Signed and committed: builds from the commit.
    assert_eq!(sign(&s, &[]).code, 0);
    common::git_at(s.path(), &["add", "reviews/governance.yaml"], when);
    common::git_at(s.path(), &["commit", "-q", "-m", "签署"], when);
    let r = s.build(&["--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/fake/index.html"));
}
