//! Assigning reviewers to requirements (spec §6) and deciding what level a
//! new signature could usefully attest.

use chrono::{DateTime, FixedOffset};

pub use super::bipartite::assign;
use super::completion::{default_level, Board, DefaultLevel, LevelOption};
use super::facts::{section_of, ArticleFacts, Reviews};
use super::verdict::{level_label, ReqKind, Verdict};

fn matched(reqs: &[(ReqKind, Vec<String>)], distinct: bool) -> usize {
    let mut people: Vec<&str> = Vec::new();
    let cand: Vec<Vec<usize>> = reqs
        .iter()
        .map(|(_, ids)| {
            ids.iter()
                .map(|id| match people.iter().position(|p| p == id) {
                    Some(i) => i,
                    None => {
                        people.push(id);
                        people.len() - 1
                    }
                })
                .collect()
        })
        .collect();
    assign(&cand, people.len(), distinct)
        .iter()
        .filter(|a| a.is_some())
        .count()
}

/// The levels (ascending) at which a new, valid approval by `reviewer_id`
/// would meet one more requirement of the article. Empty if the reviewer is
/// unknown or could add nothing.
pub fn useful_levels(reviews: &Reviews, verdict: &Verdict, reviewer_id: &str) -> Vec<u8> {
    let Some(r) = reviews.keyring.get(reviewer_id) else {
        return Vec::new();
    };
    let base: Vec<(ReqKind, Vec<String>)> = verdict
        .requirements
        .iter()
        .map(|q| (q.kind.clone(), q.candidates.clone()))
        .collect();
    let now = matched(&base, verdict.distinct_reviewers);
    (1..=r.level)
        .filter(|&l| {
            let with: Vec<(ReqKind, Vec<String>)> = base
                .iter()
                .map(|(k, c)| {
                    let fits = match k {
                        ReqKind::Level(n) => *n == l,
                        ReqKind::Role(role) => *role == r.role,
                    };
                    let mut c = c.clone();
                    if fits && !c.iter().any(|x| x == &r.id) {
                        c.push(r.id.clone());
                    }
                    (k.clone(), c)
                })
                .collect();
            matched(&with, verdict.distinct_reviewers) > now
        })
        .collect()
}

/// Why `sanshen sign` refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRefusal {
    /// Why the signer cannot sign, in Chinese.
    pub message: String,
    /// What to do instead.
    pub help: String,
    /// When the default level is not clear: the levels to choose from
    /// (`--level N`); empty otherwise.
    pub options: Vec<LevelOption>,
}

fn refuse(message: impl Into<String>, help: impl Into<String>) -> SignRefusal {
    SignRefusal {
        message: message.into(),
        help: help.into(),
        options: Vec::new(),
    }
}

/// The level a new approval by `reviewer_id` should attest: `requested`
/// when given and useful (it meets one more requirement now, or leaves
/// fewer approvals to collect), else the default of
/// [`default_level`]: a level after which the rest of the
/// keyring can still complete the article. Refuses when the reviewer
/// cannot sign now, the approval would add nothing, or the default is not
/// clear (the refusal then lists the options).
pub fn choose_level(
    reviews: &Reviews,
    art: &ArticleFacts,
    verdict: &Verdict,
    reviewer_id: &str,
    requested: Option<u8>,
    now: DateTime<FixedOffset>,
) -> Result<u8, SignRefusal> {
    if let Some(e) = &verdict.gate_error {
        return Err(refuse(
            format!("审核区无法读取：{}", e.message),
            e.help.clone(),
        ));
    }
    if verdict.withdrawal.is_some() {
        return Err(refuse(
            "文章已撤稿（withdrawn），不能再签署审核",
            "如需重新发布，请先删除 withdrawn 记录，修改后重新送审。",
        ));
    }
    if art.draft {
        return Err(refuse(
            "文章仍是草稿（draft: true）：删除 draft 会改变文章内容，现在签署的审核届时将失效",
            "先删除 draft: true，再签署审核。",
        ));
    }
    if verdict.class.is_none() {
        return Err(refuse(
            "文章没有有效的信息类别 class（A、B 或 C），无法确定审核要求",
            "在 front matter 中写明 class: A、B 或 C。",
        ));
    }
    let Some(r) = reviews.keyring.get(reviewer_id) else {
        return Err(refuse(
            format!("`{reviewer_id}` 不在审核人名单（reviews/reviewers.yaml）中"),
            "请管理员把您加入名单并重新签署 governance.yaml。",
        ));
    };
    if r.revoked {
        return Err(refuse(
            format!("{}的密钥已吊销（revoked），不能签署", r.name),
            "请管理员为您换发新密钥。",
        ));
    }
    if !r.valid_at(&now) {
        return Err(refuse(
            format!(
                "{}的密钥当前不在有效期内（valid_from / valid_until）",
                r.name
            ),
            "请管理员更新审核人名单。",
        ));
    }
    let section = section_of(art.path);
    if !r.covers(section) {
        let list = r.sections.as_deref().unwrap_or_default().join("、");
        return Err(refuse(
            format!(
                "{}负责的栏目是「{list}」，不含「{section}」（scope）",
                r.name
            ),
            "请由负责该栏目的责任编辑审核。",
        ));
    }
    if verdict.requirements.iter().all(|q| q.met) {
        return Err(refuse(
            "文章已满足全部审核要求，再签署不会增加任何效力",
            "无需再签。",
        ));
    }
    let board = Board::new(reviews, verdict, section, &now);
    let help = || missing_help(reviews, verdict, &board, &r.id);
    match requested {
        Some(l) if l == 0 || l > 4 => Err(refuse(format!("审核级别 {l} 无效：只能是 1–4"), "")),
        Some(l) if l > r.level => Err(refuse(
            format!(
                "{}最高只能做第{}级审核，不能签第{l}级（level）",
                r.name, r.level
            ),
            "请由有权限的审核人签署。",
        )),
        Some(l) if !board.useful(r, l) => Err(refuse(
            format!("您签署的{}不会满足任何尚缺的审核要求", level_label(l)),
            help(),
        )),
        Some(l) => Ok(l),
        None => match default_level(&board, r) {
            DefaultLevel::Chosen(l) => Ok(l),
            DefaultLevel::Nothing => Err(refuse(
                format!(
                    "{}的审核不能满足尚缺的任何要求（每项要求须由不同的人完成）",
                    r.name
                ),
                help(),
            )),
            DefaultLevel::Ask(options) => Err(ask(&r.name, options)),
        },
    }
}

/// The refusal that lists the levels to choose from.
fn ask(name: &str, options: Vec<LevelOption>) -> SignRefusal {
    let lines: Vec<String> = options
        .iter()
        .map(|o| {
            let then = match o.remaining {
                Some(0) => "签后即满足全部审核要求".to_string(),
                Some(n) => format!("签后还需其他审核人 {n} 份签署"),
                None => "签后名单中其他审核人无法完成其余审核要求".to_string(),
            };
            format!("--level {}（{}）：{then}", o.level, level_label(o.level))
        })
        .collect();
    SignRefusal {
        message: format!(
            "无法替{name}自动选定审核级别：可选级别的结果不同，请指定——{}",
            lines.join("；")
        ),
        help: "请加 --level N 指定审核级别后重新运行。".to_string(),
        options,
    }
}

/// 「尚缺：第2级审核（网站分管领导）（可由 钱安全、赵区长 签署）。」
fn missing_help(reviews: &Reviews, verdict: &Verdict, board: &Board, except: &str) -> String {
    format!(
        "尚缺：{}。",
        missing_lines(reviews, verdict, board, Some(except)).join("、")
    )
}

/// Each requirement not met, with who can still sign it — never naming
/// `except` (the person who just signed or is signing), nor anyone whose
/// signature would not help: 「第2级审核（网站分管领导）（可由 钱安全 签署）」.
pub fn missing_lines(
    reviews: &Reviews,
    verdict: &Verdict,
    board: &Board,
    except: Option<&str>,
) -> Vec<String> {
    let next = board.next_signers(reviews, except);
    verdict
        .requirements
        .iter()
        .enumerate()
        .filter(|(_, q)| !q.met)
        .map(|(i, q)| {
            let names = names_of(reviews, next.get(i).map(Vec::as_slice).unwrap_or(&[]));
            if names.is_empty() {
                format!(
                    "{}（名单中暂无{}可签此项的审核人）",
                    q.label,
                    if except.is_some() { "其他" } else { "" }
                )
            } else {
                format!("{}（可由 {} 签署）", q.label, names.join("、"))
            }
        })
        .collect()
}

/// The keyring names of `ids`.
pub fn names_of(reviews: &Reviews, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            reviews
                .keyring
                .get(id)
                .map(|r| r.name.clone())
                .unwrap_or_else(|| id.clone())
        })
        .collect()
}
