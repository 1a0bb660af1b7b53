//! YAML mistakes in real sites: exit code 1, nothing written, and a Chinese
//! message naming the file and the line of the mistake (in an article, the
//! line of the .md file), never the YAML library's English or Rust names.

use crate::common;

use common::TestSite;

/// Build, expect failure with nothing written, return stderr.
fn fails(s: &TestSite) -> String {
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "expected failure:\n{}", r.all());
    assert!(!s.out().exists(), "nothing may be written");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    for leak in [
        "RawArticle",
        "SiteConfig",
        "struct",
        "invalid type",
        "unknown field",
        "missing field",
        "duplicate",
        "expected",
        "mapping",
    ] {
        assert!(!r.stderr.contains(leak), "`{leak}` leaked:\n{}", r.stderr);
    }
    r.stderr
}

/// A site with one good article and `content/news/bad.md` = `text`.
fn with_bad_article(text: &str) -> TestSite {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-01", "", "正文。");
    s.write("content/news/bad.md", text);
    s
}

fn assert_has(e: &str, parts: &[&str]) {
    for p in parts {
        assert!(e.contains(p), "missing «{p}» in:\n{e}");
    }
}

#[test]
fn chinese_colon() {
    let s = with_bad_article("---\ntitle: 通知\nclass：A\ndate: \"2026-11-01\"\n---\n正文\n");
    let e = fails(&s);
    assert_has(
        &e,
        &[
            "content/news/bad.md:3",
            "这里用了中文冒号「：」，改为英文冒号「:」",
        ],
    );
}

#[test]
fn tab_in_indentation() {
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nsource:\n\tname: 新华网\n\turl: https://www.news.cn/\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(&e, &["content/news/bad.md:6", "缩进不能用 Tab，请改用空格"]);
}

#[test]
fn duplicate_key_names_both_lines() {
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nauthor: 王芳\ndepartment: 办公室\nsummary: 摘要\nslug: tongzhi\ntitle: 另一个标题\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(
        &e,
        &["content/news/bad.md:9", "键 title 重复：第 2 行和第 9 行"],
    );
    // A key the reader does not use is refused too.
    let s = with_bad_article(
        "---\ntitle: 通知\ntags: 甲\nclass: A\ndate: \"2026-11-01\"\ntags: 乙\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(
        &e,
        &["content/news/bad.md:6", "键 tags 重复：第 3 行和第 6 行"],
    );
}

#[test]
fn wrong_type_in_plain_words() {
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nauthor: [王芳, 李四]\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(
        &e,
        &[
            "content/news/bad.md:5",
            "author 应为一段文字，这里写的是一个列表",
        ],
    );
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\ndraft: 是\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(&e, &["content/news/bad.md:5", "draft 应为 true 或 false"]);
}

#[test]
fn typo_of_a_required_key_keeps_the_hint() {
    let s = with_bad_article("---\ntitel: 通知\nclass: A\ndate: \"2026-11-01\"\n---\n正文\n");
    let e = fails(&s);
    assert_has(
        &e,
        &[
            "content/news/bad.md:2",
            "缺少标题 title",
            "titel 是否想写 title",
        ],
    );
    let s = TestSite::new();
    s.write(
        "site.yaml",
        "nmae: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\n",
    );
    let e = fails(&s);
    assert_has(&e, &["site.yaml:1", "不认识的键 nmae，是否想写 name？"]);
}

#[test]
fn unknown_nested_key() {
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nsource:\n  name: 新华网\n  ulr: https://www.news.cn/\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(
        &e,
        &[
            "content/news/bad.md:7",
            "不认识的键 source 中的 ulr，是否想写 url？",
        ],
    );
}

#[test]
fn missing_key() {
    let s = TestSite::new();
    s.write(
        "site.yaml",
        "# 网站设置\nname: 测试区人民政府\nper_page: 15\n",
    );
    let e = fails(&s);
    assert_has(&e, &["site.yaml:", "缺少必填项 base_url"]);
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nsource:\n  url: https://www.news.cn/\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(&e, &["content/news/bad.md:6", "source 缺少必填项 name"]);
}

#[test]
fn bad_indentation() {
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nsource:\n  name: 新华网\n url: https://www.news.cn/\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(&e, &["content/news/bad.md:7", "缩进不对"]);
}

#[test]
fn unclosed_quote_names_the_opening_line() {
    let s = with_bad_article("---\ntitle: \"通知\nclass: A\ndate: \"2026-11-01\"\n---\n正文\n");
    let e = fails(&s);
    assert_has(&e, &["content/news/bad.md:2", "引号没有配对"]);
}

#[test]
fn quoted_gate_key_in_front_matter_is_an_error() {
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\n\"approvals\": []\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(
        &e,
        &["content/news/bad.md:5", "`approvals` 只能作为审核区写在"],
    );
    let s = with_bad_article(
        "---\ntitle: 通知\nclass: A\n'withdrawn': {}\ndate: \"2026-11-01\"\n---\n正文\n",
    );
    let e = fails(&s);
    assert_has(
        &e,
        &["content/news/bad.md:4", "`withdrawn` 只能作为审核区写在"],
    );
}

#[test]
fn reviews_file_duplicate_key() {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-01", "", "正文。");
    s.write(
        "reviews/words.yaml",
        "forbidden: [博彩]\nallowed: []\nforbidden: [赌场]\n",
    );
    s.sign_governance();
    let e = fails(&s);
    assert_has(
        &e,
        &[
            "reviews/words.yaml:3",
            "键 forbidden 重复：第 1 行和第 3 行",
        ],
    );
}
