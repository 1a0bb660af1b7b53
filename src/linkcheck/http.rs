//! Checking one external URL over HTTP: HEAD, GET when HEAD is refused
//! (405/501), redirects followed by hand (so that each hop can be
//! reported), retries with backoff for timeouts and 5xx, the per-host rate
//! limit before every request.

use std::thread;
use std::time::{Duration, Instant};

use serde::Serialize;
use url::Url;

use super::ratelimit::HostLimit;

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries after a timeout or a 5xx answer.
    pub retries: u32,
    /// Minimum spacing of requests to one host, across threads.
    pub per_host_delay: Duration,
    /// First backoff before a retry; doubled for each further retry.
    pub backoff: Duration,
    /// Slower answers than this are reported as slow.
    pub slow: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            retries: 2,
            per_host_delay: Duration::from_millis(500),
            backoff: Duration::from_millis(500),
            slow: Duration::from_secs(3),
            max_redirects: 5,
        }
    }
}

/// Alive or dead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ok,
    Dead,
}

/// One redirect hop.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    pub code: u16,
    pub to: String,
}

/// What checking one URL found.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub url: String,
    pub status: Status,
    /// The final HTTP status, when an answer came.
    pub code: Option<u16>,
    /// Where the redirects ended.
    pub final_url: String,
    pub redirects: Vec<Hop>,
    /// The slowest single answer, in seconds.
    pub seconds: f64,
    /// Requests sent (retries and GET fallbacks included).
    pub requests: usize,
    /// Why it is dead, in Chinese.
    pub error: Option<String>,
    /// Slower than the threshold.
    pub slow: bool,
}

impl Outcome {
    fn new(url: &str) -> Outcome {
        Outcome {
            url: url.to_string(),
            status: Status::Ok,
            code: None,
            final_url: url.to_string(),
            redirects: Vec::new(),
            seconds: 0.0,
            requests: 0,
            error: None,
            slow: false,
        }
    }

    fn dead(mut self, error: String) -> Outcome {
        self.status = Status::Dead;
        self.error = Some(error);
        self
    }
}

/// One answer: status and `Location`, or why there was none (and whether
/// a retry may help).
type Answer = Result<(u16, Option<String>), (String, bool)>;

/// A checker shared by the worker threads.
pub struct Checker<'a> {
    agent: ureq::Agent,
    limit: &'a HostLimit,
    opts: &'a Options,
}

/// The crate's one HTTP client set-up, for link checks and for checking the
/// live site: a whole-request timeout, no automatic redirects (they are
/// reported), statuses as values, and `sanshen-<purpose>/<version>` as the
/// user agent.
pub fn client(timeout: Duration, purpose: &str) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(format!("sanshen-{purpose}/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Why a request got no answer, in Chinese, and whether a retry may help.
pub fn describe(e: &ureq::Error, timeout: Duration) -> (String, bool) {
    use std::io::ErrorKind;
    match e {
        ureq::Error::Timeout(_) => (
            format!("超时（{} 秒内无响应）", timeout.as_secs_f64()),
            true,
        ),
        ureq::Error::HostNotFound => ("域名无法解析（DNS）".into(), false),
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::TimedOut => (
                format!("超时（{} 秒内无响应）", timeout.as_secs_f64()),
                true,
            ),
            ErrorKind::ConnectionRefused => ("连接被拒绝".into(), false),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
                (format!("连接中断：{io}"), true)
            }
            _ if io.to_string().contains("lookup address") => {
                (format!("域名无法解析（DNS）：{io}"), false)
            }
            _ => (format!("连接失败：{io}"), false),
        },
        ureq::Error::ConnectionFailed => ("无法建立连接".into(), false),
        ureq::Error::Tls(m) => (format!("TLS/证书错误：{m}"), false),
        ureq::Error::BadUri(m) => (format!("网址无效：{m}"), false),
        other => (format!("请求失败：{other}"), false),
    }
}

impl<'a> Checker<'a> {
    pub fn new(limit: &'a HostLimit, opts: &'a Options) -> Self {
        Checker {
            agent: client(opts.timeout, "linkcheck"),
            limit,
            opts,
        }
    }

    /// One request, after waiting for the host's slot.
    fn call(&self, url: &str, host: &str, get: bool, out: &mut Outcome) -> Answer {
        self.limit.wait(host);
        let started = Instant::now();
        out.requests += 1;
        let result = if get {
            self.agent.get(url).call()
        } else {
            self.agent.head(url).call()
        };
        out.seconds = out.seconds.max(started.elapsed().as_secs_f64());
        match result {
            Ok(resp) => {
                let location = resp
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                Ok((resp.status().as_u16(), location))
            }
            Err(e) => Err(describe(&e, self.opts.timeout)),
        }
    }

    /// HEAD (GET when refused), retried with backoff on timeouts and 5xx.
    fn exchange(&self, url: &str, host: &str, out: &mut Outcome) -> Answer {
        let mut attempt = 0;
        loop {
            let mut answer = self.call(url, host, false, out);
            if matches!(answer, Ok((405 | 501, _))) {
                answer = self.call(url, host, true, out);
            }
            let retry = match &answer {
                Ok((code, _)) => *code >= 500,
                Err((_, transient)) => *transient,
            };
            if !retry || attempt >= self.opts.retries {
                return answer;
            }
            let factor = 2u32.saturating_pow(attempt);
            thread::sleep(self.opts.backoff.saturating_mul(factor));
            attempt += 1;
        }
    }

    /// Check one URL, following up to `max_redirects` redirects.
    pub fn check(&self, url: &str) -> Outcome {
        let out = Outcome::new(url);
        let written = url.trim();
        let absolute = if written.starts_with("//") {
            format!("https:{written}")
        } else {
            written.to_string()
        };
        let mut current = match Url::parse(&absolute) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
            _ => return out.dead("网址无效，无法访问".into()),
        };
        let mut out = out;
        for _ in 0..=self.opts.max_redirects {
            let host = current.host_str().unwrap_or_default().to_lowercase();
            out.final_url = current.to_string();
            match self.exchange(current.as_str(), &host, &mut out) {
                Ok((code, Some(location))) if (300..400).contains(&code) => {
                    let Ok(next) = current.join(&location) else {
                        out.code = Some(code);
                        return out.dead(format!("重定向地址无效：{location}"));
                    };
                    out.redirects.push(Hop {
                        code,
                        to: next.to_string(),
                    });
                    current = next;
                }
                Ok((code, _)) => {
                    out.code = Some(code);
                    out.slow = out.seconds > self.opts.slow.as_secs_f64();
                    return if code >= 400 {
                        out.dead(format!("HTTP {code}"))
                    } else {
                        out
                    };
                }
                Err((message, _)) => return out.dead(message),
            }
        }
        out.final_url = current.to_string();
        let n = self.opts.max_redirects;
        out.dead(format!("重定向超过 {n} 次"))
    }
}
