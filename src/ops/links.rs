//! The links of the published articles (R12): every link listed, internal
//! links checked against the site, and optionally every external `http(s)`
//! link checked over HTTP (失效 / 重定向 / 缓慢).

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;

use super::site::{self, SiteOpts};
use super::Error;
use crate::content::WorkTree;
use crate::linkcheck::{self, InternalReport, Link, LinkKind, Outcome, Status};

/// One external URL with the places that use it.
#[derive(Debug, Clone)]
pub struct External {
    pub outcome: Outcome,
    pub used_by: Vec<String>,
}

impl External {
    pub fn dead(&self) -> bool {
        self.outcome.status == Status::Dead
    }

    /// Alive, but only after redirects.
    pub fn redirected(&self) -> bool {
        self.outcome.status == Status::Ok && !self.outcome.redirects.is_empty()
    }

    /// Alive, but slow to answer.
    pub fn slow(&self) -> bool {
        self.outcome.status == Status::Ok && self.outcome.slow
    }
}

/// What the link check found.
#[derive(Debug, Clone)]
pub struct LinksReport {
    /// Published articles.
    pub published: usize,
    pub links: Vec<Link>,
    pub internal: InternalReport,
    /// External links, when checked.
    pub external: Option<Vec<External>>,
    /// Seconds the external check took.
    pub seconds: f64,
}

impl LinksReport {
    /// Some link is dead (internal, or external when checked).
    pub fn failed(&self) -> bool {
        let ext_dead = self.external.iter().flatten().any(External::dead);
        !self.internal.dead.is_empty() || ext_dead
    }

    /// The machine-readable report (`--json`).
    pub fn json(&self) -> LinksJson<'_> {
        LinksJson {
            external: self.external.as_ref().map(|list| {
                list.iter()
                    .map(|x| ExternalJson {
                        outcome: &x.outcome,
                        redirected: !x.outcome.redirects.is_empty(),
                        used_by: &x.used_by,
                    })
                    .collect()
            }),
            internal: &self.internal,
            links: &self.links,
            ok: !self.failed(),
            published_articles: self.published,
        }
    }
}

/// `sanshen links --json`. Printed through `serde_json::Value`, whose keys
/// are sorted at every level, as they always were.
#[derive(Debug, Serialize)]
pub struct LinksJson<'a> {
    pub external: Option<Vec<ExternalJson<'a>>>,
    pub internal: &'a InternalReport,
    pub links: &'a [Link],
    pub ok: bool,
    pub published_articles: usize,
}

/// One external URL checked, with where it is used.
#[derive(Debug, Serialize)]
pub struct ExternalJson<'a> {
    #[serde(flatten)]
    pub outcome: &'a Outcome,
    pub redirected: bool,
    pub used_by: &'a [String],
}

/// List and check the links of the site's published articles (and of
/// those held for a dead link); with
/// `external`, check external links over HTTP with those options.
pub fn links(site: &SiteOpts, external: Option<&linkcheck::Options>) -> Result<LinksReport, Error> {
    let judged = site::judge(site)?;
    let tree = WorkTree::new(&site.root);
    let p = linkcheck::Published::new(&judged.site, &judged.content, &judged.decisions);
    let links = linkcheck::site_links(&p);
    let (links, internal) = linkcheck::check_site(&p, judged.commit.as_deref(), &tree, links)?;
    let published = judged.decisions.iter().filter(|d| d.publish).count();
    let started = Instant::now();
    let external = external.map(|o| check_external(&links, o));
    Ok(LinksReport {
        published,
        links,
        internal,
        external,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn check_external(links: &[Link], opts: &linkcheck::Options) -> Vec<External> {
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in links.iter().filter(|l| l.kind == LinkKind::External) {
        let places = used.entry(l.dest.trim().to_string()).or_default();
        let at = l.location();
        if !places.contains(&at) {
            places.push(at);
        }
    }
    let urls: Vec<String> = used.keys().cloned().collect();
    linkcheck::check_external(&urls, opts)
        .into_iter()
        .zip(used.into_values())
        .map(|(outcome, used_by)| External { outcome, used_by })
        .collect()
}
