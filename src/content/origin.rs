//! Where an article's or column's front matter sits in its file: the one
//! place that turns YAML problems and keys into diagnostics at file lines.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::gate::frontmatter::{hidden_gate_key, hidden_gate_key_message, HIDDEN_GATE_KEY_HELP};
use crate::gate::yaml::{self, Value, YamlError};

/// Where the front matter sits in its file, for error lines.
pub struct Origin<'a> {
    /// Display path, e.g. `content/news/a.md`.
    pub file: &'a str,
    /// The whole (normalised) file text, for snippets.
    pub source: &'a str,
    /// The front matter text.
    pub yaml: &'a str,
    /// 1-based file line of the front matter's first line.
    pub first_line: usize,
}

impl Origin<'_> {
    pub(super) fn diag(&self, message: String) -> Diagnostic {
        Diagnostic::new(self.file, message)
    }

    /// The file line of the top-level `key`, if written.
    pub(super) fn key_line(&self, key: &str) -> Option<usize> {
        yaml::keys(self.yaml)
            .iter()
            .find(|k| k.key == key && k.parent.is_empty())
            .map(|k| k.line + self.first_line - 1)
    }

    /// A diagnostic at the line of the top-level `key:` in the front
    /// matter, else at the opening `---`.
    pub fn at_key(&self, key: &str, message: String) -> Diagnostic {
        let line = self
            .key_line(key)
            .or_else(|| yaml::key_line(self.yaml, &[key]).map(|l| l + self.first_line - 1))
            .unwrap_or(self.first_line - 1);
        self.diag(message).at_line(line).with_source(self.source)
    }

    pub(super) fn yaml_error(&self, e: &YamlError) -> Diagnostic {
        Diagnostic::from_yaml(self.file, self.source, "front matter 格式错误：", e)
    }

    /// Parse the YAML into `T`, treating an empty front matter as `{}`.
    pub(super) fn parse<T: for<'de> Deserialize<'de> + Default>(&self) -> Result<T, Diagnostic> {
        if self.yaml.trim().is_empty() {
            return Ok(T::default());
        }
        yaml::from_str_at(self.yaml, self.first_line).map_err(|e| self.yaml_error(&e))
    }

    /// Spec §1: `approvals` or `withdrawn` inside the signed front matter
    /// (quoted, or not at column 0) is an error at its line.
    pub(super) fn refuse_gate_keys(
        &self,
        other: &BTreeMap<String, Value>,
    ) -> Result<(), Diagnostic> {
        match hidden_gate_key(self.yaml, |k| other.contains_key(k)) {
            None => Ok(()),
            Some((key, line)) => Err(self
                .diag(hidden_gate_key_message(key))
                .at_line(line + self.first_line - 1)
                .help(HIDDEN_GATE_KEY_HELP)
                .with_source(self.source)),
        }
    }

    /// A required `key` is missing: at the line of an unknown key that is
    /// probably a typo of it (with the hint), else at the opening `---`.
    pub(super) fn missing(
        &self,
        other: &BTreeMap<String, Value>,
        key: &str,
        message: &str,
        help: &str,
    ) -> Diagnostic {
        let typo = other
            .keys()
            .find(|k| yaml::suggest(k, &[key]).is_some())
            .and_then(|k| Some((k, self.key_line(k)?)));
        match typo {
            Some((k, line)) => self
                .diag(format!("{message}：这一行的 {k} 是否想写 {key}？"))
                .at_line(line)
                .help(format!("把 {k} 改为 {key}。"))
                .with_source(self.source),
            None => self.at_key(key, message.to_string()).help(help),
        }
    }

    pub(super) fn unknown_keys(
        &self,
        other: &BTreeMap<String, Value>,
        known: &[&str],
    ) -> Vec<Diagnostic> {
        other
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| {
                let hint = yaml::suggest(k, known)
                    .map(|c| format!("是否想写 `{c}`？"))
                    .unwrap_or_else(|| format!("可用字段：{}。", known.join("、")));
                self.at_key(k, format!("未知字段 `{k}`，已忽略")).help(hint)
            })
            .collect()
    }
}
