//! Attachments (PDF, Word, Excel): the link shows type and size, and the
//! content rules read the text inside — hidden sheets, rows and columns,
//! comments, tracked changes, document properties — holding the article
//! with the attachment and the place named, personal data masked.

use crate::common::TestSite;
use crate::office::{core_props, docx, para, pdf, row, xlsx, SheetSpec};

use proptest::prelude::*;
use sanshen::attach::{self, Limits};

// Fictional numbers with valid check characters (GB 11643).
const ID: &str = "11010519491231002X";
const ID_MASKED: &str = "1101**********002X";
const PHONE: &str = "13912345678";
const PHONE_MASKED: &str = "139****5678";

/// A site with the attachment `files/<name>` under `news/`, linked from a
/// signed article `news/a.md`.
fn site_with(name: &str, bytes: &[u8]) -> TestSite {
    let s = TestSite::new();
    s.write_bytes(&format!("content/news/files/{name}"), bytes);
    s.article(
        "news/a.md",
        "关于公布名单的通知",
        "2026-11-10",
        "",
        &format!("现将有关名单公布如下。\n\n附件：[名单](files/{name})"),
    );
    s
}

/// The build's output about `content/news/a.md`, asserting it was held.
fn held(s: &TestSite) -> String {
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("content/news/a.md《关于公布名单的通知》"),
        "not held:\n{}",
        r.all()
    );
    assert!(!s.exists("news/a/index.html"), "published:\n{}", r.all());
    r.all()
}

fn assert_never_unmasked(out: &str) {
    for full in [ID, PHONE] {
        assert!(!out.contains(full), "{full} printed:\n{out}");
    }
}

#[test]
fn links_to_attachments_show_type_and_size() {
    let s = TestSite::new();
    let report = pdf(&["Notice of the district office"], None);
    let table = xlsx(&[SheetSpec {
        name: "汇总",
        state: "visible",
        xml: format!(
            "<sheetData>{}</sheetData>",
            row(1, false, &[("A1", "项目")])
        ),
        comments: None,
    }]);
    s.write_bytes("content/news/files/report.pdf", &report);
    s.write_bytes("content/news/files/table.xlsx", &table);
    s.article(
        "news/a.md",
        "附件展示",
        "2026-11-10",
        "",
        "附件：[报告](files/report.pdf)，[汇总表](files/table.xlsx)。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let html = s.read("news/a/index.html");
    let pdf_size = attach::human_size(report.len() as u64);
    assert!(
        html.contains(&format!(
            "报告<span class=\"file-note\">（PDF，{pdf_size}）</span></a>"
        )),
        "{html}"
    );
    assert!(
        html.contains("汇总表<span class=\"file-note\">（Excel，"),
        "{html}"
    );
}

#[test]
fn id_number_in_a_hidden_column_holds_and_names_the_cell() {
    // The 铜陵 2017 case: full ID numbers in a hidden column.
    let sheet = format!(
        "<cols><col min=\"3\" max=\"3\" width=\"0\" hidden=\"1\"/></cols><sheetData>{}{}</sheetData>",
        row(1, false, &[("A1", "姓名"), ("B1", "补助金额"), ("C1", "身份证号")]),
        row(2, false, &[("A2", "张某"), ("B2", "1200"), ("C2", ID)]),
    );
    let s = site_with(
        "名单.xlsx",
        &xlsx(&[SheetSpec {
            name: "名单",
            state: "visible",
            xml: sheet,
            comments: None,
        }]),
    );
    let out = held(&s);
    assert!(
        out.contains(&format!(
            "附件 content/news/files/名单.xlsx（工作表「名单」单元格 C2（隐藏列））：发现居民身份证号码 {ID_MASKED}"
        )),
        "{out}"
    );
    assert!(out.contains("[personal-data]"), "{out}");
    assert_never_unmasked(&out);
}

#[test]
fn hidden_sheets_rows_and_comments_are_read() {
    let visible = format!(
        "<sheetData>{}{}</sheetData>",
        row(1, false, &[("A1", "项目")]),
        row(2, true, &[("A2", &format!("联系人电话 {PHONE}"))]),
    );
    let secret = format!(
        "<sheetData>{}</sheetData>",
        row(1, false, &[("B3", "机密★1年")])
    );
    let comment = format!(
        "<authors><author>李四</author></authors><commentList><comment ref=\"D4\" authorId=\"0\"><text><r><t>核对人身份证 {ID}</t></r></text></comment></commentList>"
    );
    let s = site_with(
        "汇总.xlsx",
        &xlsx(&[
            SheetSpec {
                name: "汇总",
                state: "visible",
                xml: visible,
                comments: Some(comment),
            },
            SheetSpec {
                name: "底稿",
                state: "veryHidden",
                xml: secret,
                comments: None,
            },
        ]),
    );
    let out = held(&s);
    for want in [
        format!("（工作表「汇总」单元格 A2（隐藏行））：发现手机号码 {PHONE_MASKED}"),
        format!("（工作表「汇总」单元格 D4 的批注）：发现居民身份证号码 {ID_MASKED}"),
        "（工作表「底稿」（深度隐藏）单元格 B3）：".to_string(),
        "附件 content/news/files/汇总.xlsx 的文档属性 批注作者 为「李四」".to_string(),
    ] {
        assert!(out.contains(&want), "missing {want}:\n{out}");
    }
    assert!(out.contains("[secrecy]"), "{out}");
    assert_never_unmasked(&out);
}

#[test]
fn tracked_deletion_and_properties_of_a_word_file() {
    let body = format!(
        "{}<w:p><w:r><w:t>请按时报送。</w:t></w:r><w:del w:id=\"1\" w:author=\"王五\"><w:r><w:delText>联系电话{PHONE}</w:delText></w:r></w:del></w:p>",
        para("关于报送材料的通知")
    );
    let s = site_with(
        "通知.docx",
        &docx(&body, &[("docProps/core.xml", core_props("张三"))]),
    );
    let out = held(&s);
    assert!(
        out.contains(&format!(
            "附件 content/news/files/通知.docx（正文第 2 段的修订删除文字（未接受的修订，打开文件仍可看到））：发现手机号码 {PHONE_MASKED}"
        )),
        "{out}"
    );
    for who in [
        "文档属性 作者（creator） 为「张三」",
        "文档属性 修订者 为「王五」",
    ] {
        assert!(out.contains(who), "missing {who}:\n{out}");
    }
    assert_never_unmasked(&out);
}

#[test]
fn a_clean_word_file_publishes_and_warns_about_its_author() {
    let s = site_with(
        "通知.docx",
        &docx(
            &para("各单位：请于本月底前报送材料。"),
            &[(
                "docProps/app.xml",
                "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Company>DESKTOP-7QK2M</Company></Properties>".to_string(),
            )],
        ),
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/a/index.html"), "{}", r.all());
    assert!(
        r.all().contains(
            "附件 content/news/files/通知.docx 的文档属性 单位（Company） 为「DESKTOP-7QK2M」"
        ),
        "{}",
        r.all()
    );
}

#[test]
fn text_of_a_pdf_page_is_checked() {
    let s = site_with(
        "公示.pdf",
        &pdf(&["Notice", &format!("Contact: {PHONE}")], Some("Zhang San")),
    );
    let out = held(&s);
    assert!(
        out.contains(&format!(
            "附件 content/news/files/公示.pdf（第 2 页）：发现手机号码 {PHONE_MASKED}"
        )),
        "{out}"
    );
    assert!(out.contains("作者（Author） 为「Zhang San」"), "{out}");
    assert_never_unmasked(&out);
}

#[test]
fn attachments_linked_from_raw_html_or_site_paths_are_read_too() {
    let s = TestSite::new();
    s.write_bytes(
        "content/news/files/公示.pdf",
        &pdf(&[&format!("Contact: {PHONE}")], None),
    );
    s.article(
        "news/a.md",
        "关于公布名单的通知",
        "2026-11-10",
        "",
        "现将有关名单公布如下。\n\n<p>附件：<a href=\"/news/files/公示.pdf\">公示</a></p>",
    );
    let out = held(&s);
    assert!(
        out.contains(&format!(
            "附件 content/news/files/公示.pdf（第 1 页）：发现手机号码 {PHONE_MASKED}"
        )),
        "{out}"
    );
}

#[test]
fn unreadable_and_legacy_attachments_hold() {
    let s = site_with("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy");
    let out = held(&s);
    assert!(
        out.contains("[asset]")
            && out.contains("附件 content/news/files/名单.xls 无法检查：是旧版 Excel 二进制格式"),
        "{out}"
    );
    assert!(out.contains("请另存为 .xlsx 或 PDF"), "{out}");

    let s = site_with("通知.docx", b"PK\x03\x04 not really a zip");
    let out = held(&s);
    assert!(
        out.contains("附件 content/news/files/通知.docx 无法检查：不是有效的 Office 文件"),
        "{out}"
    );
    let s = site_with("公示.pdf", b"%PDF-1.5\n garbage");
    let out = held(&s);
    assert!(
        out.contains("附件 content/news/files/公示.pdf 无法检查："),
        "{out}"
    );
}

#[test]
fn signing_does_not_promise_publication_with_an_unreadable_attachment() {
    let s = TestSite::new();
    s.write_bytes("content/news/files/名单.xls", b"\xd0\xcf\x11\xe0 legacy");
    let text = TestSite::article_text(
        "A",
        "关于公布名单的通知",
        "2026-11-10",
        "",
        "附件：[名单](files/名单.xls)",
    );
    s.write("content/news/a.md", &text);
    let key = s.key_file("editor");
    let r = s.run(&["sign", "content/news/a.md", "--key", &key, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("名单.xls 无法检查"), "{}", r.all());
    assert!(!r.all().contains("下次构建时将发布"), "{}", r.all());
}

#[test]
fn an_entry_inflating_past_the_limit_is_refused() {
    let big = docx(&para(&"很长的文字".repeat(20_000)), &[]);
    let limits = Limits {
        entry: 64 << 10,
        ..Limits::default()
    };
    let e = attach::read("a.docx", &big, &limits).unwrap_err();
    assert!(
        e.contains("word/document.xml 解压后超过 64 KB（可能是压缩炸弹）"),
        "{e}"
    );
    let ok = attach::read("a.docx", &big, &Limits::default()).unwrap();
    assert!(ok.is_some());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random bytes, and valid files with bytes flipped, never panic:
    /// every reader answers with text or a reason.
    #[test]
    fn readers_never_panic(
        noise in proptest::collection::vec(any::<u8>(), 0..2048),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..16),
    ) {
        let limits = Limits { entry: 1 << 20, total: 4 << 20, ..Limits::default() };
        for name in ["a.pdf", "a.docx", "a.xlsx", "a.pptx"] {
            let _ = attach::read(name, &noise, &limits);
        }
        let valid = [
            ("a.docx", docx(&para("正文"), &[("docProps/core.xml", core_props("张三"))])),
            ("a.xlsx", xlsx(&[SheetSpec { name: "表", state: "hidden", xml: format!("<sheetData>{}</sheetData>", row(1, true, &[("A1", "值")])), comments: None }])),
            ("a.pdf", pdf(&["Page"], Some("A"))),
        ];
        for (name, mut bytes) in valid {
            for (at, b) in &flips {
                let n = bytes.len();
                bytes[at % n] ^= b;
            }
            let _ = attach::read(name, &bytes, &limits);
        }
    }
}
