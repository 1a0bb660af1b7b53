//! Personal data (R9): 居民身份证号码 (GB 11643-1999 check digit and a
//! plausible birth date), mobile numbers and bank card numbers (Luhn).
//! Digit runs are read by hand; whatever is reported is masked.

use std::ops::Range;

use crate::gate::yaml::{self, Value};
use crate::gate::Code;

use super::{Finding, Region, Severity};

/// What kind of personal number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    IdNumber,
    Mobile,
    BankCard,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::IdNumber => "居民身份证号码",
            Kind::Mobile => "手机号码",
            Kind::BankCard => "银行卡号",
        }
    }
}

/// A personal number in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte range in the text.
    pub range: Range<usize>,
    pub kind: Kind,
    /// The number masked: `3401**********123X`, `138****5678`,
    /// `6222 **** **** 1234`.
    pub masked: String,
}

/// A digit (ASCII or full-width) as its value.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// A run of digits; `10` stands for a final check character X.
struct Run {
    range: Range<usize>,
    digits: Vec<u8>,
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let Some(d) = digit(c) else { continue };
        let mut digits = vec![d];
        let mut end = i + c.len_utf8();
        while let Some(&(j, c)) = it.peek() {
            match digit(c) {
                Some(d) => digits.push(d),
                None if matches!(c, 'X' | 'x' | 'Ｘ') && matches!(digits.len(), 3 | 17) => {
                    digits.push(10);
                    end = j + c.len_utf8();
                    it.next();
                    break;
                }
                None => break,
            }
            end = j + c.len_utf8();
            it.next();
        }
        out.push(Run {
            range: i..end,
            digits,
        });
    }
    out
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";
/// Province codes (first two digits) of GB/T 2260.
const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

fn number(d: &[u8]) -> u32 {
    d.iter().fold(0, |n, &x| n * 10 + u32::from(x))
}

/// The GB 11643-1999 check character of the first 17 digits.
pub fn id_check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 || first17.iter().any(|&d| d > 9) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// An 18-character 居民身份证号码: known province, a real birth date
/// between 1900 and 2099, and the right check character.
pub fn id_valid(d: &[u8]) -> bool {
    if d.len() != 18 || !PROVINCES.contains(&(d[0] * 10 + d[1])) {
        return false;
    }
    let (y, m, day) = (number(&d[6..10]), number(&d[10..12]), number(&d[12..14]));
    let date_ok =
        (1900..=2099).contains(&y) && chrono::NaiveDate::from_ymd_opt(y as i32, m, day).is_some();
    date_ok && id_check_char(&d[..17]) == Some(ch(d[17]))
}

/// The Luhn check (ISO/IEC 7812) over all digits.
pub fn luhn(d: &[u8]) -> bool {
    if d.is_empty() || d.iter().any(|&x| x > 9) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            match (i % 2 == 1, x * 2) {
                (true, v) if v > 9 => v - 9,
                (true, v) => v,
                (false, _) => x,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn ch(d: u8) -> char {
    if d == 10 {
        'X'
    } else {
        (b'0' + d) as char
    }
}

/// The masked form of a number of `kind`.
pub fn mask(kind: Kind, d: &[u8]) -> String {
    let s: String = d.iter().map(|&x| ch(x)).collect();
    let (head, tail) = match kind {
        Kind::IdNumber => (4, 4),
        Kind::Mobile => (3, 4),
        Kind::BankCard => (4, 4),
    };
    if s.len() < head + tail {
        return "*".repeat(s.len());
    }
    let (h, t) = (&s[..head], &s[s.len() - tail..]);
    match kind {
        Kind::IdNumber => format!("{h}{}{t}", "*".repeat(s.len() - head - tail)),
        Kind::Mobile => format!("{h}****{t}"),
        Kind::BankCard => format!("{h} **** **** {t}"),
    }
}

/// What a digit sequence is, if personal. `next` is the character after it.
fn classify(d: &[u8], next: Option<char>) -> Option<Kind> {
    if d.len() == 18 && id_valid(d) {
        return Some(Kind::IdNumber);
    }
    if d.contains(&10) {
        return None;
    }
    let amount = next.is_some_and(|c| "元万亿".contains(c));
    if d.len() == 11 && d[0] == 1 && d[1] >= 3 && !amount {
        return Some(Kind::Mobile);
    }
    if (16..=19).contains(&d.len()) && (3..=6).contains(&d[0]) && luhn(d) {
        return Some(Kind::BankCard);
    }
    None
}

/// The kind a grouped number must be, from its group lengths:
/// `138 0013 8000`, `340104 19900307 123X`, `6222 0212 3456 7890 123`.
fn grouped_kind(lens: &[usize]) -> Option<Kind> {
    let total: usize = lens.iter().sum();
    match lens {
        [3, 4, 4] => Some(Kind::Mobile),
        [6, 8, 4] => Some(Kind::IdNumber),
        [body @ .., last]
            if body.len() >= 3
                && body.iter().all(|&l| l == 4)
                && (1..=4).contains(last)
                && (16..=19).contains(&total) =>
        {
            Some(Kind::BankCard)
        }
        _ => None,
    }
}

/// Characters that make a digit run part of a code, not a number on its
/// own: letters, digits, `_`, and `*` of a masked number.
fn glued(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '*' | '＊'))
}

/// Every personal number in `text`.
pub fn find(text: &str) -> Vec<Hit> {
    let runs = runs(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        // A chain: runs joined by one space or hyphen (groups), or by `.`
        // or a thousands `,` (then it is a plain quantity).
        let mut j = i;
        let mut quantity = false;
        while j + 1 < runs.len() {
            let gap = &text[runs[j].range.end..runs[j + 1].range.start];
            match gap {
                " " | "-" => {}
                "." => quantity = true,
                "," if runs[j + 1].digits.len() == 3 => quantity = true,
                _ => break,
            }
            j += 1;
        }
        let chain = &runs[i..=j];
        i = j + 1;
        let start = chain[0].range.start;
        let end = chain[chain.len() - 1].range.end;
        let prev = text[..start].chars().next_back();
        let next = text[end..].chars().next();
        if quantity || glued(prev) || glued(next) {
            continue;
        }
        if chain.len() > 1 {
            let lens: Vec<usize> = chain.iter().map(|r| r.digits.len()).collect();
            let all: Vec<u8> = chain.iter().flat_map(|r| r.digits.clone()).collect();
            if let Some(kind) = grouped_kind(&lens).filter(|k| classify(&all, next) == Some(*k)) {
                out.push(Hit {
                    range: start..end,
                    kind,
                    masked: mask(kind, &all),
                });
                continue;
            }
        }
        for r in chain {
            let after = text[r.range.end..].chars().next();
            if let Some(kind) = classify(&r.digits, after) {
                out.push(Hit {
                    range: r.range.clone(),
                    kind,
                    masked: mask(kind, &r.digits),
                });
            }
        }
    }
    out
}

/// `line` with every personal number replaced by its masked form.
pub fn mask_all(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for h in find(line) {
        out.push_str(&line[last..h.range.start]);
        out.push_str(&h.masked);
        last = h.range.end;
    }
    out.push_str(&line[last..]);
    out
}

const HELP: &str = "请删除或改为打码形式（如上）后重新送审；依法公开的惩戒公示、强制性信息披露，在 front matter 写 pii_exemption: 惩戒公示（理由须列入 reviews/rules.yaml 的 pii_exemptions）";

/// Personal numbers of a region (URLs and link targets excepted).
pub fn scan(r: &Region, out: &mut Vec<Finding>) {
    for h in find(r.text) {
        if r.in_url(&h.range) {
            continue;
        }
        out.push(r.finding(
            h.range.start,
            Code::PersonalData,
            Severity::Hold,
            format!(
                "发现{} {}（personal data，此处已打码）：政府网站不得公开身份证号、手机号码、银行卡号等个人信息",
                h.kind.label(),
                h.masked
            ),
            HELP,
        ));
    }
}

/// The `pii_exemption` declared in the signed front matter, if any.
pub fn exemption(front_matter: &str) -> Option<String> {
    if !front_matter.contains("pii_exemption") {
        return None;
    }
    let v: Value = yaml::value(front_matter).ok()?;
    match v.get("pii_exemption")? {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => Some("（不是单个文本值）".to_string()),
    }
}

#[cfg(test)]
#[path = "tests_pii.rs"]
mod tests;
