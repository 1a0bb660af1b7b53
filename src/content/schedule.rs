//! `publish_at` (定时发布) and `expires_at` (到期下线): optional moments in
//! the signed front matter, so changing them voids the approvals. Written
//! as RFC 3339 (`"2026-12-01T09:00:00+08:00"`) or as local time in the
//! site's offset (`"2026-12-01 09:00"`, `"2026-12-01"` = midnight).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime};

use super::origin::Origin;
use crate::diag::Diagnostic;
use crate::gate::yaml::{scalar_text, Value};

/// A moment as written: with its own offset, or in the site's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The wall-clock time as written.
    pub local: NaiveDateTime,
    /// The offset written with it (RFC 3339), if any.
    pub offset: Option<FixedOffset>,
}

impl Moment {
    /// Parse `2026-12-01`, `2026-12-01 09:00[:00]`, `2026-12-01T09:00:00`
    /// or RFC 3339.
    pub fn parse(text: &str) -> Option<Moment> {
        let t = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Some(Moment {
                local: dt.naive_local(),
                offset: Some(*dt.offset()),
            });
        }
        let local = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
            .or_else(|| {
                NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })?;
        Some(Moment {
            local,
            offset: None,
        })
    }

    /// The instant, shown in the site's offset.
    pub fn at(&self, site: FixedOffset) -> DateTime<FixedOffset> {
        let offset = self.offset.unwrap_or(site);
        let utc = self.local - Duration::seconds(i64::from(offset.local_minus_utc()));
        DateTime::<FixedOffset>::from_naive_utc_and_offset(utc, site)
    }
}

/// Read `key` (`publish_at` or `expires_at`) from the front matter.
pub fn read(
    origin: &Origin,
    key: &str,
    value: Option<&Value>,
) -> Result<Option<Moment>, Diagnostic> {
    let Some(value) = value else {
        return Ok(None);
    };
    let Some(text) = scalar_text(value).filter(|t| !t.trim().is_empty()) else {
        return Err(origin
            .at_key(key, format!("{key} 应为时间，例如 \"2026-12-01 09:00\""))
            .help(help(key)));
    };
    Moment::parse(&text).map(Some).ok_or_else(|| {
        origin
            .at_key(key, format!("无法识别的时间：{text}"))
            .help(help(key))
    })
}

fn help(key: &str) -> String {
    format!("写成 {key}: \"2026-12-01 09:00\"（按站点时区）或 {key}: \"2026-12-01T09:00:00+08:00\"（RFC 3339），用英文双引号。")
}

/// `2026-12-01 09:00`.
pub fn show(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn east(h: i32) -> FixedOffset {
        FixedOffset::east_opt(h * 3600).unwrap()
    }

    #[test]
    fn local_and_rfc3339() {
        let m = Moment::parse("2026-12-01 09:00").unwrap();
        assert_eq!(m.offset, None);
        assert_eq!(m.at(east(8)).to_rfc3339(), "2026-12-01T09:00:00+08:00");
        let m = Moment::parse("2026-12-01T01:00:00Z").unwrap();
        assert_eq!(m.at(east(8)).to_rfc3339(), "2026-12-01T09:00:00+08:00");
        let m = Moment::parse("2026-12-01").unwrap();
        assert_eq!(show(&m.at(east(8))), "2026-12-01 00:00");
        assert!(Moment::parse("2026年12月1日").is_none());
        assert!(Moment::parse("2026-12-01T09:00:00").is_some());
    }
}
