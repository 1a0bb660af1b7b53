//! `sanshen new COLUMN/标题`: a new article with its front matter and a
//! stable ASCII file name (the date and a number from the title, or the
//! date and the editor's `--slug`), refused for an unknown column or a bad
//! name.

use crate::common;

use common::*;

fn new(site: &TestSite, args: &[&str]) -> Run {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", "."]);
    sanshen(site.path(), &all)
}

#[test]
fn creates_an_article_with_front_matter_and_a_date_number_slug() {
    let site = TestSite::new();
    let r = new(
        &site,
        &[
            "news/关于做好寒潮防范",
            "--class",
            "B",
            "--date",
            "2026-11-21",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    // The number is the start of the title's SHA-256: the same title and
    // date give the same name on every machine.
    let rel = "content/news/2026-11-21-20fc08.md";
    assert!(
        r.stdout.contains(&format!("已新建文章：{rel}")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("--slug"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("sanshen sign {rel}")),
        "{}",
        r.stdout
    );
    let text = String::from_utf8(site.source(rel)).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"关于做好寒潮防范\"\nclass: B "),
        "{text}"
    );
    assert!(text.contains("date: \"2026-11-21\""), "{text}");
    assert!(
        text.contains("author: ") && text.contains("# 作者（信息员）"),
        "{text}"
    );
    assert!(text.contains("department: "), "{text}");

    // Same title and date: the same slug, with -2 rather than overwriting.
    let again = new(
        &site,
        &[
            "news/关于做好寒潮防范",
            "--class",
            "B",
            "--date",
            "2026-11-21",
        ],
    );
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stdout.contains("content/news/2026-11-21-20fc08-2.md"));
    assert_eq!(String::from_utf8(site.source(rel)).unwrap(), text);

    // The new article is valid: held (no approvals yet), not an error.
    let status = site.run(&["status", rel]);
    assert_eq!(status.code, 1, "{}", status.all());
    assert!(status.stdout.contains("缺少第1级审核"), "{}", status.stdout);
    let build = site.build(&[]);
    assert_eq!(build.code, 0, "{}", build.all());
}

#[test]
fn date_defaults_to_the_build_clock_and_column_may_be_its_title() {
    let site = TestSite::new();
    let r = new(&site, &["政务动态/通知：\"安全生产\" 2027"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // SOURCE_DATE_EPOCH of the tests is 2026-11-21 in +08:00.
    let rel = "content/news/2026-11-21-3241bc.md";
    assert!(r.stdout.contains(rel), "{}", r.stdout);
    let text = String::from_utf8(site.source(rel)).unwrap();
    assert!(text.contains("class: A "), "{text}");
    let build = site.build(&[]);
    assert_eq!(build.code, 0, "{}", build.all());
}

#[test]
fn refuses_an_unknown_column_and_lists_the_known_ones() {
    let site = TestSite::new();
    site.column("notices", "通知公告");
    let r = new(&site, &["newz/标题"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("没有栏目「newz」"), "{}", r.stderr);
    assert!(
        r.stderr.contains("news（政务动态）、notices（通知公告）"),
        "{}",
        r.stderr
    );
    let r = new(&site, &["只有标题"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("栏目/标题"), "{}", r.stderr);
    let r = new(&site, &["news/标题", "--class", "D"]);
    assert_ne!(r.code, 0);
    assert!(
        std::fs::read_dir(site.path().join("content/news"))
            .unwrap()
            .count()
            == 1
    );
}

#[test]
fn the_editor_may_choose_the_name_and_a_bad_one_is_refused() {
    let site = TestSite::new();
    let r = new(
        &site,
        &[
            "news/重庆银行行长调研长江航运",
            "--slug",
            "chongqing-yinhang-hangzhang",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let rel = "content/news/2026-11-21-chongqing-yinhang-hangzhang.md";
    assert!(r.stdout.contains(rel), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("/news/2026-11-21-chongqing-yinhang-hangzhang/"),
        "{}",
        r.stdout
    );
    assert!(site.path().join(rel).is_file());

    let before = std::fs::read_dir(site.path().join("content/news"))
        .unwrap()
        .count();
    for bad in ["重庆", "ChongQing", "chong qing", "a--b"] {
        let r = new(&site, &["news/标题", "--slug", bad]);
        assert_eq!(r.code, 1, "{bad}: {}", r.all());
        assert!(
            r.stderr.contains(&format!("网址名「{bad}」不可用"))
                && r.stderr.contains("例如 --slug"),
            "{}",
            r.stderr
        );
    }
    let after = std::fs::read_dir(site.path().join("content/news"))
        .unwrap()
        .count();
    assert_eq!(before, after, "a refused name writes nothing");
}
