//! Possible back-dating (伪造发稿日期): an article whose signed `date` is
//! much earlier than the time the log first saw it published.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use super::record::Record;
use super::verify::parse_time;

/// One article published with a date well before it went online.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backdated {
    /// The entry that first published it.
    pub index: u64,
    pub path: String,
    pub title: String,
    /// As written.
    pub date: String,
    pub first_seen: String,
    /// Whole days between the date and first publication.
    pub days: i64,
    /// The signed `backdated:` reason (补录), if any.
    pub reason: Option<String>,
}

/// A front-matter `date` (`2026-11-18`, `2026-11-18 09:30[:00]` or RFC
/// 3339), a naive one read in the offset of `at`.
fn parse_date(date: &str, at: &DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(date) {
        return Some(t);
    }
    let naive = NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })?;
    at.offset().from_local_datetime(&naive).single()
}

/// The articles, at the entry that first published them, whose date is
/// more than `tolerance_days` before that entry's `first_seen`.
pub fn backdated(records: &[Record], tolerance_days: i64) -> Vec<Backdated> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for r in records {
        let Some(at) = parse_time(&r.first_seen) else {
            continue;
        };
        for a in &r.facts.articles {
            if !seen.insert(a.path.clone()) {
                continue;
            }
            let Some(date) = a.date.as_deref() else {
                continue;
            };
            let Some(d) = parse_date(date, &at) else {
                continue;
            };
            let early = at.signed_duration_since(d);
            if early > chrono::Duration::days(tolerance_days) {
                out.push(Backdated {
                    index: r.index,
                    path: a.path.clone(),
                    title: a.title.clone(),
                    date: date.to_string(),
                    first_seen: r.first_seen.clone(),
                    days: early.num_days(),
                    reason: a.backdated.clone(),
                });
            }
        }
    }
    out
}
