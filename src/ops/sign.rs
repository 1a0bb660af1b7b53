//! Signing an approval (签署审核): check that the signer may sign the
//! article at a useful level, let the caller confirm, then append the
//! signed approval to the gate block — every other byte of the file stays
//! as it was.

use std::fs;
use std::io;
use std::path::Path;

use super::signing::{self, Signing, SigningError};
use super::signview::SignView;
use super::site::{self, SiteOpts};
use super::Error;
use crate::diag::Diagnostic;
use crate::document;
use crate::gate::{self, Code};
use crate::publish::{self, Decision};
use crate::reviews;

/// What to sign.
#[derive(Debug, Clone)]
pub struct SignRequest<'a> {
    pub site: &'a SiteOpts,
    /// The article file (relative to the current directory, or absolute).
    pub article: &'a Path,
    /// The signer (`signing::load_signer`: a key file or ssh-agent).
    pub key: &'a dyn signing::Signer,
    /// The review level; `None`: the lowest useful level the signer can sign.
    pub level: Option<u8>,
}

/// What is about to be signed, shown to the signer before confirming.
pub struct Plan<'a> {
    pub signing: &'a Signing,
    pub level: u8,
    /// The digest that will be signed (with the `assets` list below).
    pub digest: &'a str,
    /// The `assets` list written before signing (spec §2).
    pub assets: &'a [String],
    /// The text, hosts, attachments and findings to show.
    pub view: SignView,
}

/// The approval written.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The article file, relative to the site root.
    pub file: String,
    pub reviewer_name: String,
    pub level: u8,
    pub signed_at: String,
    /// The article judged again with the new gate block.
    pub after: Option<Decision>,
    /// Each requirement still missing, with who (other than the signer)
    /// can sign it.
    pub missing: Vec<String>,
}

/// Why nothing was signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// The article's gate block cannot be read.
    #[error("gate block unreadable: {0}")]
    GateUnreadable(Diagnostic),
    /// The signer cannot add a useful approval (level, role, section,
    /// validity, already signed, withdrawn…).
    #[error("{message}")]
    Refused { message: String, help: String },
    /// No level was given and the default is not clear: the signer must
    /// choose one of `options` (`--level N`).
    #[error("{message}")]
    ChooseLevel {
        message: String,
        options: Vec<gate::LevelOption>,
    },
    /// The confirmation could not be asked.
    #[error("not confirmed: {0}")]
    NotConfirmed(String),
    /// The signer said no.
    #[error("cancelled")]
    Cancelled,
    #[error("cannot read {file}: {source}")]
    Read { file: String, source: io::Error },
    /// The file changed between judging and signing.
    #[error("the article changed after it was shown")]
    Changed,
    /// The gate block could not be rewritten.
    #[error("{0}")]
    Gate(Diagnostic),
    #[error("cannot write {file}: {source}")]
    Write { file: String, source: io::Error },
}

impl From<SignError> for Error {
    fn from(e: SignError) -> Self {
        match e {
            SignError::Signing(e) => e.into(),
            SignError::GateUnreadable(d) => Error::after("拒绝签署：文章的审核区无法读取", d),
            SignError::Refused { message, help } => Error::refused("拒绝签署", message, help),
            SignError::ChooseLevel { message, .. } => {
                Error::refused("未签署", message, "请加 --level N 指定审核级别后重新运行。")
            }
            SignError::NotConfirmed(m) => Error::refused("未签署", m, ""),
            SignError::Cancelled => Error::Unsuccessful("已取消，文章未改动。".into()),
            SignError::Read { file, source } => {
                Diagnostic::new(&file, format!("无法读取文件：{source}")).into()
            }
            SignError::Changed => Error::refused(
                "拒绝签署",
                "文章在显示之后被修改了，签署的不是您看到的版本",
                "请重新运行 sanshen sign。",
            ),
            SignError::Gate(d) => d.into(),
            SignError::Write { file, source } => {
                Diagnostic::new(&file, format!("无法写入文件：{source}")).into()
            }
        }
    }
}

/// Sign the article. `confirm` sees the plan and decides: `Ok(true)` to
/// sign, `Ok(false)` to cancel, `Err(why)` when it could not ask.
pub fn sign(
    req: &SignRequest,
    confirm: impl FnOnce(&Plan) -> Result<bool, String>,
) -> Result<Signed, SignError> {
    let s = signing::prepare(
        req.site,
        req.article,
        req.key,
        "不能签署（文件名或目录以 . 开头，或不在栏目中）",
    )?;
    let article = s.article();
    let decision = s.decision();
    let reviewer = s.reviewer();
    let judged = &s.judged;
    let input = crate::publish::GateInput::of(&judged.site, article, decision.assets.clone());
    if let Some(e) = input
        .error
        .as_ref()
        .or(decision.verdict.gate_error.as_ref())
    {
        return Err(SignError::GateUnreadable(reviews::diagnostic(e.clone())));
    }
    let path = req.site.root.join(&article.file);
    let raw = fs::read(&path).map_err(|source| SignError::Read {
        file: article.file.clone(),
        source,
    })?;
    if document::parse(&raw).map(|d| d.digest()).ok() != Some(article.doc.digest()) {
        return Err(SignError::Changed);
    }
    // The `assets` list is what the article references now (spec §2): it
    // is written first, so the digest signed covers those files.
    let list = decision.assets.referenced.clone();
    let (raw, after_list) = if gate::listed_assets(&article.doc) == list {
        (raw, decision.clone())
    } else {
        let new = gate::set_assets(&article.file, &raw, &list)
            .map_err(|e| SignError::Gate(reviews::diagnostic(e)))?;
        let d = judge_again(&s, &new).ok_or(SignError::Changed)?;
        (new, d)
    };
    let mut listed_article = article.clone();
    listed_article.doc = document::parse(&raw).map_err(|_| SignError::Changed)?;
    let listed_input =
        crate::publish::GateInput::of(&judged.site, &listed_article, decision.assets.clone());
    let facts = listed_input.facts(&listed_article);
    let level = gate::choose_level(
        &judged.reviews,
        &facts,
        &after_list.verdict,
        &reviewer.id,
        req.level,
        judged.now,
    )
    .map_err(|r| match r.options.is_empty() {
        true => SignError::Refused {
            message: r.message,
            help: r.help,
        },
        false => SignError::ChooseLevel {
            message: r.message,
            options: r.options,
        },
    })?;
    let digest = after_list.verdict.digest.clone();
    if digest.is_empty() {
        return Err(SignError::Refused {
            message: "文章引用的图片或附件无法读取，无法计算摘要".into(),
            help: "检查 content/ 下的文件是否存在、是否为普通文件（不是符号链接）。".into(),
        });
    }
    let plan = Plan {
        signing: &s,
        level,
        digest: &digest,
        assets: &list,
        view: super::signview::view(&s, &req.site.root, &list),
    };
    match confirm(&plan) {
        Ok(true) => {}
        Ok(false) => return Err(SignError::Cancelled),
        Err(m) => return Err(SignError::NotConfirmed(m)),
    }
    // Nothing signed may have changed since it was judged: the article's
    // bytes and every listed file.
    let now_raw = fs::read(&path).map_err(|source| SignError::Read {
        file: article.file.clone(),
        source,
    })?;
    if document::parse(&now_raw).map(|d| d.digest()).ok() != Some(article.doc.digest()) {
        return Err(SignError::Changed);
    }
    for p in &list {
        let file = req.site.root.join(crate::content::CONTENT_DIR).join(p);
        let now_hash = fs::read(&file).ok().map(|b| document::sha256_hex(&b));
        let judged_hash = match decision.assets.files.get(p) {
            Some(gate::AssetFile::Regular(h)) => Some(h.clone()),
            _ => None,
        };
        if now_hash.is_none() || now_hash != judged_hash {
            return Err(SignError::Changed);
        }
    }
    let signed_at = site::timestamp(&judged.now);
    let message = gate::approval_message(
        &s.rel,
        &digest,
        &level.to_string(),
        &reviewer.id,
        &signed_at,
    );
    let signature = super::keys::sign_text(req.key, &message).map_err(SigningError::from)?;
    let new = gate::add_approval(
        &article.file,
        &raw,
        &reviewer.id,
        level,
        &signed_at,
        &digest,
        &signature,
    )
    .map_err(|e| SignError::Gate(reviews::diagnostic(e)))?;
    super::files::write_atomic(&path, &new).map_err(|source| SignError::Write {
        file: article.file.clone(),
        source,
    })?;
    let after = judge_again(&s, &new);
    let missing = after
        .as_ref()
        .map(|d| {
            let board = gate::Board::new(
                &judged.reviews,
                &d.verdict,
                gate::section_of(&s.rel),
                &judged.now,
            );
            gate::missing_lines(&judged.reviews, &d.verdict, &board, Some(&reviewer.id))
        })
        .unwrap_or_default();
    Ok(Signed {
        file: article.file.clone(),
        reviewer_name: reviewer.name.clone(),
        level,
        signed_at,
        after,
        missing,
    })
}

/// The article judged again with the new gate block.
fn judge_again(s: &Signing, new: &[u8]) -> Option<Decision> {
    let judged = &s.judged;
    let mut article = s.article().clone();
    article.doc = document::parse(new).ok()?;
    let mut d = publish::judge(
        &judged.site,
        &judged.reviews,
        &judged.rules,
        &article,
        s.decision().assets.clone(),
        judged.now,
    );
    // Signing changes only the gate block: what the whole-site judging
    // found in the body (a dead link, a rule hit in a referenced file)
    // still holds the article, so the signer is never told it will publish
    // when the build would hold it.
    for r in &s.decision().reasons {
        let body_reason = matches!(
            r.word,
            Code::DeadLink
                | Code::RawHtml
                | Code::Secrecy
                | Code::PersonalData
                | Code::ForbiddenWord
                | Code::ForbiddenHost
                | Code::Typo
                | Code::AltText
        ) || crate::rules::is_unreadable_attachment(r);
        if body_reason && !d.reasons.contains(r) {
            d.reasons.push(r.clone());
            d.publish = false;
        }
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testsite::TestSite;

    fn request<'a>(
        site: &'a SiteOpts,
        article: &'a Path,
        key: &'a dyn signing::Signer,
    ) -> SignRequest<'a> {
        SignRequest {
            site,
            article,
            key,
            level: None,
        }
    }

    #[test]
    fn signs_the_lowest_missing_level_and_judges_again() {
        let s = TestSite::new();
        let a = s.article("a.md", "B", "B类文章");
        let before = s.read("content/news/a.md");
        let opts = s.opts();
        let editor = s.signer("editor");
        let mut shown = None;
        let signed = sign(&request(&opts, &a, &editor), |plan| {
            shown = Some((plan.level, plan.signing.reviewer().id.clone()));
            Ok(true)
        })
        .unwrap();
        assert_eq!(shown, Some((1, "editor".to_string())));
        assert_eq!(
            (signed.level, signed.file.as_str()),
            (1, "content/news/a.md")
        );
        assert_eq!(signed.reviewer_name, "王编辑");
        let after = s.read("content/news/a.md");
        assert!(
            after.contains("- reviewer: \"editor\"\n  level: \"1\"\n"),
            "{after}"
        );
        assert!(after.ends_with("\n---\n\n正文。\n"));
        assert_ne!(after, before);
        let d = signed.after.expect("judged again");
        assert!(!d.publish, "B needs level 2 too");

        let leader = s.signer("leader");
        let signed = sign(&request(&opts, &a, &leader), |_| Ok(true)).unwrap();
        assert_eq!(signed.level, 2);
        assert!(signed.after.unwrap().publish);
        // Nothing left to add: refused.
        let e = sign(&request(&opts, &a, &editor), |_| Ok(true)).unwrap_err();
        assert!(matches!(e, SignError::Refused { .. }), "{e:?}");
    }

    #[test]
    fn declining_or_not_asking_writes_nothing() {
        let s = TestSite::new();
        let a = s.article("a.md", "A", "A类文章");
        let before = s.read("content/news/a.md");
        let opts = s.opts();
        let key = s.signer("editor");
        let e = sign(&request(&opts, &a, &key), |_| Ok(false)).unwrap_err();
        assert!(matches!(e, SignError::Cancelled));
        let e = sign(&request(&opts, &a, &key), |_| Err("no terminal".into())).unwrap_err();
        assert!(matches!(e, SignError::NotConfirmed(ref m) if m == "no terminal"));
        assert_eq!(s.read("content/news/a.md"), before);
        assert!(matches!(
            Error::from(SignError::Cancelled),
            Error::Unsuccessful(_)
        ));
    }

    #[test]
    fn refuses_a_changed_article_an_unknown_key_and_a_key_in_the_site() {
        let s = TestSite::new();
        let a = s.article("a.md", "A", "A类文章");
        let opts = s.opts();
        let key = s.signer("editor");
        let e = sign(&request(&opts, &a, &key), |_| {
            s.write(
                "content/news/a.md",
                &s.read("content/news/a.md").replace("正文", "改过的正文"),
            );
            Ok(true)
        })
        .unwrap_err();
        assert!(matches!(e, SignError::Changed), "{e:?}");

        let stranger = s.signer("stranger");
        let e = sign(&request(&opts, &a, &stranger), |_| Ok(true)).unwrap_err();
        assert!(
            matches!(e, SignError::Signing(SigningError::UnknownKey { .. })),
            "{e:?}"
        );

        s.write("static/editor.pem", &s.read("keys/editor.pem"));
        let inside = s.path().join("static/editor.pem");
        let e = signing::load_signer(
            &opts.root,
            inside.to_str().unwrap(),
            &signing::Passphrase::Terminal,
        )
        .unwrap_err();
        match e {
            SigningError::Site(ds) => {
                assert!(ds.0[0].message.contains("static/"), "{ds}")
            }
            other => panic!("{other:?}"),
        }
    }
}
