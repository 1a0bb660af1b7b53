//! The gate's own reader decides what the build publishes: a quoted gate
//! key in the signed front matter (spec §1) holds the article, naming the
//! line, while the other articles still publish.

use crate::common;

use common::TestSite;

#[test]
fn quoted_gate_key_holds_the_article_and_names_its_line() {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-10", "", "正文。");
    // Line 7 of the file: a quoted `approvals` key among the signed keys.
    s.article(
        "news/quoted.md",
        "引号审核键",
        "2026-11-11",
        "\"approvals\": []\n",
        "正文。",
    );
    let r = s.build(&[]);
    assert!(s.exists("news/ok/index.html"), "{}", r.all());
    assert!(!s.exists("news/quoted/index.html"), "{}", r.all());
    let out = r.all();
    assert!(out.contains("content/news/quoted.md"), "{out}");
    assert!(out.contains("[unreadable]"), "{out}");
    assert!(out.contains("第 7 行"), "{out}");
    assert!(
        out.contains("`approvals` 只能作为审核区写在 front matter 末尾"),
        "{out}"
    );
}
