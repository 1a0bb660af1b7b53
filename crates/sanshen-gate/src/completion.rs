//! Planning, never judging: can the keyring still complete an article, and
//! with how many more approvals? `sanshen sign` uses it to pick a default
//! level that leaves no dead end, and the reports to name who can sign
//! next. Whether an article is approved is decided by [`crate::judge`]
//! alone (spec §6).

use chrono::{DateTime, FixedOffset};

use super::bipartite::assign;
use super::facts::Reviews;
use super::keyring::Reviewer;
use super::verdict::{ReqKind, Verdict};

/// Beyond this many requirements the exact search is skipped (policies
/// have a handful).
const EXACT_LIMIT: usize = 16;

#[derive(Debug, Clone)]
struct Person {
    id: String,
    /// Requirements met by this person's counting approvals.
    has: Vec<bool>,
    /// Requirements this person could meet by signing now.
    can: Vec<bool>,
}

/// The requirements of one article, the people who met or could meet
/// each, and whether they must be distinct.
#[derive(Debug, Clone)]
pub struct Board {
    reqs: Vec<ReqKind>,
    distinct: bool,
    people: Vec<Person>,
}

/// Whether `r` may sign an article of `section` at `now`.
pub fn eligible(r: &Reviewer, section: &str, now: &DateTime<FixedOffset>) -> bool {
    !r.revoked && r.valid_at(now) && r.covers(section)
}

/// Whether an approval by `r` at `level` meets a requirement of kind `k`.
fn fits(k: &ReqKind, r: &Reviewer, level: u8) -> bool {
    match k {
        ReqKind::Level(n) => *n == level,
        ReqKind::Role(role) => *role == r.role,
    }
}

impl Board {
    /// The board of a judged article: counting approvals as judged, and
    /// every reviewer who may sign the article's `section` at `now`.
    pub fn new(
        reviews: &Reviews,
        verdict: &Verdict,
        section: &str,
        now: &DateTime<FixedOffset>,
    ) -> Board {
        let reqs: Vec<ReqKind> = verdict
            .requirements
            .iter()
            .map(|q| q.kind.clone())
            .collect();
        let mut b = Board {
            distinct: verdict.distinct_reviewers,
            people: Vec::new(),
            reqs,
        };
        for (i, q) in verdict.requirements.iter().enumerate() {
            for id in &q.candidates {
                let p = b.person(id);
                b.people[p].has[i] = true;
            }
        }
        for r in reviews.keyring.reviewers.iter() {
            if !eligible(r, section, now) {
                continue;
            }
            let p = b.person(&r.id);
            for (i, k) in b.reqs.iter().enumerate() {
                b.people[p].can[i] = match k {
                    ReqKind::Level(n) => *n <= r.level,
                    ReqKind::Role(role) => *role == r.role,
                };
            }
        }
        b
    }

    fn person(&mut self, id: &str) -> usize {
        if let Some(i) = self.people.iter().position(|p| p.id == id) {
            return i;
        }
        let n = self.reqs.len();
        self.people.push(Person {
            id: id.to_string(),
            has: vec![false; n],
            can: vec![false; n],
        });
        self.people.len() - 1
    }

    /// The board after `r` signs at `level` (the approval counts).
    pub fn with_approval(&self, r: &Reviewer, level: u8) -> Board {
        let mut b = self.clone();
        let p = b.person(&r.id);
        for (i, k) in self.reqs.iter().enumerate() {
            if fits(k, r, level) {
                b.people[p].has[i] = true;
            }
        }
        b
    }

    /// The board where `id` will sign nothing more.
    pub fn without_future(&self, id: &str) -> Board {
        let mut b = self.clone();
        for p in b.people.iter_mut().filter(|p| p.id == id) {
            p.can.iter_mut().for_each(|c| *c = false);
        }
        b
    }

    fn candidates(&self, use_future: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
        (0..self.reqs.len())
            .map(|q| {
                (0..self.people.len())
                    .filter(|&p| {
                        let x = &self.people[p];
                        x.has[q] || (use_future(q) && x.can[q])
                    })
                    .collect()
            })
            .collect()
    }

    /// Requirements met now (the judge's count).
    pub fn met(&self) -> usize {
        let cand = self.candidates(|_| false);
        let got = assign(&cand, self.people.len(), self.distinct);
        got.iter().filter(|a| a.is_some()).count()
    }

    /// The fewest further approvals that complete the article, or `None`
    /// when the people on the board cannot complete it.
    pub fn remaining(&self) -> Option<usize> {
        let n = self.reqs.len();
        if !self.distinct {
            let mut more = 0;
            for q in 0..n {
                if self.people.iter().any(|p| p.has[q]) {
                    continue;
                }
                self.people.iter().any(|p| p.can[q]).then_some(())?;
                more += 1;
            }
            return Some(more);
        }
        let perfect = |cand: &[Vec<usize>]| {
            assign(cand, self.people.len(), true)
                .iter()
                .all(Option::is_some)
        };
        if !perfect(&self.candidates(|_| true)) {
            return None;
        }
        if n > EXACT_LIMIT {
            return Some(n - self.met());
        }
        // The most requirements met by approvals already given, in a
        // complete assignment: every subset, largest first.
        let mut masks: Vec<u32> = (0..1u32 << n).collect();
        masks.sort_by_key(|m| std::cmp::Reverse(m.count_ones()));
        masks
            .into_iter()
            .find(|&m| perfect(&self.candidates(|q| m & (1 << q) == 0)))
            .map(|m| n - m.count_ones() as usize)
    }

    /// Whether an approval by `r` at `level` is progress: it meets one
    /// more requirement now, or leaves fewer approvals to collect.
    pub fn useful(&self, r: &Reviewer, level: u8) -> bool {
        let after = self.with_approval(r, level);
        after.met() > self.met() || fewer(after.remaining(), self.remaining())
    }

    /// For each requirement not met now, the ids of the eligible people
    /// (other than `except`) whose approval for it would be progress.
    pub fn next_signers(&self, reviews: &Reviews, except: Option<&str>) -> Vec<Vec<String>> {
        let cand = self.candidates(|_| false);
        let now_met: Vec<bool> = assign(&cand, self.people.len(), self.distinct)
            .iter()
            .map(Option::is_some)
            .collect();
        (0..self.reqs.len())
            .map(|q| {
                if now_met[q] {
                    return Vec::new();
                }
                self.people
                    .iter()
                    .filter(|p| p.can[q] && Some(p.id.as_str()) != except)
                    .filter_map(|p| reviews.keyring.get(&p.id))
                    .filter(|r| {
                        let level = match &self.reqs[q] {
                            ReqKind::Level(n) => *n,
                            ReqKind::Role(_) => r.level,
                        };
                        self.useful(r, level)
                    })
                    .map(|r| r.id.clone())
                    .collect()
            })
            .collect()
    }

    /// Eligible people other than `id` who could meet requirement `q`.
    fn others_for(&self, q: usize, id: &str) -> usize {
        self.people
            .iter()
            .filter(|p| p.id != id && (p.can[q] || p.has[q]))
            .count()
    }
}

/// `a < b`, where `None` is "never".
fn fewer(a: Option<usize>, b: Option<usize>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        _ => false,
    }
}

/// One level a signer could sign, and what it leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelOption {
    /// The level.
    pub level: u8,
    /// Further approvals the rest of the keyring needs to complete the
    /// article after this one; `None`: they cannot complete it.
    pub remaining: Option<usize>,
}

/// What the default level is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultLevel {
    /// This level keeps the article completable and is the clear choice.
    Chosen(u8),
    /// No clear choice (none keeps it completable, or several do with
    /// different outcomes): the signer must say `--level N`.
    Ask(Vec<LevelOption>),
    /// No level is progress.
    Nothing,
}

/// The level `r` should sign by default, among the useful ones: one after
/// which the rest of the keyring (others, when reviewers must be distinct)
/// can still complete the article, needing the fewest further approvals;
/// then the requirement fewest others could meet (take what only you can
/// do); then the higher level (the signer's own reads naturally).
pub fn default_level(board: &Board, r: &Reviewer) -> DefaultLevel {
    let rest = |b: &Board| {
        if board.distinct {
            b.without_future(&r.id)
        } else {
            b.clone()
        }
    };
    let before_ok = board.remaining().is_some();
    let mut options: Vec<(LevelOption, usize, Vec<String>)> = Vec::new();
    for level in (1..=r.level).filter(|&l| board.useful(r, l)) {
        let after = rest(&board.with_approval(r, level));
        let remaining = after.remaining();
        let scarcity = (0..board.reqs.len())
            .filter(|&q| fits(&board.reqs[q], r, level))
            .map(|q| board.others_for(q, &r.id))
            .min()
            .unwrap_or(usize::MAX);
        let completers: Vec<String> = after
            .next_signers_ids()
            .into_iter()
            .filter(|id| *id != r.id)
            .collect();
        options.push((LevelOption { level, remaining }, scarcity, completers));
    }
    if options.is_empty() {
        return DefaultLevel::Nothing;
    }
    let all: Vec<LevelOption> = options.iter().map(|o| o.0.clone()).collect();
    if options.iter().all(|o| o.0.remaining.is_none()) {
        if before_ok || options.len() > 1 {
            return DefaultLevel::Ask(all);
        }
        return DefaultLevel::Chosen(options[0].0.level);
    }
    options.retain(|o| o.0.remaining.is_some());
    let key = |o: &(LevelOption, usize, Vec<String>)| (o.0.remaining, o.1);
    let best = options.iter().map(key).min().unwrap_or((None, 0));
    let top: Vec<&(LevelOption, usize, Vec<String>)> =
        options.iter().filter(|o| key(o) == best).collect();
    let differ = top.windows(2).any(|w| w[0].2 != w[1].2);
    if differ {
        return DefaultLevel::Ask(all);
    }
    match top.iter().map(|o| o.0.level).max() {
        Some(l) => DefaultLevel::Chosen(l),
        None => DefaultLevel::Ask(all),
    }
}

impl Board {
    /// Ids of people who could still sign something useful, sorted.
    fn next_signers_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for p in &self.people {
            let can_help = (0..self.reqs.len()).any(|q| {
                p.can[q] && {
                    let mut b = self.clone();
                    let i = b.person(&p.id);
                    b.people[i].has[q] = true;
                    b.met() > self.met() || fewer(b.remaining(), self.remaining())
                }
            });
            if can_help {
                ids.push(p.id.clone());
            }
        }
        ids.sort();
        ids
    }
}
