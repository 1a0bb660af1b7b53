//! The output is scanned before anything is written: a private key (in any
//! of its encodings) or a personal number that no published article may
//! show refuses the build, names the file, and writes nothing.

use crate::common::TestSite;

fn refused(s: &TestSite) -> String {
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "the build must stop:\n{}", r.all());
    assert!(!s.out().exists(), "nothing may be written:\n{}", r.all());
    r.stderr
}

#[test]
fn a_base64_private_key_in_the_frame_never_reaches_the_site() {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-10", "", "正文。");
    // Not a PEM block (the input scan looks for those): the base64 of an
    // Ed25519 PKCS#8 key, shown on every page as the site description.
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nper_page: 15\ndescription: \"MC4CAQAwBQYDK2VwBCIEIGx3QWx0ZXJuYXRpdmVLZXlCeXRlc0hlcmU=\"\n",
    );
    let e = refused(&s);
    assert!(e.contains("PKCS#8 私钥（base64）"), "{e}");
    assert!(e.contains("index.html"), "{e}");
}

#[test]
fn a_phone_number_in_a_static_file_refuses_the_build_masked() {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-10", "", "正文。");
    s.write("static/contact.txt", "值班手机：13912345678\n");
    let e = refused(&s);
    assert!(e.contains("contact.txt"), "{e}");
    assert!(e.contains("139****5678"), "{e}");
    assert!(!e.contains("13912345678"), "the message masks it: {e}");
}

#[test]
fn an_exempted_article_may_publish_its_numbers() {
    let s = TestSite::new();
    s.write("reviews/rules.yaml", "pii_exemptions: [惩戒公示]\n");
    s.sign_governance();
    s.article(
        "news/gongshi.md",
        "失信被执行人惩戒公示",
        "2026-11-10",
        "pii_exemption: 惩戒公示\n",
        "被执行人身份证号 11010519491231002X。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s
        .read("news/gongshi/index.html")
        .contains("11010519491231002X"));
}
