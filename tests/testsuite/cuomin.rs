//! Governed 错敏 lists (`reviews/cuomin.yaml`, root-signed): leaders with
//! their exact titles, renamed organisations with the date of the change,
//! standard expressions and confusion pairs — each with a severity and a
//! source quoted in the message.

use crate::common::TestSite;
use crate::office::{docx, para};

const LISTS: &str = "\
leaders:
  - { name: 李鸣, title: 区长, severity: hold, source: 区人大常委会任免通知 }
  - { name: 王丽华, title: 副区长, severity: hold, source: 区人大常委会任免通知 }
renamed:
  - { old: 区农业局, new: 区农业农村局, since: 2019-03-01, severity: hold, source: 区机构改革方案 }
expressions:
  - { wrong: 台湾总统, right: 台湾地区领导人, severity: hold, source: 新华社禁用词 }
confusions:
  - { wrong: 部暑, right: 部署, severity: warn, source: 常见错别字 }
allowed: [区长李鸿章]
";

fn site() -> TestSite {
    let s = TestSite::new();
    s.write("reviews/cuomin.yaml", LISTS);
    s.sign_governance();
    s
}

/// The build's output for the article `news/a.md` with `body`, dated
/// 2026-11-10, asserting it was held.
fn held_article(s: &TestSite, body: &str) -> String {
    s.article("news/a.md", "会议", "2026-11-10", "", body);
    held(s, "a")
}

/// The build's output, asserting `news/<slug>.md` was held.
fn held(s: &TestSite, slug: &str) -> String {
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains(&format!("content/news/{slug}.md《")),
        "not held:\n{}",
        r.all()
    );
    assert!(!s.exists(&format!("news/{slug}/index.html")), "{}", r.all());
    r.all()
}

#[test]
fn a_leader_with_another_title_holds() {
    let s = site();
    let out = held_article(&s, "会议由副区长李鸣主持。");
    assert!(
        out.contains("[typo] 第 15 行：content/news/a.md:15:4 「副区长李鸣」职务有误：李鸣 的职务是「区长」，不是「副区长」（领导职务，来源：区人大常委会任免通知；见 reviews/cuomin.yaml）"),
        "{out}"
    );
}

#[test]
fn a_title_with_a_look_alike_name_holds() {
    let s = site();
    let out = held_article(
        &s,
        "区长李明出席会议，副区长王丽华主持。区长李鸿章是历史人物。",
    );
    assert!(
        out.contains("「区长李明」中的姓名「李明」应为「李鸣」（区长：李鸣，形近字或音近字；来源：区人大常委会任免通知"),
        "{out}"
    );
    assert!(!out.contains("王丽华」职务有误"), "{out}");
    assert!(!out.contains("李鸿"), "{out}");
}

#[test]
fn an_old_organisation_name_after_the_change_holds() {
    let s = site();
    s.article(
        "news/new.md",
        "新闻",
        "2026-11-10",
        "",
        "区农业局组织秋收。",
    );
    s.article(
        "news/old.md",
        "旧闻",
        "2018-10-10",
        "",
        "区农业局组织秋收。",
    );
    let out = held(&s, "new");
    assert!(
        out.contains(
            "「区农业局」已于 2019-03-01 更名为「区农业农村局」，本文日期 2026-11-10 在更名之后"
        ),
        "{out}"
    );
    assert!(out.contains("来源：区机构改革方案"), "{out}");
    assert!(s.exists("news/old/index.html"), "{out}");
}

#[test]
fn expressions_hold_and_confusions_warn_with_their_source() {
    let s = site();
    s.article("news/a.md", "表述", "2026-11-10", "", "不得称台湾总统。");
    s.article(
        "news/b.md",
        "错字",
        "2026-11-10",
        "",
        "会议部暑了四季度工作。",
    );
    let out = held(&s, "a");
    assert!(
        out.contains("「台湾总统」应为「台湾地区领导人」（规范表述；来源：新华社禁用词；见 reviews/cuomin.yaml，typo）"),
        "{out}"
    );
    assert!(s.exists("news/b/index.html"), "{out}");
    assert!(
        out.contains(
            "「部暑」应为「部署」（形近字/音近字；来源：常见错别字；见 reviews/cuomin.yaml，typo）"
        ),
        "{out}"
    );
}

#[test]
fn lists_reach_inside_attachments() {
    let s = site();
    s.write_bytes(
        "content/news/files/纪要.docx",
        &docx(&para("会议由副区长李鸣主持。"), &[]),
    );
    let out = held_article(&s, "附件：[会议纪要](files/纪要.docx)");
    assert!(
        out.contains("附件 content/news/files/纪要.docx（正文第 1 段）：「副区长李鸣」职务有误"),
        "{out}"
    );
}

#[test]
fn the_old_words_list_keeps_working_beside_the_new_lists() {
    let s = site();
    s.write(
        "reviews/words.yaml",
        "corrections:\n  - { wrong: 既往开来, right: 继往开来, severity: hold, source: 常见错别字表 }\n  - { wrong: 帐号, right: 账号, severity: warn }\n",
    );
    s.sign_governance();
    let out = held_article(&s, "既往开来，请登录帐号。");
    assert!(
        out.contains("「既往开来」应为「继往开来」（严重错别字；来源：常见错别字表，typo）"),
        "{out}"
    );
    assert!(
        out.contains("「帐号」应为「账号」（错别字，typo）"),
        "{out}"
    );
}

#[test]
fn bad_lists_stop_the_build_naming_file_and_line() {
    for (text, line, what) in [
        (
            "leaders:\n  - { name: 李鸣, title: 区长 }\n",
            2,
            "缺少来源 source",
        ),
        (
            "renamed:\n  - { old: 区农业局, new: 区农业农村局, since: 2019年3月, source: x }\n",
            2,
            "不是日期",
        ),
        (
            "confusions:\n  - { wrong: 部暑, right: 部署, severity: later, source: x }\n",
            2,
            "severity「later」无效",
        ),
    ] {
        let s = TestSite::new();
        s.write("reviews/cuomin.yaml", text);
        s.sign_governance();
        let r = s.build(&[]);
        assert_ne!(r.code, 0, "{}", r.all());
        assert!(
            r.all().contains(&format!("reviews/cuomin.yaml:{line}")) && r.all().contains(what),
            "{}",
            r.all()
        );
    }
    // A duplicate across the two files is named in words.yaml.
    let s = site();
    s.write(
        "reviews/words.yaml",
        "corrections:\n  - { wrong: 部暑, right: 部署 }\n",
    );
    s.sign_governance();
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("reviews/words.yaml:2"), "{}", r.all());
    assert!(
        r.all().contains("已列在 reviews/cuomin.yaml 中"),
        "{}",
        r.all()
    );
}

#[test]
fn lists_are_part_of_the_root_signed_frame() {
    let s = site();
    s.write_unsigned("reviews/cuomin.yaml", format!("{LISTS}# 改动\n").as_bytes());
    s.article("news/a.md", "会议", "2026-11-10", "", "正文。");
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("reviews/cuomin.yaml"), "{}", r.all());
}
