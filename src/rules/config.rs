//! Reading `reviews/rules.yaml` (PII exemptions, extra secrecy phrases) and
//! `reviews/words.yaml` (forbidden words and hosts, corrections). Both are
//! optional and, like the rest of `reviews/`, signed by the root key.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::document::normalise;
use crate::gate::hosts::normalize_pattern;
use crate::gate::yaml;
use crate::gate::GateError;

use super::cuomin::{self, Leader, Renamed};
use super::secrecy;
use super::words::{Correction, Words};
use super::{Rules, Severity};

pub const RULES_FILE: &str = "reviews/rules.yaml";
pub const WORDS_FILE: &str = "reviews/words.yaml";
pub const CUOMIN_FILE: &str = "reviews/cuomin.yaml";

const RULES_HELP: &str = "rules.yaml 的格式：\npii_exemptions: [惩戒公示, 强制性信息披露]   # 文章可声明的个人信息豁免理由\nsecrecy_phrases: []   # 另行禁止的内部标志\nsecrecy_allowed: []   # 含标志字样的正常用语\n修改后须由根密钥持有人重新签署 governance.yaml。";
const WORDS_HELP: &str = "words.yaml 的格式：\nforbidden: [博彩]                  # 禁用词\nforbidden_hosts: [\"*.example.com\"]  # 禁止链接的网站\ncorrections:\n  - { wrong: 既往开来, right: 继往开来, severity: warn }   # severity: hold（默认）或 warn\nallowed: [人民代表大会会议]          # 含错误写法的正确用语\n修改后须由根密钥持有人重新签署 governance.yaml。";

const CUOMIN_HELP: &str = "cuomin.yaml（错敏词表）的格式：\nleaders:       # 现任领导及准确职务\n  - { name: 李鸣, title: 区长, severity: hold, source: 区委办〔2026〕12号 }\nrenamed:       # 机构更名（自 since 起使用新名称）\n  - { old: 区农业局, new: 区农业农村局, since: 2019-03-01, severity: hold, source: 区机构改革方案 }\nexpressions:   # 规范表述\n  - { wrong: …, right: …, severity: hold, source: … }\nconfusions:    # 形近字、音近字\n  - { wrong: 部暑, right: 部署, severity: warn, source: … }\nallowed: [区长郑重强调]   # 不当作职务或姓名错误的正常用语\nseverity: hold（暂缓发布）或 warn（只警告）；source（来源）必填。修改后须由根密钥持有人重新签署 governance.yaml。";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCuomin {
    #[serde(default)]
    leaders: Vec<RawLeader>,
    #[serde(default)]
    renamed: Vec<RawRenamed>,
    #[serde(default)]
    expressions: Vec<RawPair>,
    #[serde(default)]
    confusions: Vec<RawPair>,
    /// Phrases never reported as a wrong title or a look-alike name.
    #[serde(default)]
    allowed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeader {
    name: String,
    title: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRenamed {
    old: String,
    new: String,
    since: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    wrong: String,
    right: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    pii_exemptions: Vec<String>,
    #[serde(default)]
    secrecy_phrases: Vec<String>,
    #[serde(default)]
    secrecy_allowed: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWords {
    #[serde(default)]
    forbidden: Vec<String>,
    #[serde(default)]
    forbidden_hosts: Vec<String>,
    #[serde(default)]
    corrections: Vec<RawCorrection>,
    #[serde(default)]
    allowed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorrection {
    wrong: String,
    right: String,
    #[serde(default)]
    severity: Option<String>,
    /// 来源 (optional here; required in cuomin.yaml).
    #[serde(default)]
    source: Option<String>,
}

/// A file's text and how to report errors in it.
struct Src<'a> {
    file: &'static str,
    text: String,
    help: &'a str,
}

impl Src<'_> {
    fn err(&self, line: Option<usize>, message: String) -> GateError {
        GateError::new(self.file, line, message, self.help)
    }

    /// The 1-based line of the first line containing `needle` (a value).
    fn line_of(&self, needle: &str) -> Option<usize> {
        self.nth_line(needle, 1)
    }

    /// The 1-based line of the `n`th line containing `needle`.
    fn nth_line(&self, needle: &str, n: usize) -> Option<usize> {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim_start().starts_with('#') && l.contains(needle))
            .nth(n.saturating_sub(1))
            .map(|(i, _)| i + 1)
    }

    fn parse<T: for<'de> Deserialize<'de> + Default>(&self) -> Result<T, GateError> {
        if self.text.trim().is_empty() {
            return Ok(T::default());
        }
        yaml::from_str(&self.text).map_err(|e| e.into_gate(self.file, self.help))
    }

    /// Trimmed, non-empty, unique entries of the list `key`.
    fn list(&self, key: &str, items: Vec<String>) -> Result<Vec<String>, GateError> {
        let mut out: Vec<String> = Vec::new();
        for item in items {
            let t = item.trim().to_string();
            if t.is_empty() {
                return Err(self.err(self.line_of(key), format!("{key} 中有空的条目")));
            }
            if out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
                return Err(self.err(
                    self.nth_line(&t, 2).or_else(|| self.line_of(&t)),
                    format!("{key} 中「{t}」出现了两次（duplicate）"),
                ));
            }
            out.push(t);
        }
        Ok(out)
    }
}

fn source(
    files: &BTreeMap<String, Vec<u8>>,
    name: &str,
    file: &'static str,
    help: &'static str,
) -> Result<Option<Src<'static>>, GateError> {
    let Some(bytes) = files.get(name) else {
        return Ok(None);
    };
    let text = normalise(bytes).map_err(|e| {
        GateError::new(
            file,
            Some(e.line()),
            "文件不是 UTF-8 编码（not UTF-8）",
            e.help(),
        )
    })?;
    Ok(Some(Src { file, text, help }))
}

/// Parse both files (by name under `reviews/`); absent ones give defaults.
pub fn parse(files: &BTreeMap<String, Vec<u8>>) -> Result<Rules, GateError> {
    let mut rules = Rules::default();
    if let Some(src) = source(files, "rules.yaml", RULES_FILE, RULES_HELP)? {
        let raw: RawRules = src.parse()?;
        rules.pii_exemptions = src.list("pii_exemptions", raw.pii_exemptions)?;
        let extra = src.list("secrecy_phrases", raw.secrecy_phrases)?;
        let allowed = src.list("secrecy_allowed", raw.secrecy_allowed)?;
        rules.secrecy = secrecy::Matcher::new(&extra, &allowed);
    }
    let mut extra = Vec::new();
    if let Some(src) = source(files, "cuomin.yaml", CUOMIN_FILE, CUOMIN_HELP)? {
        let raw: RawCuomin = src.parse()?;
        let (lists, corrections) = cuomin_lists(&src, raw)?;
        rules.cuomin = lists;
        extra = corrections;
    }
    match source(files, "words.yaml", WORDS_FILE, WORDS_HELP)? {
        Some(src) => {
            let raw: RawWords = src.parse()?;
            rules.words = words(&src, raw, extra)?;
        }
        None if !extra.is_empty() => {
            rules.words = Words::new(&[], Vec::new(), &extra, &[])
                .map_err(|m| GateError::new(CUOMIN_FILE, None, m, CUOMIN_HELP))?;
        }
        None => {}
    }
    Ok(rules)
}

/// `hold` (the default) or `warn`.
fn severity(src: &Src, line: Option<usize>, value: Option<&str>) -> Result<Severity, GateError> {
    match value.map(str::trim) {
        None | Some("hold") => Ok(Severity::Hold),
        Some("warn") => Ok(Severity::Warn),
        Some(other) => Err(src.err(
            line,
            format!("severity「{other}」无效：只能是 hold（暂缓发布）或 warn（只警告）"),
        )),
    }
}

/// The governed 错敏 lists: leaders and renamed organisations as
/// [`cuomin::Lists`], expressions and confusion pairs as corrections.
fn cuomin_lists(src: &Src, raw: RawCuomin) -> Result<(cuomin::Lists, Vec<Correction>), GateError> {
    let need_source = |line: Option<usize>, what: &str, s: Option<String>| {
        s.map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                src.err(
                    line,
                    format!("{what} 缺少来源 source（写明依据，例如任免文件文号、机构改革方案）"),
                )
            })
    };
    let mut leaders: Vec<Leader> = Vec::new();
    for l in raw.leaders {
        let (name, title) = (l.name.trim().to_string(), l.title.trim().to_string());
        let line = src.line_of(&name).or_else(|| src.line_of("leaders"));
        if name.is_empty() || title.is_empty() {
            return Err(src.err(line, "leaders 条目的 name 和 title 都不能为空".into()));
        }
        if leaders.iter().any(|o| o.name == name && o.title == title) {
            return Err(src.err(
                line,
                format!("leaders 中「{name} {title}」出现了两次（duplicate）"),
            ));
        }
        leaders.push(Leader {
            severity: severity(src, line, l.severity.as_deref())?,
            source: need_source(line, &format!("leaders 条目「{name}」"), l.source)?,
            name,
            title,
        });
    }
    let mut renamed: Vec<Renamed> = Vec::new();
    for r in raw.renamed {
        let (old, new) = (r.old.trim().to_string(), r.new.trim().to_string());
        let line = src.line_of(&old).or_else(|| src.line_of("renamed"));
        let since =
            chrono::NaiveDate::parse_from_str(r.since.trim(), "%Y-%m-%d").map_err(|_| {
                src.err(
                    line,
                    format!(
                        "renamed 条目「{old}」的 since「{}」不是日期（写 2019-03-01）",
                        r.since
                    ),
                )
            })?;
        if old.is_empty() || new.is_empty() || old == new {
            return Err(src.err(
                line,
                "renamed 条目的 old 和 new 不能为空，也不能相同".into(),
            ));
        }
        renamed.push(Renamed {
            severity: severity(src, line, r.severity.as_deref())?,
            source: need_source(line, &format!("renamed 条目「{old}」"), r.source)?,
            old,
            new,
            since,
        });
    }
    let mut corrections = Vec::new();
    for (key, what, pairs) in [
        ("expressions", "规范表述", raw.expressions),
        ("confusions", "形近字/音近字", raw.confusions),
    ] {
        for p in pairs {
            let (wrong, right) = (p.wrong.trim().to_string(), p.right.trim().to_string());
            let line = src.line_of(&wrong).or_else(|| src.line_of(key));
            let source = need_source(line, &format!("{key} 条目「{wrong}」"), p.source)?;
            corrections.push(RawCorrection {
                wrong,
                right,
                severity: p.severity,
                source: Some(format!("{what}；来源：{source}；见 {CUOMIN_FILE}")),
            });
        }
    }
    let corrections = checked_corrections(src, corrections, &[], &[], &[])?;
    let allowed = src.list("allowed", raw.allowed)?;
    Ok((cuomin::Lists::new(leaders, renamed, allowed), corrections))
}

fn words(src: &Src, raw: RawWords, extra: Vec<Correction>) -> Result<Words, GateError> {
    let forbidden = src.list("forbidden", raw.forbidden)?;
    let allowed = src.list("allowed", raw.allowed)?;
    let mut hosts = Vec::new();
    for h in src.list("forbidden_hosts", raw.forbidden_hosts)? {
        let Some(p) = normalize_pattern(&h) else {
            return Err(src.err(
                src.line_of(&h),
                format!("forbidden_hosts 中的「{h}」不是主机名（写 ads.example.com 或 *.example.com，不带 https:// 和路径）"),
            ));
        };
        hosts.push(p);
    }
    let corrections = checked_corrections(src, raw.corrections, &forbidden, &allowed, &extra)?;
    let mut corrections = corrections;
    corrections.extend(extra);
    if let Some(w) = forbidden.iter().find(|w| allowed.contains(w)) {
        return Err(src.err(
            src.line_of(w),
            format!("「{w}」同时列在 forbidden 与 allowed 中"),
        ));
    }
    Words::new(&forbidden, hosts, &corrections, &allowed).map_err(|m| src.err(None, m))
}

/// Checked corrections of `src`: severity valid, no repeats (also of
/// `earlier`, read from another file), the right form not containing the
/// wrong one, not also forbidden or allowed.
fn checked_corrections(
    src: &Src,
    raw: Vec<RawCorrection>,
    forbidden: &[String],
    allowed: &[String],
    earlier: &[Correction],
) -> Result<Vec<Correction>, GateError> {
    let mut corrections: Vec<Correction> = Vec::new();
    for c in raw {
        let (wrong, right) = (c.wrong.trim().to_string(), c.right.trim().to_string());
        let line = src.line_of(&wrong).or_else(|| src.line_of("corrections"));
        let severity = severity(src, line, c.severity.as_deref())?;
        let problem = if wrong.is_empty() || right.is_empty() {
            Some("wrong 和 right 都不能为空".to_string())
        } else if right.contains(&wrong) {
            Some(format!(
                "正确写法「{right}」包含错误写法「{wrong}」，改正后仍会被报告"
            ))
        } else if corrections.iter().any(|o| o.wrong == wrong) {
            Some(format!("错误写法「{wrong}」出现了两次（duplicate）"))
        } else if earlier.iter().any(|o| o.wrong == wrong) {
            Some(format!(
                "错误写法「{wrong}」已列在 {CUOMIN_FILE} 中，不要重复"
            ))
        } else if forbidden.contains(&wrong) || allowed.contains(&wrong) {
            Some(format!(
                "「{wrong}」同时列在 corrections 与 forbidden/allowed 中"
            ))
        } else {
            None
        };
        if let Some(p) = problem {
            return Err(src.err(line, format!("条目有误：{p}")));
        }
        let note = c
            .source
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let note = match note {
            Some(n) if n.contains("来源") => Some(n),
            Some(n) => Some(format!(
                "{}；来源：{n}",
                if severity == Severity::Hold {
                    "严重错别字"
                } else {
                    "错别字"
                }
            )),
            None => None,
        };
        corrections.push(Correction {
            wrong,
            right,
            severity,
            note,
        });
    }
    Ok(corrections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pairs
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn absent_files_give_defaults() {
        let r = parse(&BTreeMap::new()).unwrap();
        assert!(r.pii_exemptions.is_empty());
        assert!(r.words.is_empty());
    }

    #[test]
    fn reads_both_files() {
        let r = parse(&files(&[
            ("rules.yaml", "pii_exemptions: [惩戒公示, 强制性信息披露]\n"),
            (
                "words.yaml",
                "forbidden: [博彩]\nforbidden_hosts: [\"*.ads.example.com\"]\ncorrections:\n  - { wrong: 既往开来, right: 继往开来 }\n  - { wrong: 帐号, right: 账号, severity: warn }\n",
            ),
        ]))
        .unwrap();
        assert_eq!(r.pii_exemptions, vec!["惩戒公示", "强制性信息披露"]);
        assert_eq!(r.words.hosts, vec!["*.ads.example.com"]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse(&files(&[(
            "rules.yaml",
            "pii_exemptions: []\npii_exemption: [x]\n",
        )]))
        .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), (RULES_FILE, Some(2)));
        assert!(e.message.contains("pii_exemption"), "{e}");
        let bad = [
            "corrections:\n  - { wrong: 既往开来, right: 继往开来, severity: stop }\n",
            "corrections:\n- wrong: 大会\n  right: 人民代表大会\n",
            "forbidden: [博彩]\nforbidden_hosts:\n  - https://ads.example.com/x\n",
            "forbidden:\n  - 博彩\n  - 博彩\n",
        ];
        for (text, line) in bad.iter().zip([2, 2, 3, 3]) {
            let e = parse(&files(&[("words.yaml", text)])).unwrap_err();
            assert_eq!((e.file.as_str(), e.line), (WORDS_FILE, Some(line)), "{e}");
        }
    }
}
