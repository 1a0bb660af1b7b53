//! `sanshen unsign`: a reviewer takes back their own approval, and only
//! their own.

use crate::common;

use common::TestSite;

const B: &str = "content/news/b.md";

fn site() -> TestSite {
    let s = TestSite::new();
    s.article_signed(
        "news/b.md",
        "B",
        "B类文章",
        "2026-11-11",
        "",
        "重要信息正文。",
        &[],
    );
    s
}

fn text(s: &TestSite) -> String {
    String::from_utf8(s.source(B)).unwrap()
}

#[test]
fn unsign_removes_only_your_own_approval() {
    let s = site();
    let before = text(&s);
    let editor = s.key_file("editor");
    let leader = s.key_file("leader");
    assert_eq!(s.run(&["sign", B, "--key", &editor, "--yes"]).code, 0);
    let editor_only = text(&s);
    assert_eq!(s.run(&["sign", B, "--key", &leader, "--yes"]).code, 0);
    let r = s.run(&["unsign", B, "--key", &leader]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("已撤回签署"), "{}", r.stdout);
    assert!(r.stdout.contains("第2级审核"), "{}", r.stdout);
    assert!(r.stdout.contains("尚缺"), "{}", r.stdout);
    // Back to the bytes before the leader signed.
    assert_eq!(text(&s), editor_only);
    // None left: refused, nothing written.
    let r = s.run(&["unsign", B, "--key", &leader]);
    assert_ne!(r.code, 0);
    assert!(
        r.all().contains("没有李领导用这把密钥签署的审核"),
        "{}",
        r.all()
    );
    assert_eq!(text(&s), editor_only);
    // The editor's own goes too, and the file is as it was.
    assert_eq!(
        s.run(&["unsign", B, "--key", &editor, "--level", "1"]).code,
        0
    );
    assert_eq!(text(&s), before);
}

#[test]
fn a_forged_reviewer_id_is_not_yours_to_remove() {
    let s = site();
    let editor = s.key_file("editor");
    assert_eq!(s.run(&["sign", B, "--key", &editor, "--yes"]).code, 0);
    // Someone writes an approval naming the leader, signed with the
    // editor's key: it is not the leader's, and the leader cannot take
    // the editor's approval either.
    let t = text(&s);
    let forged = t.replacen("- reviewer: \"editor\"", "- reviewer: \"leader\"", 1);
    std::fs::write(s.path().join(B), &forged).unwrap();
    let leader = s.key_file("leader");
    let r = s.run(&["unsign", B, "--key", &leader]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert_eq!(text(&s), forged, "nothing removed");
    // The editor cannot remove an entry that names someone else either.
    let r = s.run(&["unsign", B, "--key", &editor]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert_eq!(text(&s), forged);
}

#[test]
fn unsign_then_sign_again_at_another_level() {
    let s = site();
    let leader = s.key_file("leader");
    let r = s.run(&["sign", B, "--key", &leader, "--level", "1", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = s.run(&["unsign", B, "--key", &leader, "--level", "1"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!text(&s).contains("approvals:"));
    let r = s.run(&["sign", B, "--key", &leader, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(text(&s).contains("- reviewer: \"leader\"\n  level: \"2\"\n"));
    assert_eq!(
        s.run(&["sign", B, "--key", &s.key_file("editor"), "--yes"])
            .code,
        0
    );
    assert_eq!(s.build(&[]).code, 0);
    assert!(s.exists("news/b/index.html"));
}
