//! The date rule (spec §9a): whether an article's publication `date` is
//! honest. Pure: the caller passes the signed front matter's facts, the
//! time of the commit that first added the file (when history is known)
//! and the judging clock.
//!
//! * a `date` before 1949-10-01 is a typo;
//! * a `date` after the judging clock is held unless the editor said so
//!   with `publish_at` and `date` is not after it (then the article is
//!   published when `publish_at` comes);
//! * a `date` more than the tolerance before the first commit is held
//!   (伪造发稿日期, a single-veto item of the inspection) unless the signed
//!   front matter explains it with `backdated: "理由"` (补录).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, TimeZone};

use super::reason::Code;
use super::verdict::Reason;

/// Days a `date` may precede the article's first commit by default
/// (`dates.backdate_tolerance_days` in `site.yaml`).
pub const DEFAULT_BACKDATE_TOLERANCE_DAYS: u32 = 3;

/// The first day a date of the People's Republic can carry.
const FOUNDING: (i32, u32, u32) = (1949, 10, 1);

/// What the date rule reads of one article.
#[derive(Debug, Clone, Copy)]
pub struct DateFacts<'a> {
    /// The signed `date`, as written (wall-clock time in the site's offset;
    /// midnight when no time is given).
    pub date: NaiveDateTime,
    /// Whether `date` gave a time of day: without one it is compared by day.
    pub date_has_time: bool,
    /// The site's offset, in which `date` is read.
    pub offset: FixedOffset,
    /// The signed `publish_at` (定时发布), if any.
    pub publish_at: Option<DateTime<FixedOffset>>,
    /// The signed `backdated` reason (补录), if any.
    pub backdated: Option<&'a str>,
    /// When the file was first committed; `None` when there is no history
    /// to read (then back-dating is not judged). A file not yet committed
    /// in a repository with history counts as first committed at the
    /// judging clock.
    pub first_commit: Option<DateTime<FixedOffset>>,
}

fn shown(d: NaiveDateTime, with_time: bool) -> String {
    if with_time {
        d.format("%Y-%m-%d %H:%M").to_string()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

fn hold(message: String, fix: &str) -> Option<Reason> {
    Some(Reason {
        word: Code::Date,
        message: format!("{message}。修改方法：{fix}（改后需重新审核签名）。"),
        line: None,
    })
}

/// Whether `date` is later than `t` (by minute with a time of day, by day
/// without), both read in `offset`.
fn after(f: &DateFacts, t: DateTime<FixedOffset>) -> bool {
    let t = t.with_timezone(&f.offset).naive_local();
    if f.date_has_time {
        f.date > t
    } else {
        f.date.date() > t.date()
    }
}

/// The reason `date` holds the article, or `None` when the date is honest.
/// The reason's line is left to the caller (the `date:` line).
pub fn check(f: &DateFacts, now: DateTime<FixedOffset>, tolerance_days: u32) -> Option<Reason> {
    let date = shown(f.date, f.date_has_time);
    let founding = NaiveDate::from_ymd_opt(FOUNDING.0, FOUNDING.1, FOUNDING.2)?;
    if f.date.date() < founding {
        return hold(
            format!("发布日期 date（{date}）早于 1949-10-01，可能写错了年份"),
            "改正 front matter 中的 date",
        );
    }
    if after(f, now) {
        let now_shown = shown(now.with_timezone(&f.offset).naive_local(), true);
        return match f.publish_at {
            None => hold(
                format!("发布日期 date（{date}）晚于现在（{now_shown}），文章不能在发布日期之前上网"),
                "把 date 改为实际发布日期；如确要到那天才发布，再加一行 publish_at: \"与 date 相同的时间\"（定时发布）",
            ),
            Some(p) if after(f, p) => hold(
                format!(
                    "发布日期 date（{date}）晚于定时发布时间 publish_at（{}），文章上网时发布日期还没到",
                    p.with_timezone(&f.offset).format("%Y-%m-%d %H:%M")
                ),
                "把 date 改为不晚于 publish_at 的日期，或把 publish_at 推后",
            ),
            Some(_) => None,
        };
    }
    let first = f.first_commit?;
    if f.backdated.is_some_and(|r| !r.trim().is_empty()) {
        return None;
    }
    let first_local = first.with_timezone(&f.offset).naive_local();
    let early = if f.date_has_time {
        let at = f.offset.from_local_datetime(&f.date).single()?;
        first.signed_duration_since(at) > TimeDelta::days(i64::from(tolerance_days))
    } else {
        (first_local.date() - f.date.date()).num_days() > i64::from(tolerance_days)
    };
    if !early {
        return None;
    }
    let days = (first_local.date() - f.date.date()).num_days();
    hold(
        format!(
            "发布日期 date（{date}）比这篇文章首次提交的时间（{}）早 {days} 天，超过允许的 {tolerance_days} 天：发布日期不能倒填（伪造发稿日期是单项否决项）",
            first_local.format("%Y-%m-%d %H:%M")
        ),
        "把 date 改为实际发布日期；如确是补录旧文件（保留原发布日期），在 front matter 中加一行 backdated: \"补录理由\"",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn east8() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn facts(date: &str) -> DateFacts<'static> {
        let (date, date_has_time) = match NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M") {
            Ok(d) => (d, true),
            Err(_) => (
                NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
                false,
            ),
        };
        DateFacts {
            date,
            date_has_time,
            offset: east8(),
            publish_at: None,
            backdated: None,
            first_commit: Some(t("2026-11-20T10:00:00+08:00")),
        }
    }

    const NOW: &str = "2026-12-04T09:00:00+08:00";

    fn word(f: &DateFacts) -> Option<Code> {
        check(f, t(NOW), DEFAULT_BACKDATE_TOLERANCE_DAYS).map(|r| r.word)
    }

    #[test]
    fn backdating_beyond_the_tolerance_is_held_unless_explained() {
        assert_eq!(word(&facts("2026-11-17")), None);
        let old = facts("2026-11-16");
        let r = check(&old, t(NOW), 3).unwrap();
        assert_eq!(r.word, Code::Date);
        assert!(r.message.contains("早 4 天"), "{}", r.message);
        assert!(r.message.contains("backdated"), "{}", r.message);
        let explained = DateFacts {
            backdated: Some("补录 2025 年政策文件"),
            ..old
        };
        assert_eq!(word(&explained), None);
        let blank = DateFacts {
            backdated: Some("  "),
            ..old
        };
        assert_eq!(word(&blank), Some(Code::Date));
        assert_eq!(check(&old, t(NOW), 4).map(|r| r.word), None);
        let no_history = DateFacts {
            first_commit: None,
            ..old
        };
        assert_eq!(word(&no_history), None);
    }

    #[test]
    fn a_time_of_day_is_compared_by_the_minute() {
        assert_eq!(word(&facts("2026-11-17 10:00")), None);
        assert_eq!(word(&facts("2026-11-17 09:59")), Some(Code::Date));
    }

    #[test]
    fn future_dates_need_publish_at() {
        assert_eq!(word(&facts("2026-12-04")), None);
        assert_eq!(word(&facts("2026-12-04 09:00")), None);
        assert_eq!(word(&facts("2026-12-04 09:01")), Some(Code::Date));
        let future = facts("2027-06-01");
        let r = check(&future, t(NOW), 3).unwrap();
        assert!(r.message.contains("publish_at"), "{}", r.message);
        let scheduled = DateFacts {
            publish_at: Some(t("2027-06-01T09:00:00+08:00")),
            ..future
        };
        assert_eq!(word(&scheduled), None);
        let too_late = DateFacts {
            publish_at: Some(t("2027-05-31T09:00:00+08:00")),
            ..future
        };
        assert_eq!(word(&too_late), Some(Code::Date));
    }

    #[test]
    fn before_the_founding_is_a_typo() {
        let r = check(&facts("1948-01-01"), t(NOW), 3).unwrap();
        assert!(r.message.contains("1949-10-01"), "{}", r.message);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Minutes from 1949-10-01 to about 2100.
        const SPAN: i64 = 80_000_000;

        fn at(minutes: i64) -> NaiveDateTime {
            NaiveDate::from_ymd_opt(1949, 10, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                + TimeDelta::minutes(minutes)
        }

        fn instant(minutes: i64) -> DateTime<FixedOffset> {
            east8().from_local_datetime(&at(minutes)).single().unwrap()
        }

        fn facts_at(date: i64, has_time: bool, first: Option<i64>) -> DateFacts<'static> {
            let date = at(date);
            DateFacts {
                date: if has_time {
                    date
                } else {
                    date.date().and_hms_opt(0, 0, 0).unwrap()
                },
                date_has_time: has_time,
                offset: east8(),
                publish_at: None,
                backdated: None,
                first_commit: first.map(instant),
            }
        }

        proptest! {
            /// Declared is never held: `backdated` given, and `publish_at`
            /// not before `date`.
            #[test]
            fn declared_dates_are_never_held(
                date in 0..SPAN, has_time: bool, first in 0..SPAN, now in 0..SPAN,
                later in 0i64..1_000_000, tolerance in 0u32..400,
            ) {
                let f = DateFacts {
                    backdated: Some("补录"),
                    publish_at: Some(instant(date + later)),
                    ..facts_at(date, has_time, Some(first))
                };
                prop_assert!(check(&f, instant(now), tolerance).is_none());
            }

            /// Without history and not in the future, nothing is held.
            #[test]
            fn without_history_a_past_date_is_never_held(
                date in 0..SPAN, has_time: bool, ahead in 0i64..1_000_000,
            ) {
                let f = facts_at(date, has_time, None);
                prop_assert!(check(&f, instant(date + ahead), 3).is_none());
            }

            /// A larger tolerance never holds what a smaller one publishes.
            #[test]
            fn the_tolerance_is_monotonic(
                date in 0..SPAN, has_time: bool, gap in 0i64..2_000_000,
                t in 0u32..400, more in 0u32..400,
            ) {
                let f = facts_at(date, has_time, Some(date + gap));
                let now = instant(date + gap);
                if check(&f, now, t).is_none() {
                    prop_assert!(check(&f, now, t + more).is_none());
                }
            }
        }
    }
}
