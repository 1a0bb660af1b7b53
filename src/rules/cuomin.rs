//! Governed 错敏 lists (`reviews/cuomin.yaml`, signed by the root with the
//! rest of `reviews/`): current leaders with their exact titles, and old
//! → new 机构名称 with the date of the change. (Standard expressions and
//! 形近字/音近字 pairs of the same file are corrections, matched with the
//! word lists: [`super::words`].)
//!
//! * A known leader's name next to another title (「李鸣副区长」 when
//!   李鸣 is 区长) is reported.
//! * A title next to a name one character away from its holder's
//!   (「区长李明」 when the 区长 is 李鸣) is reported: look-alike and
//!   sound-alike names.
//! * An old organisation name in an article dated on or after the change
//!   is reported.

use chrono::NaiveDate;

use crate::gate::Code;

use super::{Finding, Region, Severity};

/// Where the lists are.
const FILE: &str = "reviews/cuomin.yaml";

/// A current leader and one exact title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    pub name: String,
    pub title: String,
    pub severity: Severity,
    /// 来源: where the list-keeper took it from.
    pub source: String,
}

/// An organisation renamed on `since`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub old: String,
    pub new: String,
    pub since: NaiveDate,
    pub severity: Severity,
    pub source: String,
}

/// Titles read next to a leader's name besides the listed ones: a name
/// next to one of these that is not the leader's is reported.
const COMMON_TITLES: &[&str] = &[
    "书记",
    "副书记",
    "区委书记",
    "区委副书记",
    "区长",
    "副区长",
    "常务副区长",
    "代区长",
    "县长",
    "副县长",
    "市长",
    "副市长",
    "主任",
    "副主任",
    "主席",
    "副主席",
    "局长",
    "副局长",
    "部长",
    "副部长",
    "秘书长",
    "副秘书长",
    "处长",
    "副处长",
    "科长",
    "副科长",
    "镇长",
    "副镇长",
    "乡长",
    "副乡长",
    "街道办事处主任",
    "院长",
    "副院长",
    "检察长",
    "副检察长",
];

/// The lists, ready to match.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub leaders: Vec<Leader>,
    pub renamed: Vec<Renamed>,
    /// Phrases never reported (「区长郑重强调」 is no misspelt 郑华).
    pub allowed: Vec<String>,
    /// Every title (listed and common), longest first.
    titles: Vec<String>,
}

impl Lists {
    pub fn new(leaders: Vec<Leader>, renamed: Vec<Renamed>, allowed: Vec<String>) -> Lists {
        let mut titles: Vec<String> = COMMON_TITLES.iter().map(|t| t.to_string()).collect();
        for l in &leaders {
            if !titles.contains(&l.title) {
                titles.push(l.title.clone());
            }
        }
        titles.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
        Lists {
            leaders,
            renamed,
            allowed,
            titles,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.leaders.is_empty() && self.renamed.is_empty()
    }

    /// The longest title ending at byte `end` of `text`.
    fn title_before<'t>(&'t self, text: &str, end: usize) -> Option<&'t str> {
        let before = &text[..end];
        self.titles
            .iter()
            .find(|t| before.ends_with(t.as_str()))
            .map(String::as_str)
    }

    /// The longest title starting at byte `start` of `text`.
    fn title_after<'t>(&'t self, text: &str, start: usize) -> Option<&'t str> {
        let after = &text[start..];
        self.titles
            .iter()
            .find(|t| after.starts_with(t.as_str()))
            .map(String::as_str)
    }

    /// Findings of a region. `date`: the article's date (old names are
    /// reported only after their change); `None` for text with no date.
    pub fn scan(&self, r: &Region, date: Option<NaiveDate>, out: &mut Vec<Finding>) {
        if self.is_empty() {
            return;
        }
        self.wrong_titles(r, out);
        self.look_alike_names(r, out);
        if let Some(date) = date {
            self.old_names(r, date, out);
        }
    }

    /// Whether bytes `from..to` of `text` lie inside an allowed phrase.
    fn allowed_at(&self, text: &str, from: usize, to: usize) -> bool {
        self.allowed.iter().any(|p| {
            text.match_indices(p.as_str())
                .any(|(i, m)| i <= from && to <= i + m.len())
        })
    }

    /// The titles of `name`.
    fn titles_of(&self, name: &str) -> Vec<&Leader> {
        self.leaders.iter().filter(|l| l.name == name).collect()
    }

    fn wrong_titles(&self, r: &Region, out: &mut Vec<Finding>) {
        let mut names: Vec<&str> = self.leaders.iter().map(|l| l.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let theirs = self.titles_of(name);
            for (at, _) in r.text.match_indices(name) {
                let end = at + name.len();
                let around = [
                    self.title_before(r.text, at)
                        .map(|t| (t, at - t.len(), end)),
                    self.title_after(r.text, end)
                        .map(|t| (t, at, end + t.len())),
                ];
                for (title, from, to) in around.into_iter().flatten() {
                    if theirs.iter().any(|l| shortened(&l.title, title))
                        || self.allowed_at(r.text, from, to)
                    {
                        continue;
                    }
                    let first = theirs[0];
                    let right: Vec<&str> = theirs.iter().map(|l| l.title.as_str()).collect();
                    let right = right.join("、");
                    let written = &r.text[from..to];
                    out.push(r.finding(
                        from,
                        Code::Typo,
                        first.severity,
                        format!(
                            "「{written}」职务有误：{name} 的职务是「{right}」，不是「{title}」（领导职务，来源：{}；见 {FILE}）",
                            first.source
                        ),
                        "核对领导姓名和职务后改正，重新送审（文章改动后原审核签名失效）",
                    ));
                }
            }
        }
    }

    fn look_alike_names(&self, r: &Region, out: &mut Vec<Finding>) {
        for leader in &self.leaders {
            let n = leader.name.chars().count();
            for (at, _) in r.text.match_indices(leader.title.as_str()) {
                let end = at + leader.title.len();
                // 「副区长」 is not 「区长」.
                if self.title_before(r.text, end) != Some(leader.title.as_str()) {
                    continue;
                }
                let after: String = r.text[end..].chars().take(n).collect();
                let before: String = {
                    let v: Vec<char> = r.text[..at].chars().rev().take(n).collect();
                    v.into_iter().rev().collect()
                };
                for (candidate, from) in [(after, at), (before.clone(), at - before.len())] {
                    if !self.one_off(&candidate, &leader.name) {
                        continue;
                    }
                    let written = if from == at {
                        format!("{}{candidate}", leader.title)
                    } else {
                        format!("{candidate}{}", leader.title)
                    };
                    if self.allowed_at(r.text, from, from + written.len()) {
                        continue;
                    }
                    out.push(r.finding(
                        from,
                        Code::Typo,
                        leader.severity,
                        format!(
                            "「{written}」中的姓名「{candidate}」应为「{}」（{}：{}，形近字或音近字；来源：{}；见 {FILE}）",
                            leader.name, leader.title, leader.name, leader.source
                        ),
                        "核对领导姓名后改正，重新送审（文章改动后原审核签名失效）",
                    ));
                }
            }
        }
    }

    /// Whether `candidate` is `name` with exactly one Chinese character
    /// changed, and names no other listed leader.
    fn one_off(&self, candidate: &str, name: &str) -> bool {
        let (a, b): (Vec<char>, Vec<char>) = (candidate.chars().collect(), name.chars().collect());
        a.len() == b.len()
            && a.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
            && !self.leaders.iter().any(|l| l.name == candidate)
    }

    fn old_names(&self, r: &Region, date: NaiveDate, out: &mut Vec<Finding>) {
        for rn in self.renamed.iter().filter(|rn| rn.since <= date) {
            let new_spans: Vec<(usize, usize)> = r
                .text
                .match_indices(rn.new.as_str())
                .map(|(i, s)| (i, i + s.len()))
                .collect();
            for (at, _) in r.text.match_indices(rn.old.as_str()) {
                let end = at + rn.old.len();
                if new_spans.iter().any(|(s, e)| *s <= at && end <= *e) {
                    continue;
                }
                out.push(r.finding(
                    at,
                    Code::Typo,
                    rn.severity,
                    format!(
                        "「{}」已于 {} 更名为「{}」，本文日期 {date} 在更名之后，应使用新名称（机构名称，来源：{}；见 {FILE}）",
                        rn.old, rn.since, rn.new, rn.source
                    ),
                    format!("改为「{}」后重新送审；引用更名前的历史文件名称时，可加注「原」字或写明时间", rn.new),
                ));
            }
        }
    }
}

/// Whether `written` is `title` or a short form of it that keeps its
/// rank: 「书记」 for 「区委书记」, 「副区长」 for 「常务副区长」 — not
/// 「区长」 for 「副区长」.
fn shortened(title: &str, written: &str) -> bool {
    title
        .strip_suffix(written)
        .is_some_and(|prefix| !prefix.contains('副') && prefix != "代")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> Lists {
        let l = |name: &str, title: &str| Leader {
            name: name.into(),
            title: title.into(),
            severity: Severity::Hold,
            source: "区委办通知".into(),
        };
        Lists::new(
            vec![
                l("陈建国", "区委书记"),
                l("李鸣", "区长"),
                l("王丽华", "副区长"),
            ],
            vec![Renamed {
                old: "区农业局".into(),
                new: "区农业农村局".into(),
                since: NaiveDate::from_ymd_opt(2019, 3, 1).unwrap(),
                severity: Severity::Hold,
                source: "机构改革方案".into(),
            }],
            vec!["区长李鸿章".into()],
        )
    }

    fn scan(text: &str, date: Option<NaiveDate>) -> Vec<String> {
        let r = Region::new(text, 1);
        let mut out = Vec::new();
        lists().scan(&r, date, &mut out);
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn right_names_and_titles_pass() {
        let ok = "区委书记陈建国、区长李鸣、副区长王丽华出席会议。李鸣同志讲话，陈建国书记总结。";
        assert!(scan(ok, None).is_empty(), "{:?}", scan(ok, None));
    }

    #[test]
    fn a_name_with_another_title() {
        let got = scan("副区长李鸣主持会议。", None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("「副区长李鸣」职务有误：李鸣 的职务是「区长」，不是「副区长」"));
        let got = scan("陈建国区长讲话。", None);
        assert!(got[0].contains("不是「区长」"), "{got:?}");
        let got = scan("王丽华区长讲话。", None);
        assert!(
            got[0].contains("王丽华 的职务是「副区长」，不是「区长」"),
            "{got:?}"
        );
    }

    #[test]
    fn a_title_with_a_look_alike_name() {
        let got = scan("区长李明出席。", None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("「区长李明」中的姓名「李明」应为「李鸣」"),
            "{got:?}"
        );
        // 「副区长王丽华」 is no look-alike of the 区长.
        assert!(scan("副区长王丽华", None).is_empty());
        assert!(scan("王历华副区长", None)[0].contains("应为「王丽华」"));
        assert!(scan("区长李鸿章", None).is_empty());
    }

    #[test]
    fn old_names_after_the_change() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert!(scan("区农业局召开会议", d(2018, 5, 1)).is_empty());
        let got = scan("区农业局召开会议，区农业农村局参加", d(2026, 5, 1));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("「区农业局」已于 2019-03-01 更名为「区农业农村局」"));
    }
}
