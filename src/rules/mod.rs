//! Content rules that hold an article even when it is fully signed
//! ("reviewers are people, the build is the last line"). Pure: no I/O.
//!
//! * [`secrecy`] — classification markings (R8): 机密★1年, 内部资料 …
//! * [`pii`] — ID, mobile and bank card numbers (R9), masked in messages.
//! * [`words`] — forbidden words and hosts, serious typos (R14, R15).
//! * [`alt`] — images without alternative text (R19).
//! * [`html`] — raw HTML outside the allow-list, forbidden URL schemes.
//! * [`decode`] — the text a reader sees (entities, tags, invisible
//!   characters, NFKC), which the checks read besides the source.
//! * [`body`] — the one Markdown pass the checks share; [`config`] — reading
//!   `reviews/rules.yaml` and `reviews/words.yaml`.

pub mod alt;
pub mod body;
pub mod config;
pub mod cuomin;
pub mod decode;
pub mod html;
pub mod pii;
pub mod secrecy;
pub mod words;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::content::Article;
use crate::diag::{line_of_offset, Diagnostic};
use crate::gate::yaml;
use crate::gate::Code;
use crate::gate::{GateError, Reason};
use crate::links;

pub use config::{CUOMIN_FILE, RULES_FILE, WORDS_FILE};

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
    /// The governed 错敏 lists of `reviews/cuomin.yaml` (leaders,
    /// renamed organisations).
    pub cuomin: cuomin::Lists,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            pii_exemptions: Vec::new(),
            secrecy: secrecy::Matcher::new(&[], &[]),
            words: words::Words::default(),
            cuomin: cuomin::Lists::default(),
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
    /// When `text` is decoded: the source text it was decoded from, and
    /// the map back to it (positions and snippets are in the source).
    pub decoded: Option<(&'a str, &'a decode::Decoded)>,
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
            decoded: None,
        }
    }

    /// A decoded text region: searched in `decoded.text`, reported where
    /// it is written in `source` (whose first line is `first_line`).
    pub fn decoded(source: &'a str, decoded: &'a decode::Decoded, first_line: usize) -> Region<'a> {
        Region {
            decoded: Some((source, decoded)),
            ..Region::new(&decoded.text, first_line)
        }
    }

    /// File line and 1-based column of byte `offset`.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        if let Some(line) = self.fixed_line {
            return (line, 1);
        }
        let (text, offset) = match self.decoded {
            Some((source, d)) => (source, d.source(offset)),
            None => (self.text, offset),
        };
        let offset = floor_boundary(text, offset);
        let line = line_of_offset(text, offset);
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let column = text[start..offset].chars().count() + 1;
        (self.first_line + line - 1, column)
    }

    /// The text of the line holding byte `offset`, personal data masked
    /// (for a decoded region, the decoded line: what the reader sees, and
    /// where a split number is whole, so masked).
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

/// A local file an article refers to, read from the content tree: a
/// text-like file (`.svg`, `.html`, `.htm`, `.txt`, `.csv`) or an
/// attachment (PDF, Word, Excel, PowerPoint; [`crate::attach`]). Its text
/// is published with the article and is checked like it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asset {
    /// Path under `content/`.
    pub path: String,
    /// Byte offset in the body of the reference.
    pub offset: usize,
    pub text: String,
    /// For an attachment, where each line of `text` is in the file
    /// (line `i + 1` → `places[i]`: page, sheet and cell, paragraph).
    pub places: Vec<String>,
    /// Document properties of an attachment that name a person or an
    /// office (author, company …): warned.
    pub identities: Vec<crate::attach::Identity>,
    /// Why an attachment could not be read within the limits: the
    /// article is held, never published unscanned.
    pub unreadable: Option<String>,
}

impl Asset {
    /// An attachment's text, one line per line of each part.
    pub fn of_attachment(
        path: String,
        offset: usize,
        read: Result<crate::attach::Extracted, String>,
    ) -> Asset {
        let mut a = Asset {
            path,
            offset,
            ..Asset::default()
        };
        match read {
            Ok(x) => {
                for part in &x.parts {
                    let lines: Vec<&str> =
                        part.text.lines().filter(|l| !l.trim().is_empty()).collect();
                    for (i, line) in lines.iter().enumerate() {
                        a.text.push_str(line);
                        a.text.push('\n');
                        a.places.push(if lines.len() > 1 {
                            format!("{} 第 {} 行", part.place, i + 1)
                        } else {
                            part.place.clone()
                        });
                    }
                }
                a.identities = x.identities;
            }
            Err(why) => a.unreadable = Some(why),
        }
        a
    }
}

/// What the reason of an attachment the rules cannot read says, after
/// its path.
const UNREADABLE: &str = "无法检查：";

/// Whether `r` holds an article for an attachment the content rules
/// could not read (reason word `asset`, like the gate's own asset-list
/// reasons, which signing may fix; this one only a new file fixes).
pub fn is_unreadable_attachment(r: &Reason) -> bool {
    r.word == Code::Asset && r.message.contains(UNREADABLE) && r.message.contains("附件 content/")
}

/// The extensions of text-like [`Asset`]s.
pub const TEXT_ASSETS: &[&str] = &["svg", "html", "htm", "txt", "csv"];

/// The text-like local files and attachments `body` refers to: (path under `content/`,
/// body offset), for an article at `article_path` (relative to
/// `content/`). Only relative references resolve to files of the tree.
pub fn text_assets(article_path: &str, body: &str) -> Vec<(String, usize)> {
    text_assets_of(article_path, &links::Analysis::of(body))
}

/// [`text_assets`] of a body already read by the link model.
pub fn text_assets_of(article_path: &str, analysis: &links::Analysis) -> Vec<(String, usize)> {
    let dir = article_path.rsplit_once('/').map_or("", |(d, _)| d);
    let rendered = &analysis.rendered;
    let mut out: Vec<(String, usize)> = Vec::new();
    for l in analysis.neutral_links() {
        let Some(written) = l.written.as_deref() else {
            continue;
        };
        let path = written.split(['?', '#']).next().unwrap_or("").trim();
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if path.is_empty()
            || path.starts_with('/')
            || path.contains(':')
            || !(ext.is_some_and(|e| TEXT_ASSETS.contains(&e.as_str()))
                || crate::attach::Kind::of(path).is_some())
        {
            continue;
        }
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        if let Some(p) = crate::links::markdown::resolve(dir, &decoded) {
            if !out.iter().any(|(q, _)| *q == p) {
                out.push((p, rendered.body_offset(l.offset)));
            }
        }
    }
    out
}

/// Check one article against the rules. Findings are sorted by position.
pub fn check(rules: &Rules, a: &Article) -> Vec<Finding> {
    check_with_assets(rules, a, &[])
}

/// The string values of a YAML text with the line of their key (1-based
/// in the text; `None` when it is not found).
fn yaml_strings(text: &str) -> Vec<(String, Option<usize>)> {
    fn walk(
        v: &yaml::Value,
        path: &mut Vec<String>,
        lines: &yaml::KeyLines,
        out: &mut Vec<(String, Option<usize>)>,
    ) {
        match v {
            yaml::Value::String(s) => {
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                out.push((s.clone(), lines.line(&p)));
            }
            yaml::Value::Sequence(items) => items.iter().for_each(|i| walk(i, path, lines, out)),
            yaml::Value::Mapping(m) => {
                for (k, v) in m {
                    if let yaml::Value::String(k) = k {
                        out.push((k.clone(), None));
                        path.push(k.clone());
                        walk(v, path, lines, out);
                        path.pop();
                    }
                }
            }
            yaml::Value::Tagged(t) => walk(&t.value, path, lines, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = yaml::value(text) {
        walk(&v, &mut Vec::new(), &yaml::KeyLines::new(text), &mut out);
    }
    out
}

/// [`check`], and the text-like local files the article refers to.
pub fn check_with_assets(rules: &Rules, a: &Article, assets: &[Asset]) -> Vec<Finding> {
    check_analysed(rules, a, &links::Analysis::of(a.doc.body()), assets)
}

/// [`check_with_assets`] of an article whose body the link model already
/// read (`analysis` is of `a.doc.body()`).
pub fn check_analysed(
    rules: &Rules,
    a: &Article,
    analysis: &links::Analysis,
    assets: &[Asset],
) -> Vec<Finding> {
    let doc = &a.doc;
    let rendered = &analysis.rendered;
    let scanned = body::scan_analysed(analysis);
    // What the reader sees: the front matter without invisible characters
    // (exact positions), its values as YAML reads them (escapes), and the
    // body as published (entities, tags, emphasis).
    let fm_plain = decode::plain(doc.front_matter());
    let values: Vec<(decode::Decoded, usize)> = yaml_strings(doc.front_matter())
        .into_iter()
        .filter_map(|(v, line)| {
            let d = decode::plain(&v);
            (!fm_plain.text.contains(&d.text)).then(|| {
                let line = line.map_or(doc.front_matter_line, |l| l + doc.front_matter_line - 1);
                (d, line)
            })
        })
        .collect();
    let body_plain = decode::body(doc.body(), rendered);

    let mut regions = vec![
        Region::new(doc.front_matter(), doc.front_matter_line),
        Region::decoded(doc.front_matter(), &fm_plain, doc.front_matter_line),
    ];
    for (d, line) in &values {
        let mut r = Region::new(&d.text, *line);
        r.fixed_line = Some(*line);
        regions.push(r);
    }
    if !doc.front_matter().contains(a.title.as_str()) {
        let line = crate::diag::find_line(doc.front_matter(), "title:")
            .map_or(doc.front_matter_line, |l| l + doc.front_matter_line - 1);
        let mut title = Region::new(&a.title, line);
        title.fixed_line = Some(line);
        regions.push(title);
    }
    regions.push(Region::decoded(doc.body(), &body_plain, doc.body_line));
    let mut body_region = Region::new(doc.body(), doc.body_line);
    body_region.urls.extend(scanned.urls.iter().cloned());
    body_region.links = scanned.links.clone();

    let mut out = Vec::new();
    let mut personal = Vec::new();
    let date = Some(a.date.date());
    for r in regions.iter().chain([&body_region]) {
        rules.secrecy.scan(r, &mut out);
        pii::scan(r, &mut personal);
        rules.words.scan(r, &mut out);
        rules.cuomin.scan(r, date, &mut out);
    }
    alt::check(&scanned, &body_region, &mut out);
    html::check(analysis, &body_region, &mut out);
    for asset in assets {
        scan_asset(rules, asset, &body_region, date, &mut out, &mut personal);
    }
    if !personal.is_empty() {
        match pii::exemption(doc.front_matter()) {
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

/// The holding findings of a frame file — a column's `_index.md` or
/// `site.yaml` — whose strings appear on every page of a column or of the
/// site: its YAML values (escapes decoded), front matter and Markdown body
/// as read, and as the reader sees them. No exemption applies.
pub fn check_frame(rules: &Rules, text: &str) -> Vec<Finding> {
    // `---` front matter, then a Markdown body; otherwise all YAML.
    let (yaml_part, body) = match text
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---").map(|i| (&rest[..i + 1], 4 + i + 1)))
    {
        Some((fm, end)) => {
            let body_start = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            (fm, Some(body_start))
        }
        None => (text, None),
    };
    let yaml_line = if body.is_some() { 2 } else { 1 };
    let plain = decode::plain(text);
    let values: Vec<(decode::Decoded, usize)> = yaml_strings(yaml_part)
        .into_iter()
        .filter_map(|(v, line)| {
            let d = decode::plain(&v);
            (!plain.text.contains(&d.text))
                .then(|| (d, line.map_or(yaml_line, |l| l + yaml_line - 1)))
        })
        .collect();
    let body_text = body.map(|at| &text[at..]);
    let rendered = body_text.map(links::to_html);
    let body_decoded = body_text
        .zip(rendered.as_ref())
        .map(|(b, r)| decode::body(b, r));
    let body_line = body.map_or(1, |at| line_of_offset(text, at));
    let mut regions = vec![Region::new(text, 1), Region::decoded(text, &plain, 1)];
    for (d, line) in &values {
        let mut r = Region::new(&d.text, *line);
        r.fixed_line = Some(*line);
        regions.push(r);
    }
    if let (Some(b), Some(d)) = (body_text, body_decoded.as_ref()) {
        regions.push(Region::decoded(b, d, body_line));
    }
    let mut out = Vec::new();
    for r in &regions {
        rules.secrecy.scan(r, &mut out);
        pii::scan(r, &mut out);
        rules.words.scan(r, &mut out);
        rules.cuomin.scan(r, None, &mut out);
    }
    out.retain(|f| f.severity == Severity::Hold);
    out.sort_by_key(|x| (x.line, x.column, x.word.word()));
    out.dedup_by(|x, y| x.line == y.line && x.word == y.word && x.message == y.message);
    out
}

/// The findings of a text-like asset or attachment, reported at the
/// article line that refers to it, naming the file and its line (or the
/// attachment's page, sheet and cell).
fn scan_asset(
    rules: &Rules,
    asset: &Asset,
    body: &Region,
    date: Option<chrono::NaiveDate>,
    out: &mut Vec<Finding>,
    personal: &mut Vec<Finding>,
) {
    let (line, column) = body.locate(asset.offset);
    let at_reference = |word: Code, severity: Severity, message: String, help: &str| Finding {
        word,
        severity,
        line,
        column,
        message,
        help: help.to_string(),
        snippet: Some(body.snippet(asset.offset)),
    };
    if let Some(why) = &asset.unreadable {
        out.push(at_reference(
            Code::Asset,
            Severity::Hold,
            format!("附件 content/{} {UNREADABLE}{why}", asset.path),
            "附件的文字（含隐藏内容）须经检查才能发布：换成可读取的文件后重新送审",
        ));
        return;
    }
    for who in &asset.identities {
        out.push(at_reference(
            Code::PersonalData,
            Severity::Warn,
            format!(
                "附件 content/{} 的文档属性 {} 为「{}」：附件发布后，任何人都能在文件属性中看到",
                asset.path, who.field, who.value
            ),
            "如不宜公开，请在 Office 中用「文件 → 信息 → 检查文档」删除个人信息和批注、接受或拒绝全部修订，替换附件后重新送审（附件改动后原审核签名失效）",
        ));
    }
    let lower = asset.path.to_ascii_lowercase();
    let markup = [".svg", ".html", ".htm"].iter().any(|e| lower.ends_with(e));
    let d = if markup {
        decode::html(&asset.text)
    } else {
        decode::plain(&asset.text)
    };
    let r = Region::decoded(&asset.text, &d, 1);
    let mut found = Vec::new();
    let mut found_personal = Vec::new();
    rules.secrecy.scan(&r, &mut found);
    pii::scan(&r, &mut found_personal);
    rules.words.scan(&r, &mut found);
    rules.cuomin.scan(&r, date, &mut found);
    let moved = |f: Finding, to: &mut Vec<Finding>| {
        let message = match asset.places.get(f.line.wrapping_sub(1)) {
            Some(place) => format!("附件 content/{}（{place}）：{}", asset.path, f.message),
            None => format!(
                "引用的文件 content/{} 第 {} 行：{}",
                asset.path, f.line, f.message
            ),
        };
        to.push(Finding {
            message,
            line,
            column,
            snippet: Some(body.snippet(asset.offset)),
            ..f
        })
    };
    found.into_iter().for_each(|f| moved(f, out));
    found_personal.into_iter().for_each(|f| moved(f, personal));
}

#[cfg(test)]
mod tests;
