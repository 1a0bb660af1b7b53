//! Content rules in `sanshen build`: fully signed articles are still held
//! for classification markings, personal data, forbidden words and hosts,
//! serious typos and images without alt text — and personal data is never
//! printed in full.

use crate::common;

use std::fs;

use common::TestSite;

// Fictional numbers with valid check characters (GB 11643, Luhn).
const ID: &str = "11010519491231002X";
const ID_MASKED: &str = "1101**********002X";
const PHONE: &str = "13912345678";
const PHONE_MASKED: &str = "139****5678";
const CARD: &str = "6222021234567890128";
const CARD_MASKED: &str = "6222 **** **** 0128";

/// Re-sign governance over every file the build reads, `rules.yaml` and
/// `words.yaml` included.
fn sign_all(s: &TestSite) {
    s.sign_governance();
}

fn site_with(rules: Option<&str>, words: Option<&str>) -> TestSite {
    let s = TestSite::new();
    if let Some(t) = rules {
        s.write("reviews/rules.yaml", t);
    }
    if let Some(t) = words {
        s.write("reviews/words.yaml", t);
    }
    sign_all(&s);
    s.article(
        "news/ok.md",
        "正常文章",
        "2026-11-10",
        "",
        "会议要求保守国家秘密，做好保密工作。",
    );
    s
}

/// The lines printed under a held article.
fn held_block<'a>(stdout: &'a str, file: &str) -> &'a str {
    let start = stdout
        .find(&format!("  {file}《"))
        .unwrap_or_else(|| panic!("{file} not held:\n{stdout}"));
    let rest = &stdout[start..];
    let end = rest[3..].find("\n  content/").map_or(rest.len(), |i| i + 4);
    &rest[..end]
}

#[test]
fn personal_data_holds_and_is_never_printed_in_full() {
    let s = site_with(None, None);
    s.article(
        "news/pii.md",
        "个人信息",
        "2026-11-11",
        "",
        &format!("申请人身份证号：{ID}\n\n联系电话：{PHONE}，收款账号 {CARD}。"),
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let block = held_block(&r.stdout, "content/news/pii.md");
    let body_line = s_line(&s, "content/news/pii.md", "申请人");
    assert!(
        block.contains(&format!(
            "[personal-data] 第 {body_line} 行：content/news/pii.md:{body_line}:9 发现居民身份证号码 {ID_MASKED}"
        )),
        "{block}"
    );
    assert!(block.contains(PHONE_MASKED), "{block}");
    assert!(block.contains(CARD_MASKED), "{block}");
    for full in [ID, PHONE, CARD] {
        assert!(!r.all().contains(full), "{full} printed:\n{}", r.all());
    }
    assert!(!s.exists("news/pii/index.html"));
    assert!(s.exists("news/ok/index.html"));
    // status, text and JSON.
    for args in [&["status"][..], &["status", "--json"][..]] {
        let st = s.run(args);
        assert!(st.all().contains(ID_MASKED), "{}", st.all());
        for full in [ID, PHONE, CARD] {
            assert!(!st.all().contains(full), "{full} printed:\n{}", st.all());
        }
    }
}

/// The file line of the first line containing `needle`.
fn s_line(s: &TestSite, rel: &str, needle: &str) -> usize {
    let text = String::from_utf8(s.source(rel)).expect("utf-8");
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn exemption_must_be_allowed_by_rules_yaml() {
    let s = site_with(Some("pii_exemptions: [惩戒公示]\n"), None);
    let body = format!("失信被执行人：张某，身份证号 {ID}。");
    s.article(
        "news/allowed.md",
        "惩戒公示名单",
        "2026-11-11",
        "pii_exemption: 惩戒公示\n",
        &body,
    );
    s.article(
        "news/other.md",
        "其他名单",
        "2026-11-12",
        "pii_exemption: 工作需要\n",
        &body,
    );
    s.article("news/none.md", "未声明", "2026-11-13", "", &body);
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/allowed/index.html"), "{}", r.stdout);
    assert!(
        !r.stderr.contains("未知字段"),
        "pii_exemption is a known key: {}",
        r.stderr
    );
    let other = held_block(&r.stdout, "content/news/other.md");
    assert!(other.contains("[personal-data]"), "{other}");
    assert!(
        other.contains("「工作需要」不在 reviews/rules.yaml"),
        "{other}"
    );
    assert!(held_block(&r.stdout, "content/news/none.md").contains("[personal-data]"));
    assert!(!s.exists("news/other/index.html"));

    // Without rules.yaml no exemption is allowed.
    fs::remove_file(s.path().join("reviews/rules.yaml")).expect("remove");
    sign_all(&s);
    let r = s.build(&[]);
    assert!(held_block(&r.stdout, "content/news/allowed.md").contains("「惩戒公示」不在"));
}

#[test]
fn classification_markings_hold_normal_prose_does_not() {
    let s = site_with(None, None);
    s.article(
        "news/mark.md",
        "关于印发方案的通知",
        "2026-11-11",
        "",
        "机密★1年\n\n正文。",
    );
    s.article(
        "news/internal.md",
        "内部资料汇编",
        "2026-11-12",
        "",
        "正文。",
    );
    s.article(
        "news/prose.md",
        "区召开保密工作会议",
        "2026-11-13",
        "",
        "会议强调，涉密不上网、上网不涉密，严守**国家秘密**，加强数据机密性保护。",
    );
    let r = s.build(&[]);
    let mark = held_block(&r.stdout, "content/news/mark.md");
    assert!(
        mark.contains("[secrecy]") && mark.contains("「机密★1年」"),
        "{mark}"
    );
    let internal = held_block(&r.stdout, "content/news/internal.md");
    assert!(
        internal.contains("[secrecy] 第 2 行：content/news/internal.md:2:8"),
        "{internal}"
    );
    assert!(s.exists("news/prose/index.html"), "{}", r.stdout);
}

const WORDS: &str = "forbidden: [博彩]\nforbidden_hosts: [\"*.ads.example.com\"]\ncorrections:\n  - { wrong: 中国共产觉, right: 中国共产党, severity: hold }\n  - { wrong: 按步就班, right: 按部就班, severity: warn }\n";

#[test]
fn words_hosts_and_typos() {
    let s = site_with(None, Some(WORDS));
    let both = [("editor", 1), ("security", 2)];
    s.article(
        "news/word.md",
        "活动",
        "2026-11-11",
        "",
        "欢迎访问网上博彩平台。",
    );
    s.article_signed(
        "news/host.md",
        "A",
        "链接",
        "2026-11-12",
        "",
        "[点此了解](https://m.ads.example.com/landing)",
        &both,
    );
    s.article_signed(
        "news/link.md",
        "A",
        "正常外链",
        "2026-11-12",
        "",
        "[中国政府网](https://www.example.org/)",
        &both,
    );
    s.article(
        "news/typo.md",
        "学习",
        "2026-11-13",
        "",
        "坚持中国共产觉的领导。",
    );
    s.article(
        "news/warn.md",
        "工作",
        "2026-11-14",
        "",
        "各项工作按步就班推进。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(held_block(&r.stdout, "content/news/word.md").contains("[forbidden-word]"));
    let host = held_block(&r.stdout, "content/news/host.md");
    assert!(
        host.contains("[forbidden-host]") && host.contains("m.ads.example.com"),
        "{host}"
    );
    assert!(!host.contains("[pending]"), "signed as required: {host}");
    assert!(s.exists("news/link/index.html"), "{}", r.stdout);
    let typo = held_block(&r.stdout, "content/news/typo.md");
    assert!(
        typo.contains("[typo]") && typo.contains("「中国共产觉」应为「中国共产党」"),
        "{typo}"
    );
    // warn: published, with a warning naming file, line and column.
    assert!(s.exists("news/warn/index.html"), "{}", r.stdout);
    assert!(!r.stdout.contains("content/news/warn.md《"), "{}", r.stdout);
    let line = s_line(&s, "content/news/warn.md", "按步就班");
    assert!(
        r.stderr.contains("警告：「按步就班」应为「按部就班」"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("content/news/warn.md:{line}:5")),
        "{}",
        r.stderr
    );
}

#[test]
fn images_need_alt_text() {
    let s = site_with(None, None);
    s.write("content/news/a.png", "png");
    s.article("news/md.md", "图片一", "2026-11-11", "", "![](a.png)");
    s.article(
        "news/html.md",
        "图片二",
        "2026-11-12",
        "",
        "<img src=\"a.png\">",
    );
    s.article(
        "news/alt.md",
        "图片三",
        "2026-11-13",
        "",
        "![区政务服务中心](a.png)\n\n<img src=\"a.png\" alt=\"示意图\">",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(held_block(&r.stdout, "content/news/md.md").contains("[alt-text]"));
    assert!(held_block(&r.stdout, "content/news/html.md").contains("[alt-text]"));
    assert!(s.exists("news/alt/index.html"), "{}", r.stdout);
}

#[test]
fn rules_files_must_be_signed_and_valid() {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-10", "", "正文。");
    // Written after the governance signature (which lists only policy,
    // reviewers and sources): the build stops.
    s.write("reviews/words.yaml", WORDS);
    let r = s.build(&[]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("reviews/words.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("governance.yaml"), "{}", r.stderr);
    // Signed but invalid: the error names file and line.
    s.write("reviews/words.yaml", "forbidden: [博彩]\ncorrections:\n  - { wrong: 既往开来, right: 继往开来, severity: stop }\n");
    sign_all(&s);
    let r = s.build(&[]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("reviews/words.yaml:3"), "{}", r.stderr);
    assert!(r.stderr.contains("severity"), "{}", r.stderr);
}

#[test]
fn personal_data_in_a_title_is_masked_in_the_held_list() {
    let s = site_with(None, None);
    s.article(
        "news/t.md",
        &format!("关于{PHONE}的说明"),
        "2026-11-11",
        "",
        "正文。",
    );
    let r = s.build(&[]);
    let block = held_block(&r.stdout, "content/news/t.md");
    assert!(
        block.contains(&format!("《关于{PHONE_MASKED}的说明》")),
        "{block}"
    );
    assert!(
        block.contains("[personal-data] 第 2 行：content/news/t.md:2:10"),
        "{block}"
    );
    assert!(!r.all().contains(PHONE), "{}", r.all());
}
