//! User-facing diagnostics: what went wrong, where (file, line, column),
//! the offending source line, and how to fix it — Chinese first.

use std::fmt;

use crate::gate::yaml::YamlError;

mod render;
pub use render::{colour_wanted, eprint, eprint_warning, render, span, Kind, Style};

/// How personal numbers are masked ([`safe`]): set once at start-up to
/// `rules::pii::mask_all` (diagnostics sit below the rules, which report
/// through them, so they cannot name it themselves).
static MASKER: std::sync::OnceLock<fn(&str) -> String> = std::sync::OnceLock::new();

/// Set the masking of personal numbers used by [`safe`]; the first call
/// wins.
pub fn set_masker(mask: fn(&str) -> String) {
    let _ = MASKER.set(mask);
}

/// User text made safe to show on a terminal or in a report: personal
/// numbers (ID, mobile, bank card) masked, and control characters other
/// than newline and tab — escape sequences, carriage return, C1 controls —
/// and bidirectional overrides escaped (`\x1b`, `\u{202e}`), so that no
/// text can hide other text from the reader.
pub fn safe(text: &str) -> String {
    let masked = match MASKER.get() {
        Some(mask) => mask(text),
        None => text.to_string(),
    };
    let mut out = String::with_capacity(masked.len());
    for c in masked.chars() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}');
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One problem found in the user's input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostic {
    /// Path shown to the user, relative to the site root when possible.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Length in characters of the offending text at `column`, when known
    /// (it is underlined).
    pub len: Option<usize>,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The offending source line, shown under the location.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            len: None,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    /// The offending text is `len` characters long from the column.
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = Some(len);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the text of `self.line` taken from `source` (the whole file).
    /// A line longer than [`SNIPPET_CHARS`] is cut to that many characters
    /// around the column (or from its start), with `…` where cut.
    pub fn with_source(mut self, source: &str) -> Self {
        if let Some(n) = self.line {
            if let Some(l) = source.lines().nth(n.saturating_sub(1)) {
                let (snippet, column) = bounded(l, self.column);
                self.snippet = Some(snippet);
                self.column = column;
            }
        }
        self
    }

    /// A YAML problem of `file`, whose whole text is `source` (for the
    /// snippet); `prefix` says what was being read, e.g. `site.yaml 格式错误：`.
    pub fn from_yaml(file: &str, source: &str, prefix: &str, e: &YamlError) -> Self {
        let mut d = Diagnostic::new(file, format!("{prefix}{}", bounded(&e.message, None).0))
            .at_line(e.line)
            .help(e.fix.clone());
        d.column = e.column;
        d.with_source(source)
    }

    /// `file:line:column` as far as known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{}:{}", self.file, l, c),
            (Some(l), None) => format!("{}:{}", self.file, l),
            _ => self.file.clone(),
        }
    }
}

/// The plain rendering (see [`render`]): message, `--> file:line:column`,
/// the offending line with the offending text underlined, 「修改方法：…」.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render(self, Kind::Error, Style::Plain))
    }
}

/// The most characters of a source line shown under a diagnostic.
pub const SNIPPET_CHARS: usize = 200;

/// `line` cut to [`SNIPPET_CHARS`] characters around `column` (1-based, in
/// characters), with the column moved to match. Never copies more than
/// the kept characters.
pub fn bounded(line: &str, column: Option<usize>) -> (String, Option<usize>) {
    // A cheap bound first: a line of at most SNIPPET_CHARS bytes is short.
    if line.len() <= SNIPPET_CHARS || line.chars().nth(SNIPPET_CHARS).is_none() {
        return (line.to_string(), column);
    }
    let start = column
        .map(|c| c.saturating_sub(1).saturating_sub(SNIPPET_CHARS / 2))
        .unwrap_or(0);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut kept = line.chars().skip(start);
    out.extend(kept.by_ref().take(SNIPPET_CHARS));
    if kept.next().is_some() {
        out.push('…');
    }
    let column = column.map(|c| c - start + usize::from(start > 0));
    (out, column)
}

/// Several diagnostics, reported together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sort by file and line so that output is stable, and drop repeats.
    pub fn sorted(mut self) -> Self {
        self.0
            .sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        self.0.dedup();
        self
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// 1-based line of the first line of `text` that starts with `prefix`
/// (after leading spaces), if any.
pub fn find_line(text: &str, prefix: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .map(|i| i + 1)
}

/// 1-based line containing byte `offset` of `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(100_000);
        let d = Diagnostic::new("a.md", "m")
            .at_line(1)
            .at_column(50_000)
            .with_source(&line);
        let snippet = d.snippet.unwrap();
        assert!(snippet.chars().count() <= SNIPPET_CHARS + 2);
        assert_eq!(d.column, Some(101 + 1));
        let d = Diagnostic::new("a.md", "m").at_line(1).with_source(&line);
        assert!(d.snippet.unwrap().chars().count() <= SNIPPET_CHARS + 1);
        let (short, c) = bounded("短行", Some(2));
        assert_eq!((short.as_str(), c), ("短行", Some(2)));
    }

    #[test]
    fn renders_location_snippet_and_help() {
        let d = Diagnostic::new("content/news/a.md", "缺少 title（标题）")
            .at_line(2)
            .at_column(3)
            .help("加入 title")
            .with_source("---\nclass: A\n---\n");
        let s = d.to_string();
        assert!(s.contains("content/news/a.md:2:3"), "{s}");
        assert!(s.contains("2 | class: A"), "{s}");
        assert!(s.contains("修改方法：加入 title"), "{s}");
    }

    #[test]
    fn finds_lines() {
        assert_eq!(find_line("a: 1\n  date: x\n", "date:"), Some(2));
        assert_eq!(line_of_offset("a\nb\nc", 4), 3);
    }
}
