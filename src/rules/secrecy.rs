//! Classification markings (R8, 涉密不上网、上网不涉密): a level word
//! followed by ★ (「机密★1年」「秘密★」「绝密★启用前」), 「密级：机密」,
//! and fixed phrases such as 内部资料 and 不得外传. The level words alone
//! (「保守国家秘密」「机密性」) and 涉密 in prose (「涉密信息不上网」) are
//! normal official language and do not hold.

use crate::gate::Code;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{Finding, Region, Severity};

/// The levels of GB/T 7156 / the 保密法.
const LEVELS: &[&str] = &["绝密", "机密", "秘密"];
/// Phrases printed on internal documents.
pub const PHRASES: &[&str] = &[
    "内部资料",
    "内部文件",
    "内部参考",
    "内部使用",
    "注意保密",
    "不得外传",
    "严禁外传",
];
/// Normal phrases that contain a marking phrase: 内部资料性出版物 is a
/// kind of publication (《内部资料性出版物管理办法》).
const ALLOWED: &[&str] = &["内部资料性"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    Level,
    Grade,
    Phrase,
    Allowed,
}

/// The secrecy matcher: one automaton, built once per build.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    kinds: Vec<Pattern>,
}

impl Matcher {
    /// Built-in markings plus `extra` phrases, except `allowed` phrases.
    pub fn new(extra: &[String], allowed: &[String]) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        let mut kinds = Vec::new();
        let mut add = |p: &str, k: Pattern| {
            if !p.is_empty() && !patterns.iter().any(|q| q == p) {
                patterns.push(p.to_string());
                kinds.push(k);
            }
        };
        ALLOWED
            .iter()
            .copied()
            .chain(allowed.iter().map(String::as_str))
            .for_each(|p| add(p, Pattern::Allowed));
        LEVELS.iter().for_each(|p| add(p, Pattern::Level));
        add("密级", Pattern::Grade);
        PHRASES
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str))
            .for_each(|p| add(p, Pattern::Phrase));
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Matcher { ac, kinds }
    }

    /// Markings in `text`: (byte offset, the marking as written).
    pub fn find(&self, text: &str) -> Vec<(usize, String)> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for m in ac.find_iter(text) {
            let kind = self.kinds.get(m.pattern().as_usize()).copied();
            let end = match kind {
                Some(Pattern::Phrase) => Some(m.end()),
                Some(Pattern::Level) => starred(text, m.end()),
                Some(Pattern::Grade) => graded(text, m.end()),
                _ => None,
            };
            if let Some(end) = end {
                out.push((m.start(), text[m.start()..end].trim_end().to_string()));
            }
        }
        out
    }

    /// Findings for a region.
    pub fn scan(&self, r: &Region, out: &mut Vec<Finding>) {
        for (offset, marking) in self.find(r.text) {
            out.push(r.finding(
                offset,
                Code::Secrecy,
                Severity::Hold,
                format!("发现密级或内部标志「{marking}」（classification marking）：涉密不上网、上网不涉密"),
                "请撤下涉密或内部内容，按保密审查程序处理；若只是在正文中提及（如引用文件名），请改写措辞，去掉标志，改后重新送审",
            ));
        }
    }
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if !matches!(c, ' ' | '\t' | '\u{3000}') {
            break;
        }
        at += c.len_utf8();
    }
    at
}

/// A secrecy period after the star: 「1年」「6个月」「长期」「启用前」.
fn period(text: &str, at: usize) -> Option<usize> {
    let at = skip_spaces(text, at);
    let rest = &text[at..];
    for fixed in ["长期", "启用前", "公布前"] {
        if rest.starts_with(fixed) {
            return Some(at + fixed.len());
        }
    }
    let num = rest
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit()
                || ('０'..='９').contains(c)
                || "一二三四五六七八九十".contains(*c))
        })
        .map_or(rest.len(), |(i, _)| i);
    if num == 0 {
        return None;
    }
    ["个月", "年", "月", "天", "日"]
        .iter()
        .find(|u| rest[num..].starts_with(*u))
        .map(|u| at + num + u.len())
}

/// End of 「机密★1年」 when a star follows the level word at `at`.
fn starred(text: &str, at: usize) -> Option<usize> {
    let at = skip_spaces(text, at);
    let rest = &text[at..];
    let c = rest.chars().next()?;
    if matches!(c, '★' | '☆') {
        let after = at + c.len_utf8();
        return Some(period(text, after).unwrap_or(after));
    }
    // `*` is also Markdown emphasis (「**国家秘密**」): it is a star only
    // when a period follows (「机密*1年」).
    let star = rest.strip_prefix('\\').unwrap_or(rest);
    let skipped = rest.len() - star.len();
    let c = star.chars().next()?;
    if matches!(c, '*' | '＊') && !star[c.len_utf8()..].starts_with(['*', '＊']) {
        return period(text, at + skipped + c.len_utf8());
    }
    None
}

/// End of 「密级：机密」.
fn graded(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let colon = rest.chars().next().filter(|c| matches!(c, ':' | '：'))?;
    let at = skip_spaces(text, at + colon.len_utf8());
    LEVELS
        .iter()
        .find(|l| text[at..].starts_with(*l))
        .map(|l| at + l.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        Matcher::new(&[], &[])
            .find(text)
            .into_iter()
            .map(|(_, m)| m)
            .collect()
    }

    #[test]
    fn markings_hold() {
        assert_eq!(found("机密★1年"), vec!["机密★1年"]);
        assert_eq!(found("本件 秘密★ 请妥善保管"), vec!["秘密★"]);
        assert_eq!(found("绝密★启用前"), vec!["绝密★启用前"]);
        assert_eq!(found("机密 ☆ 10年"), vec!["机密 ☆ 10年"]);
        assert_eq!(found("秘密*6个月"), vec!["秘密*6个月"]);
        assert_eq!(found("秘密\\*6个月"), vec!["秘密\\*6个月"]);
        assert_eq!(found("密级：机密"), vec!["密级：机密"]);
        assert_eq!(found("内部资料　注意保存"), vec!["内部资料"]);
        assert_eq!(found("此件不得外传"), vec!["不得外传"]);
        assert_eq!(found("仅供内部使用"), vec!["内部使用"]);
        assert_eq!(found("请注意保密"), vec!["注意保密"]);
    }

    #[test]
    fn normal_prose_does_not_hold() {
        for text in [
            "做好保密工作，保守国家秘密",
            "严守党和国家秘密",
            "加强数据机密性保护",
            "涉密不上网、上网不涉密",
            "严禁上传涉密信息，非涉密计算机专机专用",
            "严禁泄露**国家秘密**和工作秘密",
            "*机密*性与完整性",
            "依法确定密级和保密期限",
            "《内部资料性出版物管理办法》",
            "绝密文件不得上网",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn extra_and_allowed_phrases() {
        let m = Matcher::new(&["内部明电".into()], &["不得外传播".into()]);
        let got: Vec<String> = m
            .find("内部明电；谣言不得外传播")
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(got, vec!["内部明电"]);
    }
}
