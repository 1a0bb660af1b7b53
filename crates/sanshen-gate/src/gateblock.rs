//! Reading the gate block (spec §1): a YAML mapping whose only keys are
//! `assets` (a list of content paths, spec §2), `approvals` (a list),
//! `returns` (a list of 退回意见, spec §5a) and `withdrawn` (a mapping). Scalars are kept as the
//! text written, so the signed messages can be rebuilt byte for byte.

use serde::Deserialize;

use crate::document::{Document, GateBlock};

use super::yaml::{self, Text};
use super::GateError;

/// One approval as written; a missing key is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawApproval {
    /// `reviewer`, as written.
    pub reviewer: Option<String>,
    /// `level`, as written.
    pub level: Option<String>,
    /// `signed_at`, as written.
    pub signed_at: Option<String>,
    /// `digest`, as written.
    pub digest: Option<String>,
    /// `signature`, as written.
    pub signature: Option<String>,
    /// 1-based line of the item in the article file.
    pub line: usize,
}

impl RawApproval {
    /// The level as 1–4, when written exactly so.
    pub fn level_number(&self) -> Option<u8> {
        match self.level.as_deref() {
            Some("1") => Some(1),
            Some("2") => Some(2),
            Some("3") => Some(3),
            Some("4") => Some(4),
            _ => None,
        }
    }
}

/// The `withdrawn` block as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawWithdrawal {
    /// `reviewer`, as written.
    pub reviewer: Option<String>,
    /// `at`, as written.
    pub at: Option<String>,
    /// `reason`, as written.
    pub reason: Option<String>,
    /// `signature`, as written.
    pub signature: Option<String>,
    /// 1-based line of `withdrawn:` in the article file.
    pub line: usize,
}

/// One return (退回意见, spec §5a) as written; a missing key is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawReturn {
    /// `reviewer`, as written.
    pub reviewer: Option<String>,
    /// `at`, as written.
    pub at: Option<String>,
    /// `digest` (the version returned), as written.
    pub digest: Option<String>,
    /// `comment`, as written.
    pub comment: Option<String>,
    /// `signature`, as written.
    pub signature: Option<String>,
    /// 1-based line of the item in the article file.
    pub line: usize,
}

/// The `assets:` list as written (spec §2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawAssets {
    /// The content paths, in file order, as written.
    pub paths: Vec<String>,
    /// 1-based line of each entry in the article file (the `assets:` line
    /// when an entry's own line is not known, e.g. in flow style).
    pub lines: Vec<usize>,
    /// 1-based line of `assets:` in the article file.
    pub line: usize,
}

/// A parsed gate block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gate {
    /// The `assets:` list, if present.
    pub assets: Option<RawAssets>,
    /// The `approvals:` items, in file order.
    pub approvals: Vec<RawApproval>,
    /// The `returns:` items (退回意见), in file order.
    pub returns: Vec<RawReturn>,
    /// The `withdrawn:` block, if any.
    pub withdrawn: Option<RawWithdrawal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct De {
    assets: Option<Vec<Text>>,
    approvals: Option<Vec<ApprovalDe>>,
    returns: Option<Vec<ReturnDe>>,
    withdrawn: Option<WithdrawalDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnDe {
    reviewer: Option<Text>,
    at: Option<Text>,
    digest: Option<Text>,
    comment: Option<Text>,
    signature: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApprovalDe {
    reviewer: Option<Text>,
    level: Option<Text>,
    signed_at: Option<Text>,
    digest: Option<Text>,
    signature: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawalDe {
    reviewer: Option<Text>,
    at: Option<Text>,
    reason: Option<Text>,
    signature: Option<Text>,
}

const HELP: &str =
    "审核区（gate block）必须放在 front matter 的最后，只能包含 assets、approvals、returns 和 withdrawn 四项；\
普通字段（title、tags 等）请移到 assets: 或 approvals: 之前。审核记录请用 `sanshen sign` 写入，不要手工编辑。";

fn text(t: Option<Text>) -> Option<String> {
    t.map(|t| t.0)
}

/// The gate of a document: empty when it has no gate block.
pub fn parse_document_gate(file: &str, doc: &Document) -> Result<Gate, GateError> {
    match &doc.gate {
        Some(block) => parse_gate(file, block),
        None => Ok(Gate::default()),
    }
}

/// The `assets:` list of a document, leniently: empty when there is none
/// or the gate block cannot be read (the judge then holds the article).
pub fn listed_assets(doc: &Document) -> Vec<String> {
    parse_document_gate("", doc)
        .ok()
        .and_then(|g| g.assets)
        .map(|a| a.paths)
        .unwrap_or_default()
}

/// Parse a gate block; `file` names the article in errors
/// (e.g. `content/news/a.md`).
pub fn parse_gate(file: &str, block: &GateBlock) -> Result<Gate, GateError> {
    let src = block.text.as_str();
    let de: De = yaml::from_str_at(src, block.line).map_err(|e| e.into_gate(file, HELP))?;
    let lines: Vec<&str> = src.lines().collect();
    let top = |key: &str| lines.iter().position(|l| l.starts_with(key));
    let withdrawn_at = top("withdrawn:");
    let empty = de.withdrawn.as_ref().is_none_or(|w| {
        w.reviewer.is_none() && w.at.is_none() && w.reason.is_none() && w.signature.is_none()
    });
    if empty {
        // `withdrawn:` and `withdrawn: {}` alike: a withdrawal that says
        // nothing (the writer could not write it back the same way).
        if let Some(i) = withdrawn_at {
            return Err(GateError::new(
                file,
                Some(block.line + i),
                "withdrawn 为空：撤稿记录必须写明 reviewer、at、reason、signature",
                "请用 `sanshen withdraw` 生成撤稿记录。",
            ));
        }
    }
    let items = de.approvals.unwrap_or_default();
    let approvals_at = top("approvals:").unwrap_or(0);
    let item_lines = list_item_lines(&lines, approvals_at);
    let approvals = items
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let at = item_lines.get(i).copied().unwrap_or(approvals_at);
            RawApproval {
                reviewer: text(a.reviewer),
                level: text(a.level),
                signed_at: text(a.signed_at),
                digest: text(a.digest),
                signature: text(a.signature),
                line: block.line + at,
            }
        })
        .collect::<Vec<_>>();
    let item_lines_ok = item_lines.len() == approvals.len();
    let approvals = if item_lines_ok {
        approvals
    } else {
        approvals
            .into_iter()
            .map(|a| RawApproval {
                line: block.line + approvals_at,
                ..a
            })
            .collect()
    };
    let assets = de.assets.map(|list| {
        let at = top("assets:").unwrap_or(0);
        let item_lines = list_item_lines(&lines, at);
        let ok = item_lines.len() == list.len();
        RawAssets {
            lines: (0..list.len())
                .map(|i| block.line + if ok { item_lines[i] } else { at })
                .collect(),
            paths: list.into_iter().map(|t| t.0).collect(),
            line: block.line + at,
        }
    });
    let returns_at = top("returns:").unwrap_or(0);
    let return_lines = list_item_lines(&lines, returns_at);
    let return_items = de.returns.unwrap_or_default();
    let return_lines_ok = return_lines.len() == return_items.len();
    let returns = return_items
        .into_iter()
        .enumerate()
        .map(|(i, r)| RawReturn {
            reviewer: text(r.reviewer),
            at: text(r.at),
            digest: text(r.digest),
            comment: text(r.comment),
            signature: text(r.signature),
            line: block.line
                + if return_lines_ok {
                    return_lines[i]
                } else {
                    returns_at
                },
        })
        .collect();
    let withdrawn = de.withdrawn.map(|w| RawWithdrawal {
        reviewer: text(w.reviewer),
        at: text(w.at),
        reason: text(w.reason),
        signature: text(w.signature),
        line: block.line + withdrawn_at.unwrap_or(0),
    });
    Ok(Gate {
        assets,
        approvals,
        returns,
        withdrawn,
    })
}

/// 0-based indices of the list items under the column-0 key at `start`.
fn list_item_lines(lines: &[&str], start: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut indent = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let ind = line.len() - body.len();
        if ind == 0 && !body.starts_with('-') {
            break;
        }
        if body == "-" || body.starts_with("- ") {
            let want = *indent.get_or_insert(ind);
            if ind == want {
                out.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document;

    #[test]
    fn reads_returns_with_their_lines() {
        let g = gate_of(
            "---\ntitle: t\napprovals:\n- reviewer: a\nreturns:\n- reviewer: \"leader\"\n  at: \"T\"\n  digest: \"sha256:00\"\n  comment: \"第二段数字有误\"\n  signature: \"S\"\n---\n",
        )
        .unwrap();
        assert_eq!(g.returns.len(), 1);
        let r = &g.returns[0];
        assert_eq!(r.reviewer.as_deref(), Some("leader"));
        assert_eq!(r.comment.as_deref(), Some("第二段数字有误"));
        assert_eq!(r.line, 6);
        assert!(gate_of("---\nreturns:\n- reviewer: a\n  extra: b\n---\n").is_err());
    }

    fn gate_of(src: &str) -> Result<Gate, GateError> {
        let doc = document::parse(src.as_bytes()).unwrap();
        parse_document_gate("content/news/x.md", &doc)
    }

    #[test]
    fn reads_items_with_their_lines_and_text() {
        let g = gate_of(
            "---\ntitle: t\napprovals:\n- reviewer: a\n  level: 1\n  signed_at: \"T\"\n- reviewer: \"b\"\n  level: \"2\"\nwithdrawn:\n  reviewer: c\n  at: x\n  reason: \"r\"\n  signature: s\n---\n",
        )
        .unwrap();
        assert_eq!(g.approvals.len(), 2);
        assert_eq!(g.approvals[0].line, 4);
        assert_eq!(g.approvals[1].line, 7);
        assert_eq!(g.approvals[0].level.as_deref(), Some("1"));
        assert_eq!(g.approvals[1].level_number(), Some(2));
        assert_eq!(g.approvals[0].digest, None);
        let w = g.withdrawn.unwrap();
        assert_eq!(w.line, 9);
        assert_eq!(w.reason.as_deref(), Some("r"));
    }

    #[test]
    fn ordinary_key_after_gate_block_names_its_line() {
        let e = gate_of("---\ntitle: t\napprovals:\n- reviewer: a\ntags: [x]\n---\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert_eq!(e.file, "content/news/x.md");
        assert!(e.message.contains("tags"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = gate_of("---\napprovals:\n- reviewer: a\n  reviewer: b\n---\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        let e =
            gate_of("---\napprovals: []\nwithdrawn:\n  at: x\napprovals: []\n---\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
    }

    #[test]
    fn wrong_shapes_are_errors() {
        assert!(gate_of("---\napprovals: yes\n---\n").is_err());
        assert!(gate_of("---\nwithdrawn: true\n---\n").is_err());
        assert!(gate_of("---\nwithdrawn:\n---\n").is_err());
        assert!(gate_of("---\nwithdrawn: {}\n---\n").is_err());
        assert!(gate_of("---\napprovals:\n- reviewer: [a]\n---\n").is_err());
        assert!(gate_of("---\napprovals:\n- note: x\n---\n").is_err());
        assert!(gate_of("---\napprovals: [unclosed\n---\n").is_err());
        let g = gate_of("---\napprovals:\n---\n").unwrap();
        assert!(g.approvals.is_empty() && g.withdrawn.is_none());
    }

    #[test]
    fn reads_the_assets_list_with_lines() {
        let g = gate_of(
            "---\ntitle: t\nassets:\n- \"news/a.png\"\n- news/b.pdf\napprovals:\n- reviewer: a\n---\n",
        )
        .unwrap();
        let a = g.assets.unwrap();
        assert_eq!(a.paths, vec!["news/a.png", "news/b.pdf"]);
        assert_eq!(a.lines, vec![4, 5]);
        assert_eq!(a.line, 3);
        assert_eq!(g.approvals[0].line, 7);
        assert!(gate_of("---\nassets: yes\n---\n").is_err());
        assert!(gate_of("---\nassets:\n- [x]\n---\n").is_err());
        let g = gate_of("---\nassets: []\n---\n").unwrap();
        assert_eq!(g.assets.unwrap().paths, Vec::<String>::new());
    }

    #[test]
    fn flow_style_items_fall_back_to_the_block_line() {
        let g = gate_of("---\napprovals: [{reviewer: a}, {reviewer: b}]\n---\n").unwrap();
        assert_eq!(g.approvals.len(), 2);
        assert_eq!(g.approvals[1].line, 2);
    }
}
