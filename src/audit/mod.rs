//! The site audit (网站体检, R15, R12, R19): what an inspection of the site
//! would flag — 空白栏目, columns and the home page not updated in time,
//! dead internal links (单项否决), pending articles left waiting and images
//! without alt text (提醒). "Now" is the judging clock: `--now`, else the
//! system clock.

pub mod checks;
pub mod report;

use std::path::Path;

use crate::diag::Diagnostic;
use crate::linkcheck;
use crate::ops::files::write_atomic;
use crate::ops::site::{self, SiteOpts};
use crate::ops::Error;
use crate::source::Dates;

pub use checks::Item;

/// The audit of a site.
#[derive(Debug, Clone)]
pub struct Audit {
    /// The site's name.
    pub site: String,
    /// `2026-11-21 12:00`, the build clock.
    pub now: String,
    /// The build clock, RFC 3339.
    pub now_rfc3339: String,
    pub items: Vec<Item>,
    /// Where freshness dates came from, in words.
    pub dates_from: String,
}

impl Audit {
    /// No veto item failed.
    pub fn passed(&self) -> bool {
        !self.items.iter().any(|i| i.veto && !i.ok)
    }

    pub fn head(&self) -> report::Head<'_> {
        report::Head {
            site: &self.site,
            now: &self.now,
        }
    }

    /// The Chinese text report.
    pub fn text(&self) -> String {
        report::text(&self.head(), &self.items)
    }

    /// The machine-readable report.
    pub fn json(&self) -> report::Json<'_> {
        report::json(
            &self.head(),
            &self.now_rfc3339,
            self.dates_from.clone(),
            &self.items,
        )
    }
}

/// Audit the site (from the work tree or, with `rev`, that git revision);
/// with `html_out`, also write the printable HTML report there.
pub fn audit(site: &SiteOpts, rev: Option<&str>, html_out: Option<&Path>) -> Result<Audit, Error> {
    let (source, judged) = site::judge_source(site, rev)?;
    let published = linkcheck::Published::new(&judged.site, &judged.content, &judged.decisions);
    let (_, links) = linkcheck::check_site(
        &published,
        judged.commit.as_deref(),
        source.tree(),
        linkcheck::published_links(&published),
    )?;
    let audit = Audit {
        site: judged.site.config.name.clone(),
        now: judged.now.format("%Y-%m-%d %H:%M").to_string(),
        now_rfc3339: site::timestamp(&judged.now),
        items: checks::run_checks(&judged, &links),
        dates_from: dates_from(&judged.dates),
    };
    if let Some(out) = html_out {
        let page = report::html_page(&audit.head(), &audit.items);
        write_atomic(out, page.as_bytes()).map_err(|e| {
            Diagnostic::new(out.display().to_string(), format!("无法写出体检报告：{e}"))
                .help("检查目录是否存在、是否有写入权限，或用 --out 指定其他位置。")
        })?;
    }
    Ok(audit)
}

/// Where the dates the audit reads came from, in words: freshness is
/// always judged by the publication date `date`.
fn dates_from(dates: &Dates) -> String {
    match dates {
        Dates::History { head } => format!(
            "已发布文章的发布日期 date；待审文章的等待时间从首次提交算起（git 提交记录，截至提交 {}）",
            crate::git::short(head)
        ),
        Dates::FrontMatter { why } => format!("已发布文章的发布日期 date（{why}，未读取提交记录）"),
    }
}
