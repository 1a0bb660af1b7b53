//! Forbidden words and hosts (R14: no ads or commercial links) and the
//! correction list of serious typos (R15: 严重错别字), from
//! `reviews/words.yaml`. One Aho–Corasick automaton, built once per build,
//! finds every word in one pass over each text.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::gate::Code;
use crate::gate::{host_matches, url_host};

use super::{Finding, Region, Severity};

/// One entry of `corrections`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub wrong: String,
    pub right: String,
    pub severity: Severity,
    /// What list it is from and its 来源, shown in the message:
    /// `形近字/音近字；来源：…；见 reviews/cuomin.yaml`.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Forbidden,
    Correction {
        right: String,
        severity: Severity,
        note: Option<String>,
    },
    /// A correct phrase containing a listed one (「人民代表大会会议」).
    Allowed,
}

/// The word lists, ready to match.
#[derive(Debug, Clone, Default)]
pub struct Words {
    ac: Option<AhoCorasick>,
    entries: Vec<Entry>,
    /// Normalised host patterns (`ads.example.com`, `*.example.com`).
    pub hosts: Vec<String>,
}

impl Words {
    /// Build the automaton. The lists are checked for repeats by the
    /// reader ([`super::config`]); a repeated word here keeps its first
    /// meaning.
    pub fn new(
        forbidden: &[String],
        hosts: Vec<String>,
        corrections: &[Correction],
        allowed: &[String],
    ) -> Result<Words, String> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut entries = Vec::new();
        let lists = allowed
            .iter()
            .map(|p| (p.as_str(), Entry::Allowed))
            .chain(forbidden.iter().map(|p| (p.as_str(), Entry::Forbidden)))
            .chain(corrections.iter().map(|c| {
                let e = Entry::Correction {
                    right: c.right.clone(),
                    severity: c.severity,
                    note: c.note.clone(),
                };
                (c.wrong.as_str(), e)
            }));
        for (p, e) in lists {
            if p.is_empty() || patterns.iter().any(|q| q.eq_ignore_ascii_case(p)) {
                continue;
            }
            patterns.push(p);
            entries.push(e);
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&patterns)
                .map_err(|e| format!("词表无法编译（{e}）"))?;
            Some(ac)
        };
        Ok(Words { ac, entries, hosts })
    }

    /// Whether there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.ac.is_none() && self.hosts.is_empty()
    }

    /// Findings for a region: words, then linked forbidden hosts.
    pub fn scan(&self, r: &Region, out: &mut Vec<Finding>) {
        if let Some(ac) = &self.ac {
            for m in ac.find_iter(r.text) {
                let written = &r.text[m.range()];
                if !standalone(r.text, m.start(), m.end()) {
                    continue;
                }
                match self.entries.get(m.pattern().as_usize()) {
                    Some(Entry::Forbidden) => out.push(r.finding(
                        m.start(),
                        Code::ForbiddenWord,
                        Severity::Hold,
                        format!("含禁用词「{written}」（forbidden word，见 reviews/words.yaml）：政府网站不得刊登商业广告、商业推广或不当用语"),
                        "删除或改写这处文字后重新送审",
                    )),
                    Some(Entry::Correction {
                        right,
                        severity,
                        note,
                    }) => {
                        let what = match (note, severity) {
                            (Some(n), _) => n.as_str(),
                            (None, Severity::Hold) => "严重错别字",
                            (None, Severity::Warn) => "错别字",
                        };
                        out.push(r.finding(
                            m.start(),
                            Code::Typo,
                            *severity,
                            format!("「{written}」应为「{right}」（{what}，typo）"),
                            format!("改为「{right}」后重新送审（文章改动后原审核签名失效）"),
                        ));
                    }
                    _ => {}
                }
            }
        }
        if !self.hosts.is_empty() {
            self.scan_hosts(r, out);
        }
    }

    fn scan_hosts(&self, r: &Region, out: &mut Vec<Finding>) {
        let spans = r
            .urls
            .iter()
            .filter_map(|u| r.text.get(u.clone()).map(|t| (t, u.start)));
        let links = r.links.iter().map(|(d, o)| (d.as_str(), *o));
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (url, offset) in spans.chain(links) {
            let Some(host) = url_host(url).filter(|h| !h.is_empty()) else {
                continue;
            };
            let Some(pattern) = self.hosts.iter().find(|p| host_matches(&host, p)) else {
                continue;
            };
            let line = r.locate(offset).0;
            if seen.iter().any(|(h, l)| *h == host && *l == line) {
                continue;
            }
            seen.push((host.clone(), line));
            out.push(r.finding(
                offset,
                Code::ForbiddenHost,
                Severity::Hold,
                format!("链接到禁止的网站 {host}（forbidden host，匹配 reviews/words.yaml 的 forbidden_hosts「{pattern}」）：政府网站不得链接商业广告页面"),
                "删除该链接（或图片）后重新送审",
            ));
        }
    }
}

/// An ASCII word must not be glued to other ASCII letters or digits
/// (「bet」 is not found in 「between」). Chinese has no such boundary.
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !(first.is_some_and(word) && before.is_some_and(word)
        || last.is_some_and(word) && after.is_some_and(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words {
        let c = |w: &str, r: &str, s| Correction {
            wrong: w.into(),
            right: r.into(),
            severity: s,
            note: None,
        };
        Words::new(
            &["博彩".into(), "casino".into(), "代开发票".into()],
            vec!["*.ads.example.com".into(), "shop.example.cn".into()],
            &[
                c("既往开来", "继往开来", Severity::Hold),
                c("人民代表大会会", "人民代表大会", Severity::Hold),
                c("帐号", "账号", Severity::Warn),
            ],
            &["人民代表大会会议".into()],
        )
        .unwrap()
    }

    fn scan(text: &str) -> Vec<Finding> {
        let r = Region::new(text, 1);
        let mut out = Vec::new();
        words().scan(&r, &mut out);
        out
    }

    #[test]
    fn finds_words_in_one_pass() {
        let out = scan("网上博彩、CASINO，既往开来。\n请登录帐号。");
        let got: Vec<(Code, Severity, usize, usize)> = out
            .iter()
            .map(|f| (f.word, f.severity, f.line, f.column))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::ForbiddenWord, Severity::Hold, 1, 3),
                (Code::ForbiddenWord, Severity::Hold, 1, 6),
                (Code::Typo, Severity::Hold, 1, 13),
                (Code::Typo, Severity::Warn, 2, 4),
            ]
        );
        assert!(out[2].message.contains("「既往开来」应为「继往开来」"));
    }

    #[test]
    fn allowed_phrases_and_ascii_boundaries() {
        assert!(scan("区第十八届人民代表大会会议开幕").is_empty());
        assert_eq!(scan("区人民代表大会会常务委员会").len(), 1);
        assert!(scan("casinos and occasion").is_empty());
    }

    #[test]
    fn forbidden_hosts_in_links_and_text() {
        let out = scan("见 https://x.ads.example.com/p?id=1 与 http://shop.example.cn，以及 https://www.gov.cn/");
        let hosts: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(out.len(), 2, "{hosts:?}");
        assert!(out.iter().all(|f| f.word == Code::ForbiddenHost));
        let mut r = Region::new("[买](//shop.example.cn/a)", 5);
        r.links = vec![("//shop.example.cn/a".into(), 0)];
        let mut out = Vec::new();
        words().scan(&r, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].line, 5);
    }

    #[test]
    fn automaton_is_shared_between_threads() {
        fn sync<T: Sync + Send>() {}
        sync::<Words>();
        sync::<super::super::Rules>();
    }
}
