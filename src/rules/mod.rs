//! Content rules that hold an article even when it is fully signed
//! ("reviewers are people, the build is the last line"). Pure: no I/O.
//!
//! * [`secrecy`] — classification markings (R8): 机密★1年, 内部资料 …
//! * [`pii`] — ID, mobile and bank card numbers (R9), masked in messages.
//! * [`words`] — forbidden words and hosts, serious typos (R14, R15).
//! * [`alt`] — images without alternative text (R19).
//! * [`body`] — the one Markdown pass the checks share; [`config`] — reading
//!   `reviews/rules.yaml` and `reviews/words.yaml`.

pub mod alt;
pub mod body;
pub mod config;
pub mod pii;
pub mod secrecy;
pub mod words;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::content::Article;
use crate::diag::{line_of_offset, Diagnostic};
use crate::gate::Code;
use crate::gate::{GateError, Reason};

pub use config::{RULES_FILE, WORDS_FILE};

/// Whether a finding holds the article or only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Hold,
    Warn,
}

/// One problem found in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `secrecy`, `personal-data`, `forbidden-word`, `forbidden-host`,
    /// `typo` or `alt-text`.
    pub word: Code,
    pub severity: Severity,
    /// 1-based line and column (in characters) in the article file.
    pub line: usize,
    pub column: usize,
    /// What was found, in Chinese. Never shows personal data unmasked.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The offending line, personal data masked.
    pub snippet: Option<String>,
}

impl Finding {
    /// `content/news/a.md:12:8`
    pub fn location(&self, file: &str) -> String {
        format!("{file}:{}:{}", self.line, self.column)
    }

    /// The finding as a gate reason (for held articles).
    pub fn reason(&self, file: &str) -> Reason {
        Reason {
            word: self.word,
            message: format!("{} {}。{}", self.location(file), self.message, self.help),
            line: Some(self.line),
        }
    }

    /// The finding as a build warning.
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        let mut d = Diagnostic::new(file, self.message.clone())
            .at_line(self.line)
            .at_column(self.column)
            .help(self.help.clone());
        d.snippet = self.snippet.clone();
        d
    }
}

/// The parsed rules: built-in secrecy, PII and alt-text checks, the PII
/// exemptions allowed by `reviews/rules.yaml`, and the word lists of
/// `reviews/words.yaml`. Built once per build and shared between threads.
#[derive(Debug, Clone)]
pub struct Rules {
    /// `pii_exemption:` reasons an article may declare (惩戒公示 …).
    pub pii_exemptions: Vec<String>,
    pub secrecy: secrecy::Matcher,
    pub words: words::Words,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            pii_exemptions: Vec::new(),
            secrecy: secrecy::Matcher::new(&[], &[]),
            words: words::Words::default(),
        }
    }
}

impl Rules {
    /// Parse `rules.yaml` and `words.yaml` from the files under `reviews/`
    /// (by name relative to it). Both are optional.
    pub fn parse(files: &BTreeMap<String, Vec<u8>>) -> Result<Rules, GateError> {
        config::parse(files)
    }
}

/// A piece of the article that is searched: the front matter, the title
/// (when it is not written verbatim in the front matter) or the body.
pub struct Region<'a> {
    pub text: &'a str,
    /// File line of the text's first line.
    pub first_line: usize,
    /// Every finding is reported at this line and column 1 (the title when
    /// it had to be read from its parsed value).
    pub fixed_line: Option<usize>,
    /// Byte ranges that are URLs or link targets: never personal data.
    pub urls: Vec<Range<usize>>,
    /// Link targets of the body (destination, byte offset).
    pub links: Vec<(String, usize)>,
}

impl<'a> Region<'a> {
    /// A plain text region; its `scheme://…` URLs are found here.
    pub fn new(text: &'a str, first_line: usize) -> Region<'a> {
        Region {
            text,
            first_line,
            fixed_line: None,
            urls: body::url_spans(text),
            links: Vec::new(),
        }
    }

    /// File line and 1-based column of byte `offset`.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        if let Some(line) = self.fixed_line {
            return (line, 1);
        }
        let offset = floor_boundary(self.text, offset);
        let line = line_of_offset(self.text, offset);
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[start..offset].chars().count() + 1;
        (self.first_line + line - 1, column)
    }

    /// The text of the line holding byte `offset`, personal data masked.
    pub fn snippet(&self, offset: usize) -> String {
        let offset = floor_boundary(self.text, offset);
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        pii::mask_all(&self.text[start..end])
    }

    /// Whether the byte range overlaps a URL or link target.
    pub fn in_url(&self, range: &Range<usize>) -> bool {
        self.urls
            .iter()
            .any(|u| u.start < range.end && range.start < u.end)
    }

    /// A finding at byte `offset` of this region.
    pub fn finding(
        &self,
        offset: usize,
        word: Code,
        severity: Severity,
        message: String,
        help: impl Into<String>,
    ) -> Finding {
        let (line, column) = self.locate(offset);
        Finding {
            word,
            severity,
            line,
            column,
            message,
            help: help.into(),
            snippet: Some(self.snippet(offset)),
        }
    }
}

/// The largest char boundary of `text` at or below `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// Check one article against the rules. Findings are sorted by position.
pub fn check(rules: &Rules, a: &Article) -> Vec<Finding> {
    let doc = &a.doc;
    let scanned = body::scan(&doc.body);
    let mut regions = vec![Region::new(&doc.front_matter, doc.front_matter_line)];
    if !doc.front_matter.contains(a.title.as_str()) {
        let line = crate::diag::find_line(&doc.front_matter, "title:")
            .map_or(doc.front_matter_line, |l| l + doc.front_matter_line - 1);
        let mut title = Region::new(&a.title, line);
        title.fixed_line = Some(line);
        regions.push(title);
    }
    let mut body_region = Region::new(&doc.body, doc.body_line);
    body_region.urls.extend(scanned.urls.iter().cloned());
    body_region.links = scanned.links.clone();
    regions.push(body_region);

    let mut out = Vec::new();
    let mut personal = Vec::new();
    for r in &regions {
        rules.secrecy.scan(r, &mut out);
        pii::scan(r, &mut personal);
        rules.words.scan(r, &mut out);
    }
    if let Some(body_region) = regions.last() {
        alt::check(&scanned, body_region, &mut out);
    }
    if !personal.is_empty() {
        match pii::exemption(&doc.front_matter) {
            Some(reason) if rules.pii_exemptions.contains(&reason) => {
                personal.clear();
            }
            Some(reason) => {
                for f in &mut personal {
                    f.help = format!(
                        "文章声明的 pii_exemption「{reason}」不在 reviews/rules.yaml 的 pii_exemptions 允许清单中，不能豁免；{}",
                        f.help
                    );
                }
            }
            None => {}
        }
        out.append(&mut personal);
    }
    out.sort_by_key(|x| (x.line, x.column, x.word.word()));
    out.dedup_by(|x, y| x.line == y.line && x.word == y.word && x.message == y.message);
    out
}

#[cfg(test)]
mod tests;
