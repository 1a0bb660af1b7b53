//! Checking the live site over HTTP(S) against the manifest (读网值班, done
//! by a machine): every listed file fetched from `BASE_URL/<path>` on a
//! bounded number of threads, with a timeout, and its SHA-256 compared.
//! Files an intruder added cannot be found this way; only `--dir` finds
//! them. An overall deadline bounds the whole check: after it no request is
//! made, and the files left are reported as unchecked ([`OVER_DEADLINE`]).

use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::treecheck::{Finding, Findings};
use crate::diag::Diagnostic;
use crate::manifest::{sha256_hex, Entry, Manifest};

/// How the live site is fetched.
#[derive(Debug, Clone)]
pub struct Options {
    pub concurrency: usize,
    /// Per request.
    pub timeout: Duration,
    /// For the whole check: no request starts after it, and none runs past
    /// it. `None`: no overall limit.
    pub deadline: Option<Instant>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            deadline: None,
        }
    }
}

/// The detail of a file not checked because the overall deadline passed.
pub const OVER_DEADLINE: &str = "超过总时限，未检查";

impl Options {
    /// Time left for one request: the per-request timeout, cut to the
    /// overall deadline; `None` once the deadline has passed.
    fn time_left(&self) -> Option<Duration> {
        match self.deadline {
            None => Some(self.timeout),
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                (!left.is_zero()).then(|| left.min(self.timeout))
            }
        }
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');

/// `base` (checked: http or https) without a trailing slash.
pub fn base_url(base: &str) -> Result<String, Diagnostic> {
    let ok = url::Url::parse(base.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    match ok {
        Some(_) => Ok(base.trim().trim_end_matches('/').to_string()),
        None => Err(
            Diagnostic::new(base, "网址无效：--url 应为网站首页的完整网址")
                .help("例如 --url https://www.ceshi.gov.cn（以 http:// 或 https:// 开头）。"),
        ),
    }
}

/// The URL of one manifest path under `base`.
pub fn url_of(base: &str, path: &str) -> String {
    let encoded: Vec<String> = path
        .split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    format!("{base}/{}", encoded.join("/"))
}

enum Seen {
    Same,
    Modified(String),
    Missing(String),
    Unchecked(String),
}

fn agent(o: &Options) -> ureq::Agent {
    crate::linkcheck::http::client(o.timeout, "verify")
}

/// GET one URL, at most `limit` bytes: `Ok(None)` on 404 or 410, an error
/// (in Chinese) for any other answer than 200, a redirect included.
pub fn get_bytes(url: &str, limit: u64, o: &Options) -> Result<Option<Vec<u8>>, String> {
    let left = o.time_left().ok_or_else(|| OVER_DEADLINE.to_string())?;
    let call = agent(o)
        .get(url)
        .config()
        .timeout_global(Some(left))
        .build()
        .call();
    let mut resp = call.map_err(|e| describe(&e, o))?;
    match resp.status().as_u16() {
        200 => {}
        404 | 410 => return Ok(None),
        code => return Err(format!("HTTP {code}")),
    }
    match resp.body_mut().with_config().limit(limit).read_to_vec() {
        Ok(b) => Ok(Some(b)),
        Err(ureq::Error::BodyExceedsLimit(_)) => Err(format!("超过 {limit} 字节的上限")),
        Err(e) => Err(describe(&e, o)),
    }
}

fn describe(e: &ureq::Error, o: &Options) -> String {
    crate::linkcheck::http::describe(e, o.timeout).0
}

fn fetch_one(agent: &ureq::Agent, base: &str, e: &Entry, o: &Options) -> Seen {
    let over = || Seen::Unchecked(OVER_DEADLINE.into());
    let Some(left) = o.time_left() else {
        return over();
    };
    let url = url_of(base, &e.path);
    let call = agent
        .get(&url)
        .config()
        .timeout_global(Some(left))
        .build()
        .call();
    let mut resp = match call {
        Ok(r) => r,
        Err(_) if o.past_deadline() => return over(),
        Err(err) => return Seen::Unchecked(describe(&err, o)),
    };
    let code = resp.status().as_u16();
    if (300..400).contains(&code) {
        let to = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("?");
        return Seen::Modified(format!("HTTP {code} 重定向到 {to}"));
    }
    if code == 404 || code == 410 {
        return Seen::Missing(format!("HTTP {code}"));
    }
    if code != 200 {
        return Seen::Unchecked(format!("HTTP {code}"));
    }
    let body = resp
        .body_mut()
        .with_config()
        .limit(e.size.saturating_add(1))
        .read_to_vec();
    match body {
        Ok(b) if b.len() as u64 != e.size => Seen::Modified(format!(
            "大小不同：应为 {} 字节，实际 {} 字节",
            e.size,
            b.len()
        )),
        Ok(b) => {
            let got = sha256_hex(&b);
            if got == e.sha256 {
                Seen::Same
            } else {
                Seen::Modified(format!("内容不同（SHA-256 为 {}…）", &got[..12]))
            }
        }
        Err(ureq::Error::BodyExceedsLimit(_)) => {
            Seen::Modified(format!("内容比清单中的 {} 字节更大", e.size))
        }
        Err(_) if o.past_deadline() => over(),
        Err(err) => Seen::Unchecked(describe(&err, o)),
    }
}

/// Fetch `entries` (all of `m` when `None`) from the site at `base`.
pub fn check_url(base: &str, m: &Manifest, only: Option<&[String]>, o: &Options) -> Findings {
    let entries: Vec<&Entry> = match only {
        Some(paths) => m.files.iter().filter(|e| paths.contains(&e.path)).collect(),
        None => m.files.iter().collect(),
    };
    let agent = agent(o);
    let seen: Vec<(usize, Seen)> =
        crate::workers::map(&entries, o.concurrency, |e| fetch_one(&agent, base, e, o))
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|s| (i, s)))
            .collect();
    let mut f = Findings {
        checked: entries.len(),
        ..Findings::default()
    };
    let mut done = vec![false; entries.len()];
    for (i, s) in seen {
        let Some(e) = entries.get(i) else { continue };
        done[i] = true;
        let finding = |detail: String| Finding {
            path: e.path.clone(),
            detail,
        };
        match s {
            Seen::Same => {}
            Seen::Modified(d) => f.modified.push(finding(d)),
            Seen::Missing(d) => f.missing.push(finding(d)),
            Seen::Unchecked(d) => f.unchecked.push(finding(d)),
        }
    }
    for (e, _) in entries.iter().zip(&done).filter(|(_, d)| !**d) {
        f.unchecked.push(Finding {
            path: e.path.clone(),
            detail: "检查时内部出错，未能完成".into(),
        });
    }
    let late = f
        .unchecked
        .iter()
        .filter(|x| x.detail == OVER_DEADLINE)
        .count();
    f.checked = f.checked.saturating_sub(late);
    f.modified.sort_by(|a, b| a.path.cmp(&b.path));
    f.missing.sort_by(|a, b| a.path.cmp(&b.path));
    f.unchecked.sort_by(|a, b| a.path.cmp(&b.path));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_encoded_per_segment() {
        let base = base_url("https://www.ceshi.gov.cn/").unwrap();
        assert_eq!(
            url_of(&base, "news/通知 1/index.html"),
            "https://www.ceshi.gov.cn/news/%E9%80%9A%E7%9F%A5%201/index.html"
        );
        assert!(base_url("ftp://x").is_err());
        assert!(base_url("www.ceshi.gov.cn").is_err());
    }

    #[test]
    fn deadline_cuts_request_time() {
        let mut o = Options::default();
        assert_eq!(o.time_left(), Some(o.timeout));
        o.deadline = Some(Instant::now() + Duration::from_secs(2));
        assert!(o.time_left().is_some_and(|d| d <= Duration::from_secs(2)));
        o.deadline = Some(Instant::now());
        assert_eq!(o.time_left(), None);
        assert!(o.past_deadline());
    }
}
