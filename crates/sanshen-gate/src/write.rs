//! Writing the gate block back into an article (for `sanshen sign` and
//! `sanshen withdraw`). Pure: bytes in, bytes out. The signed bytes — and so
//! the digest — never change; every scalar is written quoted.

use crate::document::{self, DocError};

use ed25519_dalek::VerifyingKey;

use super::gateblock::{
    parse_document_gate, Gate, RawApproval, RawAssets, RawReturn, RawWithdrawal,
};
use super::keys::verify;
use super::messages::approval_message;
use super::yaml::yaml_quote;
use super::GateError;

/// The text of a gate block (empty when there is nothing to write).
pub fn render_gate(gate: &Gate) -> String {
    let mut out = String::new();
    if let Some(a) = gate.assets.as_ref().filter(|a| !a.paths.is_empty()) {
        out.push_str("assets:\n");
        for p in &a.paths {
            out.push_str(&format!("- {}\n", yaml_quote(p)));
        }
    }
    let field = |out: &mut String, first: &mut bool, key: &str, v: &Option<String>| {
        if let Some(v) = v {
            out.push_str(if *first { "- " } else { "  " });
            out.push_str(&format!("{key}: {}\n", yaml_quote(v)));
            *first = false;
        }
    };
    if !gate.approvals.is_empty() {
        out.push_str("approvals:\n");
        for a in &gate.approvals {
            let mut first = true;
            field(&mut out, &mut first, "reviewer", &a.reviewer);
            field(&mut out, &mut first, "level", &a.level);
            field(&mut out, &mut first, "signed_at", &a.signed_at);
            field(&mut out, &mut first, "digest", &a.digest);
            field(&mut out, &mut first, "signature", &a.signature);
            if first {
                out.push_str("- {}\n");
            }
        }
    }
    if !gate.returns.is_empty() {
        out.push_str("returns:\n");
        for r in &gate.returns {
            let mut first = true;
            field(&mut out, &mut first, "reviewer", &r.reviewer);
            field(&mut out, &mut first, "at", &r.at);
            field(&mut out, &mut first, "digest", &r.digest);
            field(&mut out, &mut first, "comment", &r.comment);
            field(&mut out, &mut first, "signature", &r.signature);
            if first {
                out.push_str("- {}\n");
            }
        }
    }
    if let Some(w) = &gate.withdrawn {
        out.push_str("withdrawn:\n");
        for (k, v) in [
            ("reviewer", &w.reviewer),
            ("at", &w.at),
            ("reason", &w.reason),
            ("signature", &w.signature),
        ] {
            if let Some(v) = v {
                out.push_str(&format!("  {k}: {}\n", yaml_quote(v)));
            }
        }
    }
    out
}

fn doc_error(file: &str, e: DocError) -> GateError {
    GateError::new(file, Some(e.line()), e.to_string(), e.help())
}

/// Apply `edit` to the gate block of the article `raw` and return the new
/// file bytes (BOM and CRLF line endings kept). `file` names the article in
/// errors. Refuses when the gate block cannot be read.
pub fn rewrite_gate(
    file: &str,
    raw: &[u8],
    edit: impl FnOnce(&mut Gate),
) -> Result<Vec<u8>, GateError> {
    let doc = document::parse(raw).map_err(|e| doc_error(file, e))?;
    let mut gate = parse_document_gate(file, &doc)?;
    edit(&mut gate);
    let text = document::normalise(raw).map_err(|e| doc_error(file, e))?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let close = doc.body_line.saturating_sub(2);
    let fm_end = doc.gate.as_ref().map(|g| g.line - 1).unwrap_or(close);
    if close >= lines.len() || fm_end > close {
        return Err(GateError::new(file, None, "无法定位审核区", ""));
    }
    let mut new = lines[..fm_end].concat();
    new.push_str(&render_gate(&gate));
    new.push_str(&lines[close..].concat());
    let crlf = raw.windows(2).any(|w| w == b"\r\n");
    let bom = raw.starts_with(b"\xEF\xBB\xBF");
    let mut styled = if crlf {
        new.replace('\n', "\r\n")
    } else {
        new.clone()
    };
    if bom {
        styled.insert(0, '\u{feff}');
    }
    let same = |bytes: &[u8]| {
        document::parse(bytes).is_ok_and(|d| {
            d.digest() == doc.digest()
                && d.gate.is_some()
                    == (gate.assets.as_ref().is_some_and(|a| !a.paths.is_empty())
                        || !gate.approvals.is_empty()
                        || !gate.returns.is_empty()
                        || gate.withdrawn.is_some())
        })
    };
    if same(styled.as_bytes()) {
        return Ok(styled.into_bytes());
    }
    if same(new.as_bytes()) {
        return Ok(new.into_bytes());
    }
    Err(GateError::new(
        file,
        None,
        "写入审核记录会改变文章内容（摘要），已停止",
        "请检查 front matter 的格式（审核区必须在 front matter 末尾）。",
    ))
}

/// Append one approval; every value is written quoted.
pub fn add_approval(
    file: &str,
    raw: &[u8],
    reviewer: &str,
    level: u8,
    signed_at: &str,
    digest: &str,
    signature: &str,
) -> Result<Vec<u8>, GateError> {
    rewrite_gate(file, raw, |g| {
        g.approvals.push(RawApproval {
            reviewer: Some(reviewer.to_string()),
            level: Some(level.to_string()),
            signed_at: Some(signed_at.to_string()),
            digest: Some(digest.to_string()),
            signature: Some(signature.to_string()),
            line: 0,
        })
    })
}

/// Whether approval `a` of the article at content path `path` names
/// `reviewer` and its signature verifies under `key` (the approval
/// message of spec §4, over the values as written).
pub fn signed_by(path: &str, a: &RawApproval, reviewer: &str, key: &VerifyingKey) -> bool {
    let (Some(id), Some(level), Some(at), Some(digest), Some(sig)) = (
        a.reviewer.as_deref(),
        a.level.as_deref(),
        a.signed_at.as_deref(),
        a.digest.as_deref(),
        a.signature.as_deref(),
    ) else {
        return false;
    };
    id == reviewer
        && verify(
            key,
            approval_message(path, digest, level, id, at).as_bytes(),
            sig,
        )
}

/// Remove the approvals for which `remove` holds; returns the new bytes
/// and the approvals removed. The rest of the gate block is kept.
pub fn remove_approvals(
    file: &str,
    raw: &[u8],
    remove: impl Fn(&RawApproval) -> bool,
) -> Result<(Vec<u8>, Vec<RawApproval>), GateError> {
    let mut removed = Vec::new();
    let out = rewrite_gate(file, raw, |g| {
        let (gone, kept): (Vec<RawApproval>, Vec<RawApproval>) = std::mem::take(&mut g.approvals)
            .into_iter()
            .partition(|a| remove(a));
        g.approvals = kept;
        removed = gone;
    })?;
    Ok((out, removed))
}

/// Set the `assets:` list (spec §2), written first in the gate block; an
/// empty list removes the key. The approvals and the withdrawal are kept.
pub fn set_assets(file: &str, raw: &[u8], paths: &[String]) -> Result<Vec<u8>, GateError> {
    rewrite_gate(file, raw, |g| {
        g.assets = (!paths.is_empty()).then(|| RawAssets {
            paths: paths.to_vec(),
            ..RawAssets::default()
        })
    })
}

/// Append one return (退回意见, spec §5a); every value is written quoted.
pub fn add_return(
    file: &str,
    raw: &[u8],
    reviewer: &str,
    at: &str,
    digest: &str,
    comment: &str,
    signature: &str,
) -> Result<Vec<u8>, GateError> {
    rewrite_gate(file, raw, |g| {
        g.returns.push(RawReturn {
            reviewer: Some(reviewer.to_string()),
            at: Some(at.to_string()),
            digest: Some(digest.to_string()),
            comment: Some(comment.to_string()),
            signature: Some(signature.to_string()),
            line: 0,
        })
    })
}

/// Set (or replace) the `withdrawn` block.
pub fn set_withdrawal(
    file: &str,
    raw: &[u8],
    reviewer: &str,
    at: &str,
    reason: &str,
    signature: &str,
) -> Result<Vec<u8>, GateError> {
    rewrite_gate(file, raw, |g| {
        g.withdrawn = Some(RawWithdrawal {
            reviewer: Some(reviewer.to_string()),
            at: Some(at.to_string()),
            reason: Some(reason.to_string()),
            signature: Some(signature.to_string()),
            line: 0,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_gate_block_without_changing_the_digest() {
        let raw = b"---\ntitle: t\nclass: A\n---\nbody\n";
        let before = document::parse(raw).unwrap().digest();
        let out = add_approval("f", raw, "zhang.san", 1, "T", &before, "c2ln").unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(
            text,
            format!("---\ntitle: t\nclass: A\napprovals:\n- reviewer: \"zhang.san\"\n  level: \"1\"\n  signed_at: \"T\"\n  digest: \"{before}\"\n  signature: \"c2ln\"\n---\nbody\n")
        );
        let d = document::parse(&out).unwrap();
        assert_eq!(d.digest(), before);
        let g = parse_document_gate("f", &d).unwrap();
        assert_eq!(g.approvals[0].level.as_deref(), Some("1"));
    }

    #[test]
    fn appends_before_withdrawn_and_keeps_crlf_and_bom() {
        let raw = "\u{feff}---\r\ntitle: t\r\nwithdrawn:\r\n  reviewer: a\r\n  at: x\r\n  reason: r\r\n  signature: s\r\n---\r\nbody\r\n";
        let out = add_approval("f", raw.as_bytes(), "b", 2, "T", "D", "S").unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(!text.replace("\r\n", "").contains('\n'));
        let d = document::parse(&out).unwrap();
        assert_eq!(
            d.digest(),
            document::parse(raw.as_bytes()).unwrap().digest()
        );
        let g = parse_document_gate("f", &d).unwrap();
        assert_eq!(g.approvals.len(), 1);
        assert_eq!(g.withdrawn.unwrap().reviewer.as_deref(), Some("a"));
    }

    #[test]
    fn withdrawal_reason_with_quotes_round_trips() {
        let raw = b"---\ntitle: t\n---\n";
        let out = set_withdrawal("f", raw, "li.si", "T", "信息\"有误\"\\", "S").unwrap();
        let d = document::parse(&out).unwrap();
        let g = parse_document_gate("f", &d).unwrap();
        assert_eq!(
            g.withdrawn.unwrap().reason.as_deref(),
            Some("信息\"有误\"\\")
        );
    }

    #[test]
    fn writes_the_assets_list_first_and_keeps_the_rest() {
        let raw = b"---\ntitle: t\napprovals:\n- reviewer: \"a\"\n---\nbody\n";
        let list = vec!["news/a b.png".to_string(), "news/c.pdf".to_string()];
        let out = set_assets("f", raw, &list).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(
            text,
            "---\ntitle: t\nassets:\n- \"news/a b.png\"\n- \"news/c.pdf\"\napprovals:\n- reviewer: \"a\"\n---\nbody\n"
        );
        let g = parse_document_gate("f", &document::parse(&out).unwrap()).unwrap();
        assert_eq!(g.assets.unwrap().paths, list);
        // Adding an approval and removing the list keep each other.
        let out2 = add_approval("f", &out, "b", 2, "T", "D", "S").unwrap();
        let g = parse_document_gate("f", &document::parse(&out2).unwrap()).unwrap();
        assert_eq!(g.assets.unwrap().paths, list);
        assert_eq!(g.approvals.len(), 2);
        let out3 = set_assets("f", &out2, &[]).unwrap();
        assert!(!String::from_utf8(out3).unwrap().contains("assets"));
        let bare = set_assets("f", b"---\ntitle: t\n---\n", &list).unwrap();
        assert!(String::from_utf8(bare)
            .unwrap()
            .ends_with("- \"news/c.pdf\"\n---\n"));
    }

    #[test]
    fn removes_only_the_approvals_asked_for() {
        let raw = b"---\ntitle: t\n---\nbody\n";
        let one = add_approval("f", raw, "a", 1, "T", "D", "S1").unwrap();
        let two = add_approval("f", &one, "b", 2, "T", "D", "S2").unwrap();
        let (out, gone) =
            remove_approvals("f", &two, |a| a.reviewer.as_deref() == Some("a")).unwrap();
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].signature.as_deref(), Some("S1"));
        let g = parse_document_gate("f", &document::parse(&out).unwrap()).unwrap();
        assert_eq!(g.approvals.len(), 1);
        assert_eq!(g.approvals[0].reviewer.as_deref(), Some("b"));
        let (out, _) = remove_approvals("f", &out, |_| true).unwrap();
        assert_eq!(out, raw.to_vec());
    }

    #[test]
    fn returns_go_after_approvals_and_keep_the_digest() {
        let raw = b"---\ntitle: t\napprovals:\n- reviewer: \"a\"\n---\nbody\n";
        let before = document::parse(raw).unwrap().digest();
        let out = add_return("f", raw, "b", "T", &before, "数字有误", "S").unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(
            text,
            format!("---\ntitle: t\napprovals:\n- reviewer: \"a\"\nreturns:\n- reviewer: \"b\"\n  at: \"T\"\n  digest: \"{before}\"\n  comment: \"数字有误\"\n  signature: \"S\"\n---\nbody\n")
        );
        let d = document::parse(&out).unwrap();
        assert_eq!(d.digest(), before);
        let out2 = set_withdrawal("f", &out, "c", "T", "r", "S").unwrap();
        let g = parse_document_gate("f", &document::parse(&out2).unwrap()).unwrap();
        assert_eq!(g.returns[0].comment.as_deref(), Some("数字有误"));
        assert!(g.withdrawn.is_some());
    }

    #[test]
    fn refuses_an_unreadable_gate_block() {
        let raw = b"---\napprovals:\n- reviewer: a\ntags: [x]\n---\n";
        assert!(add_approval("f", raw, "b", 1, "T", "D", "S").is_err());
    }
}
