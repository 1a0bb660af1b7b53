//! One look at the site for the desk: judged now, with the reviewer whose
//! key the desk holds, and what that reviewer can do to each article.

use ed25519_dalek::VerifyingKey;

use super::page::Frame;
use crate::content::Article;
use crate::gate::{self, Reviewer, SignRefusal, WithdrawalStatus};
use crate::ops::site::{self, SiteOpts};
use crate::ops::Error;
use crate::pipeline::Judged;
use crate::publish::{Decision, GateInput};

/// The judged site and the reviewer.
pub struct View {
    pub judged: Judged,
    /// The site root.
    pub root: std::path::PathBuf,
    me: usize,
}

impl View {
    /// Judge the site and find the key's reviewer in the keyring.
    pub fn of(site: &SiteOpts, public: &VerifyingKey) -> Result<View, Error> {
        let judged = site::judge(site)?;
        let public = *public;
        let me = judged
            .reviews
            .keyring
            .reviewers
            .iter()
            .position(|r| r.key == public)
            .ok_or_else(|| {
                Error::from(crate::ops::signing::SigningError::UnknownKey {
                    public: gate::format_public_key(&public),
                })
            })?;
        Ok(View {
            judged,
            root: site.root.clone(),
            me,
        })
    }

    pub fn me(&self) -> &Reviewer {
        &self.judged.reviews.keyring.reviewers[self.me]
    }

    pub fn frame(&self) -> Frame {
        let me = self.me();
        Frame {
            site_name: self.judged.site.config.name.clone(),
            reviewer: format!("{}（{}）", me.name, me.title),
        }
    }

    /// The index of the article at content path `rel`.
    pub fn find(&self, rel: &str) -> Option<usize> {
        self.judged
            .content
            .articles
            .iter()
            .position(|a| a.path == rel && a.readable)
    }

    pub fn article(&self, i: usize) -> (&Article, &Decision) {
        (&self.judged.content.articles[i], &self.judged.decisions[i])
    }

    /// The level this reviewer would sign now, or why not (the same
    /// decision `sanshen sign` makes).
    pub fn can_sign(&self, i: usize) -> Result<u8, SignRefusal> {
        let (a, d) = self.article(i);
        let input = GateInput::of(&self.judged.site, a, d.assets.clone());
        gate::choose_level(
            &self.judged.reviews,
            &input.facts(a),
            &d.verdict,
            &self.me().id,
            None,
            self.judged.now,
        )
    }

    /// Whether the article carries a valid withdrawal.
    pub fn withdrawn(&self, i: usize) -> bool {
        self.article(i)
            .1
            .verdict
            .withdrawal
            .as_ref()
            .is_some_and(|w| w.status == WithdrawalStatus::Valid)
    }

    /// Who the article waits for: each unmet requirement with the people
    /// in the keyring who could fill it.
    pub fn waits_for(&self, i: usize) -> Vec<String> {
        let (a, d) = self.article(i);
        let section = gate::section_of(&a.path);
        d.verdict
            .requirements
            .iter()
            .filter(|q| !q.met)
            .map(|q| {
                let names: Vec<&str> = self
                    .judged
                    .reviews
                    .keyring
                    .reviewers
                    .iter()
                    .filter(|r| {
                        !r.revoked
                            && r.valid_at(&self.judged.now)
                            && r.covers(section)
                            && match &q.kind {
                                gate::ReqKind::Level(n) => r.level >= *n,
                                gate::ReqKind::Role(role) => r.role == *role,
                            }
                    })
                    .map(|r| r.name.as_str())
                    .collect();
                if names.is_empty() {
                    format!("{}（名单中无人可签）", q.label)
                } else {
                    format!("{}（{}）", q.label, names.join("、"))
                }
            })
            .collect()
    }

    /// The digests of this reviewer's stale approvals of the article,
    /// newest last.
    pub fn my_stale(&self, i: usize) -> Vec<&str> {
        let me = &self.me().id;
        self.article(i)
            .1
            .verdict
            .approvals
            .iter()
            .filter(|ap| &ap.reviewer == me && ap.status == gate::ApprovalStatus::Stale)
            .map(|ap| ap.digest.as_str())
            .collect()
    }
}
