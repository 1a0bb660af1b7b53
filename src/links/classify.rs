//! Where a URL points, parsed the way a browser parses it (WHATWG, with
//! the `url` crate): ASCII tab and newline removed, leading and trailing
//! C0 control or space stripped, resolved against the article's page.

use serde::Serialize;
use url::Url;

use crate::gate::hosts::normalize_host;

/// The page a URL is read on, and the site's own host.
#[derive(Debug, Clone)]
pub struct Base {
    /// The article's page, e.g. `https://www.shiliqu.gov.cn/news/a/`.
    page: Url,
    /// The site's host, normalised (IDNA-decoded, lowercase).
    own_host: String,
}

impl Base {
    /// `base_url` of the site and a site path (`/news/a/`) on it; `None`
    /// when `base_url` is not an absolute URL.
    pub fn new(base_url: &str, page_path: &str) -> Option<Base> {
        let base = Url::parse(base_url).ok()?;
        let page = base.join(page_path).ok()?;
        let own_host = normalize_host(base.host_str().unwrap_or(""));
        Some(Base { page, own_host })
    }

    /// The site's own host, normalised.
    pub fn own_host(&self) -> &str {
        &self.own_host
    }

    /// The page URLs are resolved against.
    pub fn page(&self) -> &Url {
        &self.page
    }
}

/// Where a URL points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Target {
    /// Empty or `#…`: a place on the same page.
    Fragment,
    /// A page of this site (path ends in `/`, `.html` or has no extension).
    Page { path: String },
    /// A file of this site (image, attachment, style sheet…).
    File { path: String },
    /// Another host; `host` normalised (lowercase, IDNA-decoded).
    External { host: String },
    /// `mailto:`, `tel:`, `sms:`: allowed, not external.
    Contact { scheme: String },
    /// `javascript:`, `vbscript:`, `data:`, `file:` and every other scheme.
    Forbidden { scheme: String },
    /// Not a URL a browser could follow.
    Invalid,
}

impl Target {
    /// The other host, for [`Target::External`].
    pub fn external_host(&self) -> Option<&str> {
        match self {
            Target::External { host } => Some(host),
            _ => None,
        }
    }

    /// A page or file of this site.
    pub fn is_internal(&self) -> bool {
        matches!(self, Target::Page { .. } | Target::File { .. })
    }
}

/// What a browser does to an attribute value before parsing it as a URL:
/// leading and trailing C0 control or space stripped, every ASCII tab and
/// newline removed.
pub fn browser_clean(raw: &str) -> String {
    raw.trim_matches(|c: char| c <= '\u{20}')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Schemes that are allowed and do not leave for another web site.
const CONTACT: &[&str] = &["mailto", "tel", "sms"];

/// Classify `raw` (an attribute value, character references decoded) as
/// read on `base`'s page.
pub fn classify(raw: &str, base: &Base) -> Target {
    let clean = browser_clean(raw);
    if clean.is_empty() || clean.starts_with('#') {
        return Target::Fragment;
    }
    match base.page.join(&clean) {
        Ok(u) => of_url(&u, base),
        Err(_) => match raw_authority(&clean) {
            // An http(s) URL the parser refuses still names a host: never
            // mistaken for an internal link (fail closed).
            Some(host) if host != base.own_host => Target::External { host },
            _ => Target::Invalid,
        },
    }
}

fn of_url(u: &Url, base: &Base) -> Target {
    match u.scheme() {
        "http" | "https" => {
            let host = normalize_host(u.host_str().unwrap_or(""));
            if host != base.own_host {
                return Target::External { host };
            }
            let path = u.path().to_string();
            let last = path.rsplit('/').next().unwrap_or("");
            let page = last.is_empty()
                || !last.contains('.')
                || last.ends_with(".html")
                || last.ends_with(".htm");
            if page {
                Target::Page { path }
            } else {
                Target::File { path }
            }
        }
        s if CONTACT.contains(&s) => Target::Contact {
            scheme: s.to_string(),
        },
        s => Target::Forbidden {
            scheme: s.to_string(),
        },
    }
}

/// The authority of something that looks like an `http(s)` or
/// scheme-relative URL, lowercased; `None` otherwise.
fn raw_authority(clean: &str) -> Option<String> {
    let lower = clean.to_ascii_lowercase();
    let slash = |c: char| c == '/' || c == '\\';
    let after = if let Some(rest) = lower
        .strip_prefix("https:")
        .or_else(|| lower.strip_prefix("http:"))
    {
        rest
    } else if lower.starts_with(slash) && lower[1..].starts_with(slash) {
        &lower[..]
    } else {
        return None;
    };
    let after = after.trim_start_matches(slash);
    let auth = after.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let auth = auth.rsplit('@').next().unwrap_or(auth);
    Some(auth.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Base {
        Base::new("https://www.shiliqu.gov.cn/", "/news/a/").expect("base")
    }

    fn ext(host: &str) -> Target {
        Target::External { host: host.into() }
    }

    #[test]
    fn obfuscated_urls_resolve_like_a_browser() {
        let b = base();
        assert_eq!(
            classify("/\t/evil.example.com", &b),
            ext("evil.example.com")
        );
        assert_eq!(
            classify("/\n/evil.example.com/x", &b),
            ext("evil.example.com")
        );
        assert_eq!(
            classify(" \u{1}//evil.example.com", &b),
            ext("evil.example.com")
        );
        assert_eq!(
            classify("/\\evil.example.com/x", &b),
            ext("evil.example.com")
        );
        assert_eq!(
            classify("ht\ttps://evil.example.com", &b),
            ext("evil.example.com")
        );
        assert_eq!(
            classify("java\tscript:alert(1)", &b),
            Target::Forbidden {
                scheme: "javascript".into()
            }
        );
        assert_eq!(
            classify("  JavaScript:alert(1)", &b),
            Target::Forbidden {
                scheme: "javascript".into()
            }
        );
    }

    #[test]
    fn internal_external_and_other() {
        let b = base();
        assert_eq!(
            classify("../b/", &b),
            Target::Page {
                path: "/news/b/".into()
            }
        );
        assert_eq!(
            classify("https://WWW.SHILIQU.GOV.CN/search/", &b),
            Target::Page {
                path: "/search/".into()
            }
        );
        assert_eq!(
            classify("images/x.png", &b),
            Target::File {
                path: "/news/a/images/x.png".into()
            }
        );
        assert_eq!(
            classify("https://shiliqu.gov.cn/", &b),
            ext("shiliqu.gov.cn")
        );
        assert_eq!(
            classify("https://www.xn--fiq06l2rdsvs.xn--zfr164b/", &b),
            ext("www.中文域名.政务")
        );
        assert_eq!(
            classify("//cdn.example.com/x.js", &b),
            ext("cdn.example.com")
        );
        assert_eq!(classify("https://bad host.com/", &b), ext("bad host.com"));
        assert_eq!(
            classify("mailto:a@b.cn", &b),
            Target::Contact {
                scheme: "mailto".into()
            }
        );
        assert_eq!(
            classify("tel:12345", &b),
            Target::Contact {
                scheme: "tel".into()
            }
        );
        assert_eq!(
            classify("data:text/html,x", &b),
            Target::Forbidden {
                scheme: "data".into()
            }
        );
        assert_eq!(classify("#top", &b), Target::Fragment);
        assert_eq!(classify("", &b), Target::Fragment);
        assert_eq!(classify("http://[::1/", &b), ext("[::1"));
    }
}
