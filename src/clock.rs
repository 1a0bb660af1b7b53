//! The build's clock: `SOURCE_DATE_EPOCH` (seconds, UTC) when set, so that
//! a build is reproducible; otherwise the system clock.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::diag::Diagnostic;

/// "Now", shown in the site's offset.
pub fn now(offset: FixedOffset) -> Result<DateTime<FixedOffset>, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v.trim().parse().map_err(|_| bad(&v))?;
            let t = Utc.timestamp_opt(secs, 0).single().ok_or_else(|| bad(&v))?;
            Ok(t.with_timezone(&offset))
        }
        Err(_) => Ok(Utc::now().with_timezone(&offset)),
    }
}

fn bad(v: &str) -> Diagnostic {
    Diagnostic::new(
        "SOURCE_DATE_EPOCH",
        format!("环境变量 SOURCE_DATE_EPOCH 不是有效的秒数：{v}"),
    )
    .help("写成 Unix 时间戳（秒），例如 SOURCE_DATE_EPOCH=1795233600，或删除该变量以使用系统时间。")
}
