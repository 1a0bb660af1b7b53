//! `check` over whole articles: lines and columns in the file, the title,
//! exemptions.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::content::Article;
use crate::gate::Code;

fn article(text: &str) -> Article {
    let doc = crate::document::parse(text.as_bytes()).expect("article");
    let title = doc
        .front_matter()
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap_or("标题")
        .trim_matches('"')
        .to_string();
    Article {
        title,
        class: Some("A".into()),
        date: NaiveDate::from_ymd_opt(2026, 11, 20)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date"),
        ..Article::bare("news/a.md", doc)
    }
}

fn rules(rules_yaml: &str, words_yaml: &str) -> Rules {
    let mut files = BTreeMap::new();
    files.insert("rules.yaml".to_string(), rules_yaml.as_bytes().to_vec());
    files.insert("words.yaml".to_string(), words_yaml.as_bytes().to_vec());
    Rules::parse(&files).expect("rules")
}

fn summary(fs: &[Finding]) -> Vec<(Code, usize, usize)> {
    fs.iter().map(|f| (f.word, f.line, f.column)).collect()
}

#[test]
fn positions_are_file_lines_and_columns() {
    let text = "---\ntitle: 关于秘密★的说明\nclass: A\napprovals:\n- reviewer: x\n---\n\n第一段。\n\n联系电话：13912345678，![](a.png)\n";
    let fs = check(&Rules::default(), &article(text));
    assert_eq!(
        summary(&fs),
        vec![
            (Code::Secrecy, 2, 10),
            (Code::PersonalData, 10, 6),
            (Code::AltText, 10, 18)
        ]
    );
    let reason = fs[1].reason("content/news/a.md");
    assert!(reason
        .message
        .starts_with("content/news/a.md:10:6 发现手机号码 139****5678"));
    assert!(!reason.message.contains("13912345678"));
}

#[test]
fn escaped_title_is_searched_at_its_line() {
    let text = "---\nclass: A\ntitle: \"\\u673A\\u5BC6\\u2605\\u0031\\u5E74\"\n---\n正文\n";
    let a = article(text);
    let a = Article {
        title: "机密★1年".into(),
        ..a
    };
    let fs = check(&Rules::default(), &a);
    assert_eq!(summary(&fs), vec![(Code::Secrecy, 3, 1)]);
}

#[test]
fn exemption_needs_the_allowed_list() {
    let text = "---\ntitle: 失信被执行人名单\npii_exemption: 惩戒公示\n---\n身份证号：11010519491231002X\n";
    let a = article(text);
    assert_eq!(check(&Rules::default(), &a).len(), 1);
    let fs = check(&rules("pii_exemptions: [强制性信息披露]\n", ""), &a);
    assert_eq!(fs.len(), 1);
    assert!(fs[0].help.contains("「惩戒公示」不在"), "{}", fs[0].help);
    assert!(check(&rules("pii_exemptions: [惩戒公示]\n", ""), &a).is_empty());
    // The exemption covers personal data only.
    let text = "---\ntitle: 名单\npii_exemption: 惩戒公示\n---\n11010519491231002X 内部资料\n";
    let fs = check(&rules("pii_exemptions: [惩戒公示]\n", ""), &article(text));
    assert_eq!(summary(&fs), vec![(Code::Secrecy, 5, 20)]);
}

#[test]
fn words_hosts_and_warnings() {
    let words = "forbidden: [博彩]\nforbidden_hosts: [\"*.ads.example.com\"]\ncorrections:\n  - { wrong: 按步就班, right: 按部就班, severity: warn }\n  - { wrong: 中国共产觉, right: 中国共产党 }\n";
    let text = "---\ntitle: 通知\n---\n坚持中国共产觉的领导，按步就班。\n\n[点此](https://m.ads.example.com/x)\n";
    let fs = check(&rules("", words), &article(text));
    let got: Vec<(Code, Severity, usize)> =
        fs.iter().map(|f| (f.word, f.severity, f.line)).collect();
    assert_eq!(
        got,
        vec![
            (Code::Typo, Severity::Hold, 4),
            (Code::Typo, Severity::Warn, 4),
            (Code::ForbiddenHost, Severity::Hold, 6),
        ]
    );
    let d = fs[1].diagnostic("content/news/a.md");
    assert_eq!(d.location(), "content/news/a.md:4:12");
}

#[test]
fn clean_article_has_no_findings() {
    let text = "---\ntitle: 区政府召开保密工作会议\nsource:\n  name: 中国政府网\n  url: https://www.gov.cn/zhengce/content/202611/t20261120_1234567890123456.htm\n---\n会议要求保守国家秘密，严禁涉密信息上网。咨询电话：0551-63835800。\n\n![会场](images/a.png)\n\n[附件](files/13800138000.pdf)\n";
    let fs = check(&Rules::default(), &article(text));
    assert!(fs.is_empty(), "{fs:?}");
}

#[test]
fn decoded_front_matter_and_body_hold_at_their_lines() {
    let text = "---\ntitle: 通知\nkeywords: [\"\\u5185\\u90E8\\u8D44\\u6599\"]\n---\n第一段。\n\n机<span></span>密★，电话 139\u{200B}1234\u{00AD}5678。\n";
    let fs = check(&Rules::default(), &article(text));
    assert_eq!(
        summary(&fs),
        vec![
            (Code::Secrecy, 3, 1),
            (Code::Secrecy, 7, 1),
            (Code::PersonalData, 7, 21)
        ]
    );
    assert!(fs[2].message.contains("139****5678"), "{}", fs[2].message);
    let snippet = fs[2].snippet.as_deref().unwrap_or_default();
    assert!(!snippet.contains("1234"), "masked: {snippet}");
}

#[test]
fn text_assets_are_relative_text_files() {
    let body = "![图](images/a.svg) [表](../files/b%20c.CSV) [页](/x/d.html) [外](https://e.cn/f.txt) ![](g.png)\n\n<img src=\"h.svg\" alt=\"h\">\n";
    let got: Vec<String> = text_assets("news/a.md", body)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        got,
        vec!["news/images/a.svg", "files/b c.CSV", "news/h.svg"]
    );
    let asset = Asset {
        path: "news/images/a.svg".into(),
        offset: 0,
        text: "<svg>\n<text>机&#23494;★</text></svg>".into(),
        ..Asset::default()
    };
    let fs = check_with_assets(
        &Rules::default(),
        &article(&format!("---\ntitle: 图\n---\n{body}")),
        &[asset],
    );
    let mark: Vec<_> = fs.iter().filter(|f| f.word == Code::Secrecy).collect();
    assert_eq!(mark.len(), 1, "{fs:?}");
    assert_eq!(mark[0].line, 4);
    assert!(
        mark[0]
            .message
            .contains("content/news/images/a.svg 第 2 行"),
        "{}",
        mark[0].message
    );
}

#[test]
fn frame_files_are_checked_decoded() {
    let fs = check_frame(
        &Rules::default(),
        "---\ntitle: 政务动态\ndescription: \"\\u673A\\u5BC6\\u2605\"\n---\n栏目介绍：秘&#23494;★\n",
    );
    assert_eq!(
        summary(&fs),
        vec![(Code::Secrecy, 3, 1), (Code::Secrecy, 5, 6)]
    );
    let fs = check_frame(
        &Rules::default(),
        "name: 区政府\ndescription: 手机 13912345678\n",
    );
    assert_eq!(summary(&fs), vec![(Code::PersonalData, 2, 17)]);
    assert!(check_frame(&Rules::default(), "name: 区政府\nper_page: 15\n").is_empty());
}
