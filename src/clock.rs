//! The two clocks of a build.
//!
//! * The judging clock — what decides embargoes (`publish_at`), expiry,
//!   key validity and `future` signatures — is `--now <RFC 3339>` when
//!   given, else the system clock ([`judging`]). It is never read from the
//!   repository or the commit, so a committer cannot move it.
//! * The output clock — timestamps written into the output (the manifest's
//!   `built_at`, feed dates, `signed_at` of new signatures) — is
//!   `SOURCE_DATE_EPOCH` (seconds, UTC) when set, for reproducible bytes;
//!   otherwise the system clock ([`now`], [`stamp`]).

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::diag::Diagnostic;

/// The output clock, shown in the site's offset: `SOURCE_DATE_EPOCH`, else
/// the system clock.
pub fn now(offset: FixedOffset) -> Result<DateTime<FixedOffset>, Diagnostic> {
    match source_date_epoch()? {
        Some(t) => Ok(t.with_timezone(&offset)),
        None => Ok(Utc::now().with_timezone(&offset)),
    }
}

/// The judging clock, shown in the site's offset: `--now` when given (an
/// empty or malformed value is an error, never a fallback), else the
/// system clock. `SOURCE_DATE_EPOCH` plays no part.
pub fn judging(
    flag: Option<&str>,
    offset: FixedOffset,
) -> Result<DateTime<FixedOffset>, Diagnostic> {
    match flag {
        Some(v) => parse_now(v).map(|t| t.with_timezone(&offset)),
        None => Ok(Utc::now().with_timezone(&offset)),
    }
}

/// Parse a `--now` value (RFC 3339 with offset).
pub fn parse_now(v: &str) -> Result<DateTime<FixedOffset>, Diagnostic> {
    DateTime::parse_from_rfc3339(v.trim()).map_err(|_| {
        Diagnostic::new(
            "--now",
            format!(
                "命令行参数 --now 的值不是带时区的 RFC 3339 时间：「{}」",
                v.escape_debug()
            ),
        )
        .help("写成例如 --now 2026-11-21T12:00:00+08:00；不加 --now 时按系统时间判定。")
    })
}

/// The time written into the output for a build judged at `judged`:
/// `SOURCE_DATE_EPOCH` when set, else `judged` (so that a build given
/// `--now` and no `SOURCE_DATE_EPOCH` is reproducible too).
pub fn stamp(judged: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, Diagnostic> {
    Ok(source_date_epoch()?
        .map(|t| t.with_timezone(judged.offset()))
        .unwrap_or(judged))
}

fn source_date_epoch() -> Result<Option<DateTime<Utc>>, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v.trim().parse().map_err(|_| bad(&v))?;
            let t = Utc.timestamp_opt(secs, 0).single().ok_or_else(|| bad(&v))?;
            Ok(Some(t))
        }
        Err(_) => Ok(None),
    }
}

fn bad(v: &str) -> Diagnostic {
    Diagnostic::new(
        "SOURCE_DATE_EPOCH",
        format!(
            "环境变量 SOURCE_DATE_EPOCH 不是有效的秒数：{}",
            v.escape_debug()
        ),
    )
    .help("写成 Unix 时间戳（秒），例如 SOURCE_DATE_EPOCH=1795233600，或删除该变量以使用系统时间。")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_flag_is_parsed_and_bad_values_are_errors() {
        let off = FixedOffset::east_opt(8 * 3600).unwrap();
        let t = judging(Some("2026-11-21T04:00:00Z"), off).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-21T12:00:00+08:00");
        for bad in ["", "  ", "2026-11-21", "yesterday"] {
            let e = judging(Some(bad), off).unwrap_err();
            assert_eq!(e.file, "--now");
        }
    }
}
