//! What the publication log forbids the next release (issue: trust the
//! repository cannot rewrite). Pure: the log's state, the release's facts
//! and the clock in; the violations and the completed facts (first-seen
//! times, withdrawals kept in force) out. `deploy`, `check-release`,
//! `rollback` and `build --log` all judge with this one function.

use chrono::{DateTime, FixedOffset, SecondsFormat};

use super::record::{LoggedApproval, LoggedArticle, ReleaseFacts};
use super::state::{time, InForce, LogState, Seen};
use crate::diag::Diagnostic;
use crate::gate::Code;

/// The rule a release breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Governance `serial` lower than the live one.
    GovernanceRollback,
    /// Same `serial` as a logged governance, different contents.
    GovernanceConflict,
    /// A root-set version lower than the live one.
    RootRollback,
    /// The log shows the article withdrawn (sticky withdrawal).
    Withdrawn,
    /// An older version with approvals seen before the latest publication.
    Replay,
    /// An approval first seen after its key's `valid_until`.
    LateApproval,
    /// The clock is earlier than the log's last entry.
    ClockBackwards,
}

impl Rule {
    /// The rule's word, as in `docs/spec/publication-log.md`.
    pub fn word(self) -> &'static str {
        match self {
            Rule::GovernanceRollback => "governance-rollback",
            Rule::GovernanceConflict => "governance-conflict",
            Rule::RootRollback => "root-rollback",
            Rule::Withdrawn => "log-withdrawn",
            Rule::Replay => "replay",
            Rule::LateApproval => "late-approval",
            Rule::ClockBackwards => "clock-backwards",
        }
    }

    /// The rule's Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Rule::GovernanceRollback => "审核人名单与政策不得回退",
            Rule::GovernanceConflict => "同一签署序号不得有两种内容",
            Rule::RootRollback => "根密钥组不得回退",
            Rule::Withdrawn => "撤稿不可撤销",
            Rule::Replay => "不得重放旧版本",
            Rule::LateApproval => "密钥失效后首次出现的签名不计",
            Rule::ClockBackwards => "部署时钟不得早于上一次发布",
        }
    }

    /// The article reason a build holds for (article rules only).
    pub fn code(self) -> Option<Code> {
        match self {
            Rule::Withdrawn => Some(Code::LogWithdrawn),
            Rule::Replay => Some(Code::Replay),
            Rule::LateApproval => Some(Code::LateApproval),
            _ => None,
        }
    }
}

/// One thing the log forbids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    /// The article's content path, for article rules.
    pub path: Option<String>,
    /// What is wrong, in Chinese (without the rule's name).
    pub message: String,
    /// What to do.
    pub help: String,
}

impl Violation {
    /// As a diagnostic naming the file and the rule.
    pub fn diagnostic(&self) -> Diagnostic {
        let file = match (&self.path, self.rule) {
            (Some(p), _) => format!("{}/{p}", crate::content::CONTENT_DIR),
            (None, Rule::ClockBackwards) => format!("{}/", super::DIR),
            (None, _) => crate::gate::governance::FILE.to_string(),
        };
        Diagnostic::new(
            file,
            format!(
                "[发布日志规则：{}（{}）] {}",
                self.rule.name(),
                self.rule.word(),
                self.message
            ),
        )
        .help(self.help.clone())
    }
}

/// The outcome of [`check`].
#[derive(Debug, Clone)]
pub struct Checked {
    pub violations: Vec<Violation>,
    /// The facts with every `first_seen` filled in and the withdrawals the
    /// log keeps in force added (`in_source: false`).
    pub facts: ReleaseFacts,
}

fn stamp(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    hex.get(..12).unwrap_or(hex)
}

/// Judge a release (`facts`) appended at `now` against the log (`state`).
pub fn check(state: &LogState, facts: &ReleaseFacts, now: DateTime<FixedOffset>) -> Checked {
    let new = Seen {
        index: state.size,
        at: now,
    };
    let seen = |sig: &str| state.seen.get(sig).copied().unwrap_or(new);
    let mut violations = governance(state, facts);
    if let Some(last) = state.last.filter(|l| now < l.at) {
        violations.push(Violation {
            rule: Rule::ClockBackwards,
            path: None,
            message: format!(
                "本机时钟 {} 早于发布日志上一条记录（第 {} 条）的时间 {}",
                stamp(now),
                last.index,
                stamp(last.at)
            ),
            help: "校准部署服务器的时钟（例如启用 chrony/NTP）后重新部署；不要手工修改发布日志。"
                .into(),
        });
    }
    let mut lifted = Vec::new();
    for a in &facts.articles {
        let found = article(state, a, &seen);
        if found.is_empty() && state.withdrawn.contains_key(&a.path) {
            lifted.push(a.path.clone());
        }
        violations.extend(found);
    }
    let mut out = facts.clone();
    for a in out.articles.iter_mut().chain(out.pending.iter_mut()) {
        for ap in &mut a.approvals {
            ap.first_seen = Some(stamp(seen(&ap.signature).at));
        }
    }
    for w in &mut out.withdrawals {
        w.first_seen = Some(stamp(seen(&w.signature).at));
    }
    for (path, f) in &state.withdrawn {
        let in_source = out.withdrawals.iter().any(|w| &w.path == path);
        if !in_source && !lifted.contains(path) {
            let mut w = f.withdrawal.clone();
            w.in_source = false;
            w.first_seen = Some(stamp(f.since.at));
            out.withdrawals.push(w);
        }
    }
    out.withdrawals.sort_by(|a, b| a.path.cmp(&b.path));
    Checked {
        violations,
        facts: out,
    }
}

fn governance(state: &LogState, facts: &ReleaseFacts) -> Vec<Violation> {
    let g = &facts.governance;
    let mut out = Vec::new();
    let help = format!(
        "由持有根密钥的负责人核对网站框架后运行 {}：新的 serial 会高于发布日志中的 serial。若不是授权的修改，请恢复仓库中最新的 reviews/ 文件。",
        crate::gate::governance::SIGN_COMMAND
    );
    if let Some(live) = state.governance.as_ref().filter(|l| g.serial < l.serial) {
        out.push(Violation {
            rule: Rule::GovernanceRollback,
            path: None,
            message: format!(
                "reviews/governance.yaml 的 serial {} 低于已发布的 serial {}：审核人名单与政策不能回退到旧版本（用旧的签名文件可以撤销对密钥的吊销）",
                g.serial, live.serial
            ),
            help: help.clone(),
        });
    }
    if let Some((digest, at)) = state.serials.get(&g.serial).filter(|(d, _)| *d != g.digest) {
        out.push(Violation {
            rule: Rule::GovernanceConflict,
            path: None,
            message: format!(
                "reviews/governance.yaml 的 serial {} 已在发布日志第 {} 条记录中出现，但内容不同（日志 {}，本次 {}）",
                g.serial,
                at.index,
                short(digest),
                short(&g.digest)
            ),
            help,
        });
    }
    if let Some(live) = state.root_version {
        if g.root_version.is_none_or(|v| v < live) {
            out.push(Violation {
                rule: Rule::RootRollback,
                path: None,
                message: format!(
                    "根密钥组版本{}低于已发布的版本 {live}：不能回退到旧的根密钥组",
                    g.root_version
                        .map_or_else(|| "（单一根公钥）".to_string(), |v| format!(" {v} "))
                ),
                help: "使用 reviews/roots.yaml 中最新的根密钥组签署，并把信任根固定为它（sanshen root fingerprint）。".into(),
            });
        }
    }
    out
}

fn article(state: &LogState, a: &LoggedArticle, seen: &dyn Fn(&str) -> Seen) -> Vec<Violation> {
    let mut out = Vec::new();
    let who = format!("「{}」", a.title);
    for ap in &a.approvals {
        if let Some(v) = late(a, ap, seen(&ap.signature)) {
            out.push(v);
        }
    }
    if let Some(w) = state.withdrawn.get(&a.path) {
        if !a
            .approvals
            .iter()
            .all(|ap| after(ap, w, seen(&ap.signature)))
        {
            let wd = &w.withdrawal;
            out.push(Violation {
                rule: Rule::Withdrawn,
                path: Some(a.path.clone()),
                message: format!(
                    "{who}已于 {} 由 {} 撤稿（理由：{}；发布日志第 {} 条记录），源文件中的撤稿记录已被删除，而本次要发布它的审核签名不都是在撤稿之后签署并首次出现的",
                    wd.at,
                    wd.reviewer,
                    wd.reason,
                    w.since.index,
                ),
                help: "撤稿后重新发布，须按该文章的类别重新送审：删去 withdrawn 块和撤稿之前的全部签名（它们不再有效），再由审核人重新签署（sanshen sign）。".into(),
            });
        }
    }
    if let Some(p) = state.published.get(&a.path) {
        let old = a
            .approvals
            .iter()
            .all(|ap| seen(&ap.signature).index <= p.since.index);
        if p.digest != a.digest && old {
            out.push(Violation {
                rule: Rule::Replay,
                path: Some(a.path.clone()),
                message: format!(
                    "{who}是旧版本（{}）：发布日志第 {} 条记录（{}）已发布其后的版本 {}，而本次的审核签名都在那之前就已出现——撤销更正、恢复旧稿不能沿用旧签名",
                    short(&a.digest),
                    p.since.index,
                    stamp(p.since.at),
                    short(&p.digest)
                ),
                help: "如确需恢复旧内容，请作为新的修改重新送审，由审核人对当前内容重新签署（sanshen sign）。".into(),
            });
        }
    }
    out
}

fn late(a: &LoggedArticle, ap: &LoggedApproval, first: Seen) -> Option<Violation> {
    let until = ap.valid_until.as_deref().and_then(time)?;
    (first.at >= until).then(|| Violation {
        rule: Rule::LateApproval,
        path: Some(a.path.clone()),
        message: format!(
            "「{}」上 {} 的签名（签署时间自称 {}）首次出现于 {}，晚于其密钥有效期截止 {}：离任或到期后出现的签名不计",
            a.title,
            ap.reviewer,
            ap.signed_at,
            stamp(first.at),
            stamp(until)
        ),
        help: "请由现任审核人对当前内容重新签署（sanshen sign）。".into(),
    })
}

/// Signed and first seen after the withdrawal.
fn after(ap: &LoggedApproval, w: &InForce, first: Seen) -> bool {
    let signed = time(&ap.signed_at);
    let withdrawn = time(&w.withdrawal.at);
    let signed_after = matches!((signed, withdrawn), (Some(s), Some(t)) if s > t);
    signed_after && first.index > w.since.index
}

/// Hold every article an article rule in `violations` names, with the
/// rule's reason (first).
pub fn hold(
    violations: &[Violation],
    articles: &[crate::content::Article],
    decisions: &mut [crate::publish::Decision],
) {
    for v in violations {
        let (Some(path), Some(code)) = (&v.path, v.rule.code()) else {
            continue;
        };
        let found = articles
            .iter()
            .zip(decisions.iter_mut())
            .find(|(a, _)| &a.path == path);
        if let Some((_, d)) = found {
            d.publish = false;
            d.reasons.insert(
                0,
                crate::gate::Reason {
                    word: code,
                    message: format!("{}。修改方法：{}", v.message, v.help),
                    line: None,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::publog::record::{GovernanceRef, LoggedWithdrawal, Record, FACTS_FORMAT, FORMAT};

    const PATH: &str = "news/a.md";

    fn at(day: u32) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2026-11-{:02}T12:00:00+08:00", day.clamp(1, 28)))
            .unwrap()
    }

    fn facts(serial: u64) -> ReleaseFacts {
        ReleaseFacts {
            format: FACTS_FORMAT.into(),
            commit: None,
            judged_at: stamp(at(1)),
            governance: GovernanceRef {
                serial,
                digest: format!("sha256:{serial}"),
                root_version: None,
            },
            articles: vec![],
            pending: vec![],
            withdrawals: vec![],
        }
    }

    /// Signatures of one version: (signature, signed_at).
    type Sigs = Vec<(String, DateTime<FixedOffset>)>;

    fn article(version: u32, sigs: &[(String, DateTime<FixedOffset>)]) -> LoggedArticle {
        LoggedArticle {
            path: PATH.into(),
            url: "/news/a/".into(),
            title: "甲".into(),
            digest: format!("sha256:v{version}"),
            date: None,
            backdated: None,
            class: "A".into(),
            approvals: sigs
                .iter()
                .map(|(sig, signed)| LoggedApproval {
                    reviewer: "editor".into(),
                    key: "ed25519:k".into(),
                    level: 1,
                    signed_at: stamp(*signed),
                    signature: sig.clone(),
                    valid_until: None,
                    first_seen: None,
                })
                .collect(),
        }
    }

    fn withdrawal(sig: &str, when: DateTime<FixedOffset>) -> LoggedWithdrawal {
        LoggedWithdrawal {
            path: PATH.into(),
            title: "甲".into(),
            reviewer: "leader".into(),
            key: "ed25519:k".into(),
            at: stamp(when),
            reason: "有误".into(),
            signature: sig.into(),
            first_seen: None,
            in_source: true,
        }
    }

    /// What an editor or a pusher can put in the next release of one article.
    #[derive(Debug, Clone)]
    enum Step {
        /// A new version, freshly approved.
        Fresh,
        /// A signed withdrawal.
        Withdraw,
        /// Republish version `n` (mod the versions so far) with its
        /// original approvals.
        Replay(usize),
        /// Nothing about the article changes; it stays as it is.
        Same,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::Fresh),
            Just(Step::Withdraw),
            any::<usize>().prop_map(Step::Replay),
            Just(Step::Same),
        ]
    }

    proptest! {
        /// Whatever sequence is tried, an accepted release never publishes
        /// a withdrawn article with approvals seen before the withdrawal,
        /// never goes back to a version published before the latest one
        /// with only old approvals — and a fresh approval always goes out.
        #[test]
        fn the_log_forbids_exactly_what_it_should(steps in prop::collection::vec(step(), 1..24)) {
            let mut records: Vec<Record> = Vec::new();
            // (version, its approvals) ever made.
            let mut versions: Vec<(u32, Sigs)> = Vec::new();
            let mut current: Option<usize> = None;
            let mut withdrawn: Option<(String, DateTime<FixedOffset>)> = None;
            let mut n = 0u32;
            for s in &steps {
                n += 1;
                let now = at(1) + chrono::Duration::hours(i64::from(n));
                let state = LogState::of(&records).unwrap();
                let mut f = facts(1);
                let mut expect_ok = true;
                let mut candidate = current;
                let mut wd = withdrawn.clone();
                match s {
                    Step::Fresh => {
                        let v = versions.len() as u32;
                        versions.push((v, vec![(format!("sig-{v}-{n}"), now)]));
                        candidate = Some(versions.len() - 1);
                        wd = None;
                    }
                    Step::Withdraw => {
                        wd = Some((format!("w-{n}"), now));
                        candidate = None;
                    }
                    Step::Replay(k) if !versions.is_empty() => {
                        let k = k % versions.len();
                        let latest = state.published.get(PATH).map(|p| p.digest.clone());
                        let newer_published = latest.is_some_and(|d| d != format!("sha256:v{k}"));
                        let was_withdrawn = state.withdrawn.contains_key(PATH);
                        if newer_published || was_withdrawn {
                            expect_ok = false;
                        }
                        candidate = Some(k);
                        wd = None;
                    }
                    Step::Replay(_) | Step::Same => {}
                }
                if let Some(c) = candidate {
                    let (v, sigs) = &versions[c];
                    f.articles.push(article(*v, sigs));
                }
                if let Some((sig, when)) = &wd {
                    f.withdrawals.push(withdrawal(sig, *when));
                }
                let checked = check(&state, &f, now);
                if matches!(s, Step::Fresh | Step::Withdraw) {
                    prop_assert!(checked.violations.is_empty(), "{s:?}: {:?}", checked.violations);
                }
                if !expect_ok {
                    prop_assert!(!checked.violations.is_empty(), "{s:?} accepted");
                }
                if checked.violations.is_empty() {
                    records.push(Record {
                        format: FORMAT.into(),
                        index: records.len() as u64,
                        previous: None,
                        first_seen: stamp(now),
                        action: "deploy".into(),
                        release: format!("r{n}"),
                        manifest: "sha256:m".into(),
                        facts: checked.facts,
                    });
                    current = candidate;
                    withdrawn = wd.or(withdrawn.filter(|_| candidate.is_none()));
                }
            }
        }
    }

    #[test]
    fn a_lower_or_conflicting_governance_is_refused() {
        let mut f = facts(2);
        let r = Record {
            format: FORMAT.into(),
            index: 0,
            previous: None,
            first_seen: stamp(at(2)),
            action: "deploy".into(),
            release: "r".into(),
            manifest: "sha256:m".into(),
            facts: f.clone(),
        };
        let state = LogState::of(&[r]).unwrap();
        assert!(check(&state, &f, at(3)).violations.is_empty());
        f.governance.serial = 1;
        let v = check(&state, &f, at(3)).violations;
        assert_eq!(v[0].rule, Rule::GovernanceRollback);
        f.governance.serial = 2;
        f.governance.digest = "sha256:other".into();
        let v = check(&state, &f, at(3)).violations;
        assert_eq!(v[0].rule, Rule::GovernanceConflict);
        f.governance.serial = 3;
        assert!(check(&state, &f, at(3)).violations.is_empty());
        assert_eq!(
            check(&state, &f, at(1)).violations[0].rule,
            Rule::ClockBackwards
        );
    }
}
