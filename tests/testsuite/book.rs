//! The user guide (`docs/`, an mdBook): its tutorial is executed as written,
//! its command reference is the one the program generates, and every
//! internal link and anchor (of the book and of README.md) resolves.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

const UPDATE: &str = "UPDATE_EXAMPLES=1 cargo test --test testsuite -- book::";

fn docs() -> PathBuf {
    common::repo().join("docs")
}

/// `docs/reference/commands.md` is what `sanshen reference-md` prints now.
#[test]
fn command_reference_is_current() {
    let r = common::sanshen_raw(&common::repo(), &["reference-md"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for name in [
        "build",
        "sign",
        "status",
        "deploy",
        "log verify",
        "governance sign",
    ] {
        assert!(
            r.stdout.contains(&format!("\n## sanshen {name}\n")),
            "{name} missing"
        );
    }
    assert!(
        !r.stdout.contains("## sanshen reference-md"),
        "hidden stays hidden"
    );
    let path = docs().join("reference/commands.md");
    if std::env::var_os("UPDATE_EXAMPLES").is_some() {
        fs::write(&path, &r.stdout).expect("write commands.md");
    }
    let have = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == r.stdout,
        "docs/reference/commands.md is stale (a command or its help changed); run {UPDATE}"
    );
}

/// mdBook's id for a heading's text.
fn heading_id(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The ids of a Markdown file's headings (duplicates get `-1`, `-2`, as in
/// mdBook) and its link targets with their line numbers.
fn scan(text: &str) -> (BTreeSet<String>, Vec<(usize, String)>) {
    let mut ids = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut links = Vec::new();
    let mut heading: Option<String> = None;
    let parser = Parser::new_ext(text, Options::all()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = heading_id(&heading.take().unwrap_or_default());
                let n = seen.entry(base.clone()).or_insert(0);
                ids.insert(if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                });
                *n += 1;
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let line = text[..range.start].matches('\n').count() + 1;
                links.push((line, dest_url.to_string()));
            }
            _ => {}
        }
    }
    (ids, links)
}

/// Every relative link of `files` (paths under `base`) names an existing
/// file, and every `#anchor` an existing heading; returns the problems.
fn broken_links(base: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut all_links = Vec::new();
    for file in files {
        let text = fs::read_to_string(file).expect("read markdown");
        let (i, links) = scan(&text);
        ids.insert(file.clone(), i);
        all_links.push((file.clone(), links));
    }
    for (file, links) in all_links {
        let shown = file
            .strip_prefix(base)
            .unwrap_or(&file)
            .display()
            .to_string();
        for (line, dest) in links {
            if dest.contains("://") || dest.starts_with("mailto:") || dest.is_empty() {
                continue;
            }
            let (path, frag) = dest.split_once('#').unwrap_or((&dest, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                let decoded = percent_encoding::percent_decode_str(path)
                    .decode_utf8_lossy()
                    .into_owned();
                file.parent().expect("dir").join(decoded)
            };
            let Ok(target) = target.canonicalize() else {
                problems.push(format!("{shown}:{line}: {dest}：文件不存在"));
                continue;
            };
            if frag.is_empty() {
                continue;
            }
            let frag = percent_encoding::percent_decode_str(frag)
                .decode_utf8_lossy()
                .into_owned();
            let known = match ids.get(&target) {
                Some(i) => i.clone(),
                None => {
                    let text = fs::read_to_string(&target).unwrap_or_default();
                    scan(&text).0
                }
            };
            if !known.contains(&frag) {
                problems.push(format!("{shown}:{line}: {dest}：没有这个标题（#{frag}）"));
            }
        }
    }
    problems
}

/// The chapters SUMMARY.md lists (draft chapters, `()`, have no file).
fn summary_chapters() -> Vec<PathBuf> {
    let text = fs::read_to_string(docs().join("SUMMARY.md")).expect("SUMMARY.md");
    scan(&text)
        .1
        .into_iter()
        .filter(|(_, d)| !d.is_empty())
        .map(|(_, d)| docs().join(d))
        .collect()
}

/// Every chapter exists, every Markdown file of the book is a chapter
/// (nothing written and left unreachable), and no link or anchor of the book or the README is
/// dead.
#[test]
fn book_links_and_anchors_resolve() {
    let chapters = summary_chapters();
    for c in &chapters {
        assert!(
            c.is_file(),
            "SUMMARY.md lists a missing chapter: {}",
            c.display()
        );
    }
    let listed: BTreeSet<PathBuf> = chapters.iter().map(|c| c.canonicalize().unwrap()).collect();
    let mut orphans = Vec::new();
    for entry in walkdir::WalkDir::new(docs()) {
        let entry = entry.expect("walk docs");
        let p = entry.path();
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        if p.extension().is_some_and(|e| e == "md")
            && name != "SUMMARY.md"
            && !listed.contains(&p.canonicalize().unwrap())
        {
            orphans.push(p.display().to_string());
        }
    }
    assert!(orphans.is_empty(), "not in docs/SUMMARY.md: {orphans:?}");
    let mut files = chapters;
    files.push(docs().join("SUMMARY.md"));
    files.push(common::repo().join("README.md"));
    let problems = broken_links(&common::repo(), &files);
    assert!(problems.is_empty(), "dead links:\n{}", problems.join("\n"));
}

#[test]
fn link_checker_finds_a_dead_file_and_anchor() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.md");
    fs::write(
        tmp.path().join("b.md"),
        "# 第一章\n\n## `sanshen serve`：编辑预览\n",
    )
    .unwrap();
    fs::write(
        &a,
        "[好](b.md#sanshen-serve编辑预览) [好](b.md#第一章) [坏](b.md#没有)\n\n[坏](c.md)\n",
    )
    .unwrap();
    let problems = broken_links(tmp.path(), &[a]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("a.md:1: b.md#没有"), "{problems:?}");
    assert!(problems[1].starts_with("a.md:3: c.md"), "{problems:?}");
}

/// The shell blocks of `docs/tutorial.md`, with the exit status each must
/// end with (`<!-- tutorial: exit N -->` before a block), skipping those
/// marked `<!-- tutorial: skip -->`.
fn tutorial_blocks(text: &str) -> Vec<(i32, String)> {
    let mut blocks = Vec::new();
    let mut mark: Option<String> = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if let Some(m) = t.strip_prefix("<!-- tutorial:") {
            mark = Some(m.trim_end_matches("-->").trim().to_string());
            continue;
        }
        if t == "```sh" {
            let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            match mark.take().as_deref() {
                Some("skip") => {}
                Some(m) => {
                    let code = m
                        .strip_prefix("exit ")
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("tutorial marker not understood: {m}"));
                    blocks.push((code, body.join("\n")));
                }
                None => blocks.push((0, body.join("\n"))),
            }
            continue;
        }
        if !t.is_empty() {
            mark = None;
        }
    }
    blocks
}

/// The book's tutorial, run as written: its shell blocks in one bash, in a
/// copy of the repository's example site and demo keys (keys made private
/// as the tutorial's preparation says), with the sanshen just built on
/// PATH, the system clock, and `--yes` for `sign` (there is no terminal to
/// type `y` into). Each block must end with the status the page states.
#[test]
fn tutorial_runs_as_written() {
    let text = fs::read_to_string(docs().join("tutorial.md")).expect("tutorial.md");
    let blocks = tutorial_blocks(&text);
    assert!(
        blocks.len() >= 10,
        "the tutorial lost its steps: {}",
        blocks.len()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let checkout = tmp.path().join("sanshen");
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let repo = common::repo();
    for dir in [
        "content",
        "reviews",
        "themes",
        "static",
        "examples/demo-keys",
    ] {
        if repo.join(dir).is_dir() {
            crate::browser::copy_dir(&repo.join(dir), &checkout.join(dir));
        }
    }
    fs::copy(repo.join("site.yaml"), checkout.join("site.yaml")).unwrap();
    for key in fs::read_dir(checkout.join("examples/demo-keys")).unwrap() {
        let key = key.unwrap().path();
        if key.extension().is_some_and(|e| e == "pem") {
            common::private(&key);
        }
    }

    let mut script = String::from(
        "set -u\nsanshen() { if [ \"$1\" = sign ]; then command sanshen \"$@\" --yes; else command sanshen \"$@\"; fi; }\n",
    );
    for (i, (code, body)) in blocks.iter().enumerate() {
        let n = i + 1;
        script.push_str(&format!("echo '== 第 {n} 段'\n"));
        if *code == 0 {
            script.push_str(&format!("set -e\n{body}\nset +e\n"));
        } else {
            script.push_str(&format!(
                "( set -e\n{body}\n)\nrc=$?\nif [ \"$rc\" -ne {code} ]; then echo \"第 {n} 段的退出码是 $rc，教程说是 {code}\" >&2; exit 99; fi\n"
            ));
        }
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_sanshen")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&checkout)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("LANG", "C.UTF-8")
        .env("TZ", "Asia/Shanghai")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the tutorial failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    // What the tutorial says happened, checked from outside.
    let site = home.join("shiliqu-site");
    let log = Command::new("git")
        .args(["log", "--format=%s"])
        .current_dir(&site)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git log");
    let log = String::from_utf8_lossy(&log.stdout);
    let subjects: Vec<&str> = log.lines().collect();
    assert_eq!(subjects.len(), 5, "{log}");
    assert!(subjects[0].starts_with("撤稿"), "{log}");
    assert!(subjects[1].contains("孙浩"), "{log}");
    let article = fs::read_dir(site.join("content/news"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-jizhong-gongre-qidong.md"))
        .expect("the tutorial's article");
    let stem = article.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(site.join("public/index.html").is_file());
    assert!(!site.join("public/news").join(&stem).exists(), "withdrawn");
    let text = fs::read_to_string(&article).unwrap();
    assert!(
        text.contains("withdrawn:") && text.contains("sun.hao"),
        "{text}"
    );
    assert!(home.join("审核表.html").is_file());
    let register = fs::read_to_string(home.join("登记表/register.csv")).unwrap();
    assert!(register.contains("已撤稿"), "{register}");
}

/// The README is what a newcomer reads in five minutes: under 8 KB, the two
/// commands, links into the book (everything else lives there).
#[test]
fn readme_is_short_and_points_into_the_book() {
    let text = fs::read_to_string(common::repo().join("README.md")).expect("README.md");
    assert!(text.len() < 8 * 1024, "README.md is {} bytes", text.len());
    assert!(text.contains("cargo run --release -- build"));
    assert!(text.contains("cargo test"));
    for chapter in [
        "docs/workflow.md",
        "docs/tutorial.md",
        "docs/roles/editor.md",
    ] {
        assert!(text.contains(&format!("]({chapter}")), "{chapter}");
    }
}
