//! The judge step between loading and rendering: for each article, the
//! gate's verdict (signatures, class, withdrawal, sources), to which the
//! content rules add their own reasons, and last the publication window
//! (`publish_at` / `expires_at`, judged with the build's clock): reasons
//! `scheduled` and `expired`, which are not the gate's (its words are
//! frozen by the spec).

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Site;
use crate::content::{schedule, Article, Content};
use crate::diag::{find_line, Diagnostic};
use crate::gate::{
    self, ApprovalStatus, ArticleFacts, AssetFacts, AssetFile, Code, FrontFacts, GateError, Reason,
    Reviews, Verdict, WithdrawalStatus,
};
use crate::link_inventory::SiteLinks;
use crate::links::{self, Analysis, Base, Link};
use crate::rules::{self, Rules, Severity};
use crate::tree::Tree;

mod files;

pub use files::{asset_facts, referenced_files, text_assets};
use files::{facts_of, referenced_in, texts_of, unusable_asset};

/// The decision on one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub publish: bool,
    /// Empty iff `publish`; the main reason first.
    pub reasons: Vec<Reason>,
    /// The gate's full verdict (approvals, requirements), for reports.
    pub verdict: Verdict,
    /// Content rule findings that only warn (`severity: warn`).
    pub warnings: Vec<Diagnostic>,
    /// `publish_at` (定时发布), in the site's offset.
    pub publish_at: Option<DateTime<FixedOffset>>,
    /// `expires_at` (到期下线), in the site's offset.
    pub expires_at: Option<DateTime<FixedOffset>>,
    /// Held while loading ([`Article::load_reasons`]): never rendered,
    /// not even in the preview.
    pub hidden: bool,
    /// The local files the article references and the state (SHA-256) of
    /// each listed or referenced file when it was judged (spec §2).
    pub assets: AssetFacts,
    /// The latest verified return (退回意见) for the current version: a
    /// note for the editor, never a reason to publish or hold.
    pub returned: Option<gate::ReturnNote>,
    /// The gate block's `assets:` list as judged (empty when there is
    /// none or the block cannot be read).
    pub listed: Vec<String>,
    /// The article's links to the site, read while judging: what the
    /// dead-link hold checks ([`crate::linkcheck::hold_dead_links`]).
    pub site_links: SiteLinks,
}

impl Decision {
    /// The files a published article brings to the output: its `assets`
    /// list with the SHA-256 judged; empty when it is held.
    pub fn published_assets(&self, a: &Article) -> Vec<(String, String)> {
        if !self.publish {
            return Vec::new();
        }
        debug_assert_eq!(self.listed, gate::listed_assets(&a.doc), "{}", a.file);
        self.listed
            .iter()
            .filter_map(|p| match self.assets.files.get(p) {
                Some(AssetFile::Regular(hex)) => Some((p.clone(), hex.clone())),
                _ => None,
            })
            .collect()
    }
}

/// Reason words of the publication window: an article held only for them
/// is where its editors put it, so `--strict` and `status` do not fail.
pub const WINDOW_WORDS: [&str; 2] = ["scheduled", "expired"];

impl Decision {
    /// Held for a reason other than the publication window: what fails
    /// `build --strict` and `status`.
    pub fn held_for_review(&self) -> bool {
        !self.publish && self.reasons.iter().any(|r| !r.word.is_window())
    }

    /// Held only because `publish_at` has not come (定时发布).
    pub fn scheduled(&self) -> bool {
        self.window_only() && self.reasons.iter().any(|r| r.word == Code::Scheduled)
    }

    /// Held only because `expires_at` has passed (到期下线), and not
    /// [`Decision::scheduled`].
    pub fn expired(&self) -> bool {
        self.window_only() && !self.scheduled()
    }

    /// Signs of tampering or breakage on this article, published or not:
    /// an approval or withdrawal whose signature does not verify
    /// (`bad-signature`), or an article, gate block or record that cannot
    /// be read (`unreadable`). What fails `build --strict`; pending,
    /// stale, draft, withdrawn, scheduled, expired and content-rule holds
    /// do not.
    pub fn tampered(&self) -> bool {
        !self.signs_of_tampering().is_empty()
    }

    /// The words of [`Decision::tampered`], each once, in order.
    pub fn signs_of_tampering(&self) -> Vec<Code> {
        let v = &self.verdict;
        let bad = v
            .approvals
            .iter()
            .any(|a| a.status == ApprovalStatus::BadSignature)
            || v.withdrawal
                .as_ref()
                .is_some_and(|w| w.status == WithdrawalStatus::BadSignature || !w.signature_ok);
        let unreadable = v.gate_error.is_some()
            || self.reasons.iter().any(|r| r.word == Code::Unreadable)
            || v.approvals
                .iter()
                .any(|a| a.status == ApprovalStatus::Malformed)
            || v.withdrawal
                .as_ref()
                .is_some_and(|w| w.status == WithdrawalStatus::Malformed);
        let mut out = Vec::new();
        if bad {
            out.push(Code::BadSignature);
        }
        if unreadable {
            out.push(Code::Unreadable);
        }
        out
    }

    fn window_only(&self) -> bool {
        !self.publish && !self.held_for_review()
    }
}

/// What the gate judges an article on: the signed facts as the gate's own
/// reader reads them (`gate::read_facts`, the same reader a third-party
/// verifier uses), and the hosts its published HTML refers to.
pub struct GateInput {
    front: FrontFacts,
    /// The gate's reader refused the signed front matter (e.g. a quoted
    /// gate key, spec §1): the article is held as `unreadable`.
    pub error: Option<GateError>,
    hosts: Vec<String>,
    /// The article's local files (spec §2).
    pub assets: AssetFacts,
}

impl GateInput {
    /// Read an article's signed facts with the gate's reader, and the
    /// hosts it reaches with the link model.
    pub fn of(site: &Site, a: &Article, assets: AssetFacts) -> GateInput {
        GateInput::with_hosts(a, assets, external_hosts(site, a))
    }

    /// [`GateInput::of`] with the hosts already read.
    fn with_hosts(a: &Article, assets: AssetFacts, hosts: Vec<String>) -> GateInput {
        let (front, error) = match gate::read_facts(&a.file, &a.doc) {
            Ok(f) => (f, None),
            Err(e) => (FrontFacts::default(), Some(e)),
        };
        GateInput {
            front,
            error,
            hosts,
            assets,
        }
    }

    /// The facts to pass to `gate::judge` and `gate::choose_level`.
    pub fn facts<'a>(&'a self, a: &'a Article) -> ArticleFacts<'a> {
        ArticleFacts {
            path: &a.path,
            doc: &a.doc,
            class: self.front.class.as_deref(),
            draft: self.front.draft,
            source_url: self.front.source_url.as_deref(),
            hosts: &self.hosts,
            assets: &self.assets,
        }
    }

    /// The gate's verdict, held as `unreadable` first when the gate's
    /// reader refused the front matter.
    pub fn judge(
        &self,
        a: &Article,
        reviews: &Reviews,
        site_host: &str,
        now: DateTime<FixedOffset>,
    ) -> Verdict {
        let parsed = gate::parse_document_gate(&gate::gate_file(&a.path), &a.doc);
        self.judge_parsed(a, &parsed, reviews, site_host, now)
    }

    /// [`GateInput::judge`] with the gate block already parsed.
    fn judge_parsed(
        &self,
        a: &Article,
        parsed: &Result<gate::Gate, GateError>,
        reviews: &Reviews,
        site_host: &str,
        now: DateTime<FixedOffset>,
    ) -> Verdict {
        let mut verdict = gate::judge_parsed(reviews, &self.facts(a), parsed, site_host, now);
        if let Some(e) = &self.error {
            // The facts are unknown, so the gate's other reasons (no class,
            // pending) would only mislead: this is the one reason.
            verdict.publish = false;
            verdict.reasons = vec![Reason {
                word: Code::Unreadable,
                message: format!("front matter 无法读取：{}", e.message),
                line: e.line,
            }];
        }
        verdict
    }
}

/// Judge one article: the gate's verdict, then the content rules, whose
/// holding findings follow the gate's reasons.
pub fn judge(
    site: &Site,
    reviews: &Reviews,
    rules: &Rules,
    a: &Article,
    files: AssetFacts,
    now: DateTime<FixedOffset>,
) -> Decision {
    judge_with_assets(site, reviews, rules, a, files, &[], now)
}

/// [`judge`], the content rules reading also the text-like local files
/// the article refers to ([`text_assets`]).
pub fn judge_with_assets(
    site: &Site,
    reviews: &Reviews,
    rules: &Rules,
    a: &Article,
    files: AssetFacts,
    texts: &[rules::Asset],
    now: DateTime<FixedOffset>,
) -> Decision {
    judge_read(
        site,
        reviews,
        rules,
        a,
        &Read::of(site, a),
        files,
        texts,
        now,
    )
}

/// An article read once for judging (issue 15): its body through the
/// link model, its links as on its page, and its gate block — for the
/// gate's hosts and files, the content rules and the dead-link hold
/// alike.
struct Read<'a> {
    analysis: Analysis<'a>,
    /// The article's page ([`base_of`]).
    base: Option<Base>,
    /// Every URL of the body as on its page (on a host no link names
    /// when `base_url` gives none); `None` when neither can be read.
    links: Option<Vec<Link>>,
    /// The gate block, parsed as the gate names the article.
    gate: Result<gate::Gate, GateError>,
}

impl<'a> Read<'a> {
    fn of(site: &Site, a: &'a Article) -> Read<'a> {
        let analysis = Analysis::of(a.doc.body());
        let base = base_of(site, a);
        let links = base
            .clone()
            .or_else(|| invalid_base(site, a))
            .map(|b| analysis.links(&b));
        Read {
            gate: gate::parse_document_gate(&gate::gate_file(&a.path), &a.doc),
            analysis,
            base,
            links,
        }
    }

    /// The `assets:` list, leniently ([`gate::listed_assets`]).
    fn listed(&self) -> Vec<String> {
        self.gate
            .as_ref()
            .ok()
            .and_then(|g| g.assets.as_ref())
            .map(|l| l.paths.clone())
            .unwrap_or_default()
    }

    /// The links the dead-link hold checks.
    fn site_links(&self, a: &Article) -> SiteLinks {
        match (&self.base, &self.links) {
            (Some(base), Some(links)) => SiteLinks::of(a, base, links),
            _ => SiteLinks::default(),
        }
    }
}

/// [`judge_with_assets`] of an article already [`Read`].
#[allow(clippy::too_many_arguments)]
fn judge_read(
    site: &Site,
    reviews: &Reviews,
    rules: &Rules,
    a: &Article,
    read: &Read,
    files: AssetFacts,
    texts: &[rules::Asset],
    now: DateTime<FixedOffset>,
) -> Decision {
    let input = GateInput::with_hosts(a, files, hosts_in(read.links.as_deref()));
    let mut verdict = input.judge_parsed(a, &read.gate, reviews, &site.host, now);
    let listed = read.listed();
    let site_links = read.site_links(a);
    if !a.load_reasons.is_empty() {
        // Held while loading: the load reasons first; the gate's own only
        // when the file could be read (for a placeholder they would
        // mislead).
        let mut reasons = a.load_reasons.clone();
        if a.readable {
            reasons.extend(verdict.reasons.iter().cloned());
        }
        verdict.publish = false;
        verdict.reasons = reasons.clone();
        return Decision {
            publish: false,
            reasons,
            verdict,
            warnings: Vec::new(),
            publish_at: None,
            expires_at: None,
            hidden: true,
            assets: input.assets,
            returned: None,
            listed,
            site_links,
        };
    }
    let mut reasons = verdict.reasons.clone();
    let mut warnings = Vec::new();
    reasons.extend(crate::dates::date_reason(a, site, now));
    for f in rules::check_analysed(rules, a, &read.analysis, texts) {
        match f.severity {
            Severity::Hold => reasons.push(f.reason(&a.file)),
            Severity::Warn => warnings.push(f.diagnostic(&a.file)),
        }
    }
    forged(a, &verdict, &mut warnings);
    let publish_at = a.publish_at.map(|m| m.at(site.offset));
    let expires_at = a.expires_at.map(|m| m.at(site.offset));
    window(a, publish_at, expires_at, now, &mut reasons, &mut warnings);
    let returned = read
        .gate
        .as_ref()
        .ok()
        .and_then(|g| gate::latest_return(g, &reviews.keyring, &a.path, &verdict.digest));
    Decision {
        returned,
        publish: verdict.publish && reasons.is_empty(),
        reasons,
        verdict,
        warnings,
        publish_at,
        expires_at,
        hidden: false,
        assets: input.assets,
        listed,
        site_links,
    }
}

fn base_of(site: &Site, a: &Article) -> Option<Base> {
    Base::new(&site.config.base_url, &site.url(&a.rel_url))
}

/// The article's page on a host no link can name: links are read there
/// when `site.yaml`'s `base_url` gives no page (it is checked to be
/// absolute; should it not be, every absolute link still counts as
/// external — fail closed).
fn invalid_base(site: &Site, a: &Article) -> Option<Base> {
    Base::new("https://base-url.invalid/", &site.url(&a.rel_url))
}

/// The other hosts an article's body reaches — links and embedded
/// resources, raw HTML included — read from its rendered HTML by the link
/// model, as on its page.
pub fn external_hosts(site: &Site, a: &Article) -> Vec<String> {
    hosts_in(Read::of(site, a).links.as_deref())
}

/// The other hosts of an article's links ([`Read::links`]); a host no
/// link names when they could not be read (fail closed).
fn hosts_in(links: Option<&[Link]>) -> Vec<String> {
    match links {
        Some(links) => links::external_hosts(links),
        None => vec!["base-url.invalid".to_string()],
    }
}

/// A warning for each approval or withdrawal whose signature does not
/// verify, published or not: every build reports forgery, not only
/// `--strict`.
fn forged(a: &Article, verdict: &Verdict, warnings: &mut Vec<Diagnostic>) {
    let help = "签名无法验证，可能是伪造或在签署后被改动：请核查这段审核记录的提交人与提交记录（git log -p），删除无效记录后请审核人重新签署（sanshen sign）。";
    for c in verdict
        .approvals
        .iter()
        .filter(|c| c.status == ApprovalStatus::BadSignature)
    {
        warnings.push(
            Diagnostic::new(
                &a.file,
                format!(
                    "⚠ 审核记录的签名无法验证（bad-signature）：审核人 {}，级别 {}",
                    c.reviewer, c.level
                ),
            )
            .at_line(c.line)
            .help(help),
        );
    }
    if let Some(w) = verdict
        .withdrawal
        .as_ref()
        .filter(|w| w.status == WithdrawalStatus::BadSignature || !w.signature_ok)
    {
        warnings.push(
            Diagnostic::new(
                &a.file,
                format!(
                    "⚠ 撤稿记录的签名无法验证（bad-signature）：撤稿人 {}（仍按撤稿处理）",
                    w.reviewer
                ),
            )
            .at_line(w.line)
            .help(help),
        );
    }
}

/// The reasons of the publication window, after all others.
fn window(
    a: &Article,
    publish_at: Option<DateTime<FixedOffset>>,
    expires_at: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
    reasons: &mut Vec<Reason>,
    warnings: &mut Vec<Diagnostic>,
) {
    let line = |key: &str| {
        find_line(a.doc.front_matter(), &format!("{key}:")).map(|l| l + a.doc.front_matter_line - 1)
    };
    if let Some(at) = publish_at.filter(|at| now < *at) {
        reasons.push(Reason {
            word: Code::Scheduled,
            message: format!("定时发布：将于 {} 发布", schedule::show(&at)),
            line: line("publish_at"),
        });
    }
    if let Some(at) = expires_at.filter(|at| now >= *at) {
        reasons.push(Reason {
            word: Code::Expired,
            message: format!("已于 {} 到期下线", schedule::show(&at)),
            line: line("expires_at"),
        });
    }
    if let (Some(from), Some(until)) = (publish_at, expires_at) {
        if until <= from {
            let mut d = Diagnostic::new(
                &a.file,
                format!(
                    "到期时间 expires_at（{}）不晚于定时发布时间 publish_at（{}）：这篇文章永远不会出现在网站上",
                    schedule::show(&until),
                    schedule::show(&from)
                ),
            )
            .help("改正 expires_at 或 publish_at（改后需重新审核签名）。");
            if let Some(l) = line("expires_at") {
                d = d.at_line(l);
            }
            warnings.push(d);
        }
    }
}

/// Judge every article of `content`, in order, in parallel; the content
/// rules read the text-like assets of each from `tree`.
pub fn judge_all(
    tree: &dyn Tree,
    site: &Site,
    content: &Content,
    reviews: &Reviews,
    rules: &Rules,
    now: DateTime<FixedOffset>,
) -> Vec<Decision> {
    content
        .articles
        .par_iter()
        .map(|a| {
            // Each article's body is rendered, tokenized and its gate
            // block parsed once, here, for every judge of it.
            let read = Read::of(site, a);
            let referenced = referenced_in(site, a, &content.assets, &read);
            let texts = texts_of(tree, content, a, &read, &referenced);
            let files = facts_of(tree, &content.assets, &read.listed(), referenced);
            let mut d = judge_read(site, reviews, rules, a, &read, files, &texts, now);
            if let Some(r) = unusable_asset(content, a, read.links.as_deref()) {
                d.publish = false;
                d.reasons.insert(0, r);
            }
            d
        })
        .collect()
}
