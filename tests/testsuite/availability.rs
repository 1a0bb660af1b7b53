//! Availability and confined inputs (issue 10): one editor's broken draft
//! never jams the site — it is held, every other article publishes — while
//! a broken frame, a symbolic link outside the articles, an oversized frame
//! file or a template reading the environment stops the build with a
//! message naming the file.

use crate::common;

use std::path::Path;

use common::{git_at, TestSite};

/// A site with one good, signed article: `news/ok.md`.
fn site() -> TestSite {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-01", "", "正文。");
    s
}

/// Build; expect success with `news/ok` published; return stdout.
fn builds(s: &TestSite, args: &[&str]) -> String {
    let r = s.build(args);
    assert_eq!(r.code, 0, "the build must go on:\n{}", r.all());
    assert!(!r.all().contains("panicked"), "{}", r.all());
    assert!(s.exists("news/ok/index.html"), "the good article publishes");
    r.stdout
}

/// Build; expect failure with nothing written; return stderr.
fn stops(s: &TestSite, args: &[&str]) -> String {
    let r = s.build(args);
    assert_eq!(r.code, 1, "the build must stop:\n{}", r.all());
    assert!(!r.all().contains("panicked"), "{}", r.all());
    assert!(!s.out().exists(), "nothing may be written");
    r.stderr
}

/// The held-list entry of `file` in a build's stdout.
fn entry<'a>(out: &'a str, file: &str) -> &'a str {
    let start = out
        .find(&format!("  {file}《"))
        .unwrap_or_else(|| panic!("{file} is not held:\n{out}"));
    let rest = &out[start + 2..];
    let end = rest.find("\n  content/").unwrap_or(rest.len());
    &rest[..end]
}

/// Every file of the output, as text where it is text.
fn output_text(s: &TestSite) -> String {
    common::snapshot(&s.out())
        .into_iter()
        .map(|(p, b)| format!("{p}\n{}\n", String::from_utf8_lossy(&b)))
        .collect()
}

#[test]
fn broken_articles_are_held_and_the_rest_publishes() {
    let s = site();
    let broken: &[(&str, &[u8], &str)] = &[
        (
            "content/news/yaml.md",
            b"---\ntitle: [x\nclass: A\ndate: \"2026-11-01\"\n---\n",
            "front matter",
        ),
        (
            "content/news/gbk.md",
            b"---\ntitle: \xb1\xea\xcc\xe2\nclass: A\ndate: \"2026-11-01\"\n---\n",
            "UTF-8",
        ),
        (
            "content/news/tab.md",
            b"---\ntitle: x\nclass: A\ndate: \"2026-11-01\"\nsource:\n\tname: a\n---\n",
            "Tab",
        ),
        ("content/news/plain.md", "# 标题\n正文\n".as_bytes(), "---"),
        (
            "content/loose.md",
            b"---\ntitle: x\nclass: A\ndate: \"2026-11-01\"\n---\n",
            "不在任何栏目中",
        ),
        (
            "content/misc/x.md",
            b"---\ntitle: x\nclass: A\ndate: \"2026-11-01\"\n---\n",
            "缺少 _index.md",
        ),
    ];
    for (file, bytes, _) in broken {
        s.write_bytes(file, bytes);
    }
    let out = builds(&s, &[]);
    for (file, _, words) in broken {
        let e = entry(&out, file);
        assert!(e.contains("[unreadable]"), "{e}");
        assert!(e.contains(words), "{file}: «{words}» missing in {e}");
        assert!(e.contains("修改方法"), "{e}");
    }
    assert!(out.contains("暂缓发布（held）6 篇"), "{out}");
    // Placeholders are never rendered, listed, indexed or counted.
    let text = output_text(&s);
    for name in ["yaml", "gbk", "tab", "plain", "loose", "misc/x"] {
        assert!(
            !text.contains(&format!("/{name}/")),
            "{name} appears in the output"
        );
    }
    assert!(!s.exists("misc") && !s.exists("loose"));

    // status and status --json list them like any held article.
    let r = s.run(&["status"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("content/news/gbk.md"), "{}", r.stdout);
    assert!(r.stdout.contains("unreadable"), "{}", r.stdout);
    assert!(r.stdout.contains("发布 1 篇，暂缓 6 篇"), "{}", r.stdout);
    let r = s.run(&["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let list = v.as_array().unwrap();
    let gbk = list.iter().find(|a| a["path"] == "news/gbk.md").unwrap();
    assert_eq!(gbk["publish"], false);
    assert_eq!(gbk["reasons"][0]["word"], "unreadable");
    assert_eq!(gbk["reasons"][0]["line"], 2);

    // --strict refuses, naming them.
    let r = s.build(&["--strict"]);
    assert_eq!(r.code, 1);
    assert!(r.all().contains("content/news/tab.md"), "{}", r.all());

    // Signing a placeholder is refused with its reason.
    let key = s.key_file("editor");
    let r = s.run(&["sign", "content/news/gbk.md", "--key", &key, "--yes"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("UTF-8"), "{}", r.all());
}

#[test]
fn a_broken_frame_or_a_private_key_stops_the_build() {
    let s = site();
    s.write("content/news/_index.md", "---\ntitle: [x\n---\n");
    let e = stops(&s, &[]);
    assert!(e.contains("content/news/_index.md:2"), "{e}");

    let s = site();
    s.write(
        "content/news/key.md",
        &format!(
            "---\ntitle: x\nclass: A\ndate: \"2026-11-01\"\n---\n{}",
            common::secret_pem("editor")
        ),
    );
    let e = stops(&s, &[]);
    assert!(e.contains("content/news/key.md"), "{e}");
}

#[test]
fn slug_clashes_hold_the_newer_article() {
    let s = site();
    // The older one keeps the address, whatever the path order.
    s.article("news/a.md", "新的", "2026-11-10", "slug: same\n", "新。");
    s.article("news/b.md", "旧的", "2026-11-02", "slug: same\n", "旧。");
    // Slugs that collide with generated files or reserved names.
    s.article("news/c.md", "订阅", "2026-11-02", "slug: feed.xml\n", "c");
    s.article("news/d.md", "首页", "2026-11-02", "slug: index.html\n", "d");
    s.article("news/e.md", "搜索", "2026-11-02", "slug: search\n", "e");
    s.article("news/f.md", "分页", "2026-11-02", "slug: Page\n", "f");
    // Case differences clash too (case-insensitive servers).
    s.article("news/g.md", "大写", "2026-11-03", "slug: OK\n", "g");
    let out = builds(&s, &[]);
    let e = entry(&out, "content/news/a.md");
    assert!(e.contains("[slug] 第 7 行"), "{e}");
    assert!(
        e.contains("content/news/b.md") && e.contains("/news/same/"),
        "{e}"
    );
    assert!(s.read("news/same/index.html").contains("旧的"));
    for f in ["c", "d", "e", "f"] {
        let e = entry(&out, &format!("content/news/{f}.md"));
        assert!(e.contains("[slug]") && e.contains("同名"), "{e}");
    }
    assert!(entry(&out, "content/news/g.md").contains("content/news/ok.md"));
    assert!(s.read("news/feed.xml").contains("<rss") || s.read("news/feed.xml").contains("<feed"));
    assert!(!s.exists("news/index.html/index.html"));
    assert!(!s.exists("news/search"));
}

#[cfg(unix)]
#[test]
fn symlinks_are_refused_in_the_work_tree() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(
        &secret,
        "---\ntitle: 外部\nclass: A\ndate: \"2026-11-01\"\n---\n外部文件\n",
    )
    .unwrap();

    // A symlinked article is held.
    let s = site();
    symlink(&secret, s.path().join("content/news/link.md")).unwrap();
    let out = builds(&s, &[]);
    let e = entry(&out, "content/news/link.md");
    assert!(e.contains("[unreadable]") && e.contains("符号链接"), "{e}");
    assert!(!output_text(&s).contains("外部文件"));

    // A symlink in static/, reviews/, themes/ or a content folder stops it.
    for (dir, name) in [
        ("static", "static/x.txt"),
        ("reviews", "reviews/extra.yaml"),
        ("themes", "themes/default/static/a.css"),
    ] {
        let s = site();
        std::fs::create_dir_all(s.path().join(name).parent().unwrap()).unwrap();
        symlink(&secret, s.path().join(name)).unwrap();
        let e = stops(&s, &[]);
        assert!(e.contains(name) && e.contains("符号链接"), "{dir}: {e}");
        assert!(e.contains("修改方法"), "{e}");
    }
    // A linked image holds the article using it (spec §2), only it.
    let s = site();
    symlink(&secret, s.path().join("content/news/img.png")).unwrap();
    s.article("news/pic.md", "图片", "2026-11-02", "", "![图](img.png)");
    let out = builds(&s, &[]);
    let e = entry(&out, "content/news/pic.md");
    assert!(
        e.contains("[asset]") && e.contains("content/news/img.png"),
        "{e}"
    );
    assert!(e.contains("符号链接"), "{e}");
    assert!(!s.exists("news/img.png"));
    // A symlinked folder is not followed.
    let s = site();
    symlink(outside.path(), s.path().join("content/news/sub")).unwrap();
    let e = stops(&s, &[]);
    assert!(e.contains("content/news/sub"), "{e}");
}

/// Commit everything in the site folder.
fn commit_all(dir: &Path) {
    let date = "2026-11-01T09:00:00+08:00";
    git_at(dir, &["init", "-q"], date);
    git_at(dir, &["add", "-A"], date);
    git_at(dir, &["commit", "-q", "-m", "site"], date);
}

#[cfg(unix)]
#[test]
fn symlinks_are_refused_in_a_git_revision() {
    use std::os::unix::fs::symlink;
    let s = site();
    symlink("/etc/passwd", s.path().join("content/news/link.md")).unwrap();
    commit_all(s.path());
    let out = builds(&s, &["--rev", "HEAD"]);
    let e = entry(&out, "content/news/link.md");
    assert!(e.contains("[unreadable]") && e.contains("符号链接"), "{e}");

    let s = site();
    std::fs::create_dir_all(s.path().join("static")).unwrap();
    symlink("/etc/passwd", s.path().join("static/passwd")).unwrap();
    commit_all(s.path());
    let e = stops(&s, &["--rev", "HEAD"]);
    assert!(e.contains("static/passwd") && e.contains("符号链接"), "{e}");
}

#[test]
fn limits_apply_to_a_git_revision() {
    let s = site();
    s.write(
        "site.yaml",
        "name: 测试\nbase_url: https://www.ceshi.gov.cn\nlimits: {markdown_mb: 1}\n",
    );
    let mut text = String::from("---\ntitle: x\nclass: A\ndate: \"2026-11-01\"\n---\n");
    text.push_str(&"长".repeat(700_000));
    s.write("content/news/big.md", &text);
    commit_all(s.path());
    let out = builds(&s, &["--rev", "HEAD"]);
    let e = entry(&out, "content/news/big.md");
    assert!(e.contains("[unreadable]") && e.contains("文件过大"), "{e}");
}

#[test]
fn theme_is_a_name_not_a_path() {
    for theme in ["../../x", "/etc", "Default", "a/b"] {
        let s = site();
        s.write(
            "site.yaml",
            &format!("name: 测试\nbase_url: https://www.ceshi.gov.cn\ntheme: \"{theme}\"\n"),
        );
        let e = stops(&s, &[]);
        assert!(
            e.contains("site.yaml:3") && e.contains("theme"),
            "{theme}: {e}"
        );
    }
}

/// A file of `len` bytes without a line break, sparse on disk.
fn sparse(s: &TestSite, rel: &str, head: &[u8], len: u64) {
    let p = s.path().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let mut f = std::fs::File::create(&p).unwrap();
    std::io::Write::write_all(&mut f, head).unwrap();
    f.set_len(len).unwrap();
}

#[test]
fn size_limits_are_checked_before_reading() {
    // A 1 GB article without a line break: held, never read.
    let s = site();
    sparse(
        &s,
        "content/news/huge.md",
        b"---\ntitle: x\nclass: A\ndate: \"2026-11-01\"\n---\n",
        1 << 30,
    );
    let started = std::time::Instant::now();
    let out = builds(&s, &[]);
    let e = entry(&out, "content/news/huge.md");
    assert!(e.contains("[unreadable]") && e.contains("文件过大"), "{e}");
    assert!(e.contains("limits.markdown_mb"), "{e}");
    // Reading 1 GB would take far longer than this on any machine.
    assert!(started.elapsed().as_secs() < 60);

    // Configurable: a 2 MB article over `markdown_mb: 1`.
    let s = site();
    s.write(
        "site.yaml",
        "name: 测试\nbase_url: https://www.ceshi.gov.cn\nlimits: {markdown_mb: 1, file_mb: 1}\n",
    );
    let mut text = String::from("---\ntitle: x\nclass: A\ndate: \"2026-11-01\"\n---\n");
    text.push_str(&"长".repeat(700_000));
    s.write("content/news/big.md", &text);
    // An image over `file_mb` holds the article using it, and only it.
    sparse(&s, "content/news/big.png", b"\x89PNG", 2 << 20);
    s.article("news/pic.md", "图片", "2026-11-02", "", "![图](big.png)");
    let out = builds(&s, &[]);
    assert!(entry(&out, "content/news/big.md").contains("文件过大"));
    let e = entry(&out, "content/news/pic.md");
    assert!(
        e.contains("content/news/big.png") && e.contains("limits.file_mb"),
        "{e}"
    );
    assert!(!s.exists("news/big.png"));

    // A frame or static file over the limit stops the build.
    let s = site();
    sparse(&s, "static/video.mp4", b"", 60 << 20);
    let e = stops(&s, &[]);
    assert!(
        e.contains("static/video.mp4") && e.contains("文件过大"),
        "{e}"
    );
}

#[test]
fn error_snippets_are_bounded() {
    // A frame error on a 300 000-character line.
    let s = site();
    s.write(
        "site.yaml",
        &format!(
            "name: 测试\nbase_url: https://www.ceshi.gov.cn\nkeywords: [\"{}\n",
            "字".repeat(300_000)
        ),
    );
    let e = stops(&s, &[]);
    assert!(e.len() < 5_000, "{} bytes of message", e.len());

    // An article error on such a line: held, with a short message.
    let s = site();
    s.write(
        "content/news/long.md",
        &format!("---\ntitle: \"{}\nclass: A\n---\n", "字".repeat(300_000)),
    );
    let out = builds(&s, &[]);
    assert!(entry(&out, "content/news/long.md").len() < 5_000);
}

#[test]
fn templates_cannot_read_the_environment() {
    let s = site();
    let theme = common::repo().join("themes/default");
    for entry in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry.path().strip_prefix(common::repo()).unwrap();
        s.write_bytes(
            &rel.to_string_lossy(),
            &std::fs::read(entry.path()).unwrap(),
        );
    }
    let path = s.path().join("themes/default/templates/404.html");
    let t = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{t}\n{{{{ get_env(name=\"HOME\") }}}}\n")).unwrap();
    // The root signs the changed template (frame, spec §7): the template
    // itself must still be refused.
    s.sign_governance();
    let line = t.lines().count() + 2;
    let e = stops(&s, &[]);
    assert!(
        e.contains(&format!("themes/default/templates/404.html:{line}")),
        "{e}"
    );
    assert!(e.contains("get_env"), "{e}");
}

#[test]
fn implausible_dates_are_held() {
    let s = site();
    s.article("news/old.md", "旧", "1900-01-01", "", "x");
    s.article("news/future.md", "未来", "2062-11-01", "", "x");
    s.article("news/next.md", "明年", "2027-06-01", "", "x");
    let out = builds(&s, &[]);
    let e = entry(&out, "content/news/old.md");
    assert!(
        e.contains("[date] 第 4 行") && e.contains("1949-10-01"),
        "{e}"
    );
    let e = entry(&out, "content/news/future.md");
    assert!(
        e.contains("[date] 第 4 行") && e.contains("2062-11-01"),
        "{e}"
    );
    // Any future date needs publish_at (dates.rs has the rule's tests).
    let e = entry(&out, "content/news/next.md");
    assert!(
        e.contains("[date] 第 4 行") && e.contains("publish_at"),
        "{e}"
    );
    assert!(!s.exists("news/next/index.html"));
}

#[test]
fn unknown_notices_column_names_its_line() {
    let s = site();
    s.write(
        "site.yaml",
        "name: 测试\nbase_url: https://www.ceshi.gov.cn\nnotices_column: notices\n",
    );
    let e = stops(&s, &[]);
    assert!(e.contains("site.yaml:3") && e.contains("notices"), "{e}");
    assert!(e.contains("news"), "the known columns are named: {e}");
}

/// A tiny deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random mutation of an article's bytes.
fn mutate(rng: &mut Rng, text: &[u8]) -> Vec<u8> {
    let mut b = text.to_vec();
    let inserts: [&[u8]; 10] = [
        b"\t",
        b"\0",
        b"\xb1\xea\xcc\xe2",
        b"\xef\xbb\xbf",
        b"\n---\n",
        b"---",
        b"\"",
        b"'",
        b"\r",
        b"\xff\xfe",
    ];
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(b.len() + 1);
        match rng.below(4) {
            0 => b.truncate(at),
            1 => {
                let what = inserts[rng.below(inserts.len())];
                b.splice(at..at, what.iter().copied());
            }
            2 if at < b.len() => {
                b.remove(at);
            }
            _ => {
                let what = inserts[rng.below(inserts.len())];
                b.splice(0..0, what.iter().copied());
            }
        }
    }
    b
}

#[test]
fn random_mutations_of_one_article_never_stop_the_build() {
    let s = site();
    s.article(
        "news/victim.md",
        "被改的文章",
        "2026-11-05",
        "summary: 摘要\nsource: {name: 中国政府网, url: \"https://www.gov.cn/\"}\n",
        "第一段。\n\n## 小标题\n\n- 一\n- 二\n",
    );
    let original = s.source("content/news/victim.md");
    let opts = sanshen::pipeline::BuildOptions {
        root: s.path().to_path_buf(),
        out: s.out(),
        strict: false,
        trust_root: Some(common::trust_root()),
        rev: None,
        now: Some(common::NOW_RFC3339.to_string()),
        log: None,
        cache: None,
    };
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let tree = sanshen::tree::WorkTree::new(s.path());
    let root = common::trust_root();
    let cases = 80;
    let mut stopped = Vec::new();
    for case in 0..cases {
        let bytes = mutate(&mut rng, &original);
        s.write_bytes("content/news/victim.md", &bytes);
        let shown = || String::from_utf8_lossy(&bytes).into_owned();
        // Every case is loaded and judged (where a broken article used to
        // stop the build); every twentieth is built in full.
        let judged = std::panic::catch_unwind(|| {
            sanshen::pipeline::judge_site(&tree, Some(&root), Some(common::NOW_RFC3339))
        })
        .unwrap_or_else(|_| panic!("case {case} panicked on {:?}", shown()));
        match judged {
            Ok(j) => {
                let ok = j
                    .content
                    .articles
                    .iter()
                    .position(|a| a.path == "news/ok.md");
                assert!(ok.is_some_and(|i| j.decisions[i].publish), "case {case}");
            }
            Err(e) => {
                stopped.push((case, shown(), e.to_string()));
                continue;
            }
        }
        if case % 20 == 0 {
            let _ = std::fs::remove_dir_all(s.out());
            let built = std::panic::catch_unwind(|| sanshen::pipeline::build(&opts))
                .unwrap_or_else(|_| panic!("case {case} panicked on {:?}", shown()));
            match built {
                Ok(report) => {
                    assert!(s.exists("news/ok/index.html"), "case {case}");
                    assert!(report.published >= 1, "case {case}");
                }
                Err(_) => stopped.push((case, shown(), "render".into())),
            }
        }
    }
    println!(
        "mutations that stopped the build: {} of {cases} ({:.1} %)",
        stopped.len(),
        100.0 * stopped.len() as f64 / cases as f64
    );
    assert!(
        stopped.is_empty(),
        "article-only mutations stopped the build: {stopped:?}"
    );
}
