//! The two dates of an article, owned here: the publication date (`date`
//! of the signed front matter, shown with its time only when one is
//! written) and the 更新时间 — when the current version was approved:
//! the `signed_at` of the approval that met the last requirement, or,
//! with a publication log (`build --log`), the time the log first saw
//! that version published. Never a commit time. Pages, feeds,
//! `sitemap.xml`, the `PubDate` meta, the audit and the 登记表 all read
//! them from here. Also the date rule's facts for the gate (spec §9a).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

use crate::config::Site;
use crate::content::{Article, Content};
use crate::diag::find_line;
use crate::gate::{self, DateFacts, Reason, Verdict};

/// The publication date as the article gives it: `2026-11-20 09:30` when
/// `date` has a time of day, else `2026-11-20` (never an invented 00:00).
pub fn published_shown(a: &Article) -> String {
    if a.date_has_time {
        a.date.format("%Y-%m-%d %H:%M").to_string()
    } else {
        published_day(a).to_string()
    }
}

/// The day of publication.
pub fn published_day(a: &Article) -> NaiveDate {
    a.date.date()
}

/// The publication date as an instant in the site's offset (midnight when
/// no time is given), for machine formats that need one.
pub fn published_at(a: &Article, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    offset.from_local_datetime(&a.date).single()
}

/// The last time the article changed on the site: its 更新时间 when later
/// than the publication date, else the publication date (sitemap
/// `lastmod`, feed `updated`).
pub fn last_changed(a: &Article, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let published = published_at(a, offset);
    match (a.updated, published) {
        (Some(u), Some(p)) => Some(u.max(p)),
        (u, p) => u.or(p),
    }
}

/// When the current version was approved: the newest `signed_at` among
/// the approvals that meet the requirements, once all are met; in the
/// site's offset.
pub fn approved_at(v: &Verdict, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    if v.requirements.is_empty() || !v.requirements.iter().all(|q| q.met) {
        return None;
    }
    v.requirements
        .iter()
        .filter_map(|q| q.approval.and_then(|i| v.approvals.get(i)))
        .filter_map(|ap| DateTime::parse_from_rfc3339(&ap.signed_at).ok())
        .max()
        .map(|t| t.with_timezone(&offset))
}

/// Give every article its 更新时间 from its approvals ([`approved_at`]);
/// `verdicts` are the gate's, in the order of the articles.
pub fn set_updated<'a>(
    content: &mut Content,
    verdicts: impl Iterator<Item = &'a Verdict>,
    offset: FixedOffset,
) {
    for (a, v) in content.articles.iter_mut().zip(verdicts) {
        a.updated = approved_at(v, offset);
    }
}

/// With a publication log: an article whose current version (`digest`)
/// the log first saw published at `since` gets that time as its 更新时间
/// when it is earlier than the approval time (an approval added after the
/// version went out does not move it). Never later: the first build of a
/// version cannot know when its deploy will log it, so taking the log's
/// later time would change every new page once more on the next build.
pub fn set_logged(a: &mut Article, since: DateTime<FixedOffset>, offset: FixedOffset) {
    let since = since.with_timezone(&offset);
    a.updated = Some(a.updated.map_or(since, |u| u.min(since)));
}

/// The date rule (spec §9a, judged by the gate): the reason `date` holds
/// the article, with the line of `date:`. When the site's git history was
/// read ([`Article::history`]), a file without a commit is first committed
/// no earlier than `now`; without history, back-dating is not judged (the
/// build warns once).
pub fn date_reason(a: &Article, site: &Site, now: DateTime<FixedOffset>) -> Option<Reason> {
    let first_commit = match &a.created {
        Some(c) => Some(c.at),
        None if a.history => Some(now),
        None => None,
    };
    let facts = DateFacts {
        date: a.date,
        date_has_time: a.date_has_time,
        offset: site.offset,
        publish_at: a.publish_at.map(|m| m.at(site.offset)),
        backdated: a.backdated.as_deref(),
        first_commit,
    };
    let mut r = gate::dates::check(&facts, now, site.config.dates.backdate_tolerance_days)?;
    r.line = find_line(a.doc.front_matter(), "date:").map(|l| l + a.doc.front_matter_line - 1);
    Some(r)
}
