//! Hosts (spec §10): compared lowercased after IDNA decoding; `*.x` matches
//! `x` and every name under it.

use url::Url;

/// Lowercase, IDNA-decode (`xn--…` → Unicode), drop a trailing dot.
pub fn normalize_host(host: &str) -> String {
    let h = host.trim().trim_end_matches('.');
    let (unicode, ok) = idna::domain_to_unicode(h);
    if ok.is_ok() && !unicode.is_empty() {
        unicode
    } else {
        h.to_lowercase()
    }
}

/// Normalise a pattern (`example.cn` or `*.example.cn`); `None` if it is
/// not one.
pub fn normalize_pattern(pattern: &str) -> Option<String> {
    let p = pattern.trim();
    let (wild, rest) = match p.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, p),
    };
    let bad = |c: char| c.is_whitespace() || "*/:?#@[]\\".contains(c);
    if rest.is_empty() || rest.contains(bad) || rest.starts_with('.') {
        return None;
    }
    let host = normalize_host(rest);
    Some(if wild { format!("*.{host}") } else { host })
}

/// Whether a host matches a pattern; both are normalised here.
pub fn host_matches(host: &str, pattern: &str) -> bool {
    let host = normalize_host(host);
    let Some(pattern) = normalize_pattern(pattern) else {
        return false;
    };
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            host == suffix
                || host
                    .strip_suffix(suffix)
                    .is_some_and(|head| head.ends_with('.'))
        }
        None => host == pattern,
    }
}

/// The normalised host of an `http(s)` or protocol-relative (`//host/…`)
/// URL; `None` for relative links and other schemes. An `http(s)` URL that
/// cannot be parsed still yields its raw authority, so it is never mistaken
/// for an internal link.
pub fn url_host(dest: &str) -> Option<String> {
    let d = dest.trim();
    let b = d.as_bytes();
    let slash = |c: u8| c == b'/' || c == b'\\';
    let candidate = if b.len() >= 2 && slash(b[0]) && slash(b[1]) {
        format!("https:{d}")
    } else {
        d.to_string()
    };
    let lower = candidate.to_ascii_lowercase();
    let web = lower.starts_with("http:") || lower.starts_with("https:");
    match Url::parse(&candidate) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => match u.host_str() {
            Some(h) => Some(normalize_host(h)),
            None => Some(String::new()),
        },
        Ok(_) => None,
        Err(_) if web => {
            let after = candidate.split_once(':').map(|x| x.1).unwrap_or("");
            let after = after.trim_start_matches(['/', '\\']);
            let auth = after.split(['/', '?', '#', '\\']).next().unwrap_or("");
            let auth = auth.rsplit('@').next().unwrap_or(auth);
            Some(auth.to_lowercase())
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_matches_the_domain_and_below() {
        assert!(host_matches("www.ah.gov.cn", "*.gov.cn"));
        assert!(host_matches("gov.cn", "*.gov.cn"));
        assert!(host_matches("WWW.AH.GOV.CN.", "*.gov.cn"));
        assert!(!host_matches("evilgov.cn", "*.gov.cn"));
        assert!(!host_matches("gov.cn.evil.com", "*.gov.cn"));
        assert!(host_matches("www.gov.cn", "www.gov.cn"));
        assert!(!host_matches("m.www.gov.cn", "www.gov.cn"));
    }

    #[test]
    fn idna_hosts_are_decoded() {
        assert_eq!(
            normalize_host("www.xn--fiq06l2rdsvs.xn--zfr164b"),
            "www.中文域名.政务"
        );
        assert!(host_matches("www.xn--fiq06l2rdsvs.xn--zfr164b", "*.政务"));
        assert!(host_matches("www.中文域名.政务", "*.xn--zfr164b"));
        assert!(host_matches(
            "xn--fiq06l2rdsvs.xn--zfr164b.cn",
            "*.中文域名.政务.cn"
        ));
        assert!(!host_matches(
            "www.xn--fiq06l2rdsvs.xn--zfr164b",
            "*.政务.cn"
        ));
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(normalize_pattern("*.").is_none());
        assert!(normalize_pattern("a.*.cn").is_none());
        assert!(normalize_pattern("https://x.cn").is_none());
        assert_eq!(normalize_pattern(" *.GOV.cn ").as_deref(), Some("*.gov.cn"));
    }

    #[test]
    fn url_hosts() {
        assert_eq!(
            url_host("https://WWW.Example.com:8080/a").as_deref(),
            Some("www.example.com")
        );
        assert_eq!(
            url_host("//cdn.example.com/x").as_deref(),
            Some("cdn.example.com")
        );
        assert_eq!(
            url_host("/\\evil.example.com/x").as_deref(),
            Some("evil.example.com")
        );
        assert_eq!(
            url_host("https://www.政务.cn/").as_deref(),
            Some("www.政务.cn")
        );
        assert_eq!(url_host("/news/a.html"), None);
        assert_eq!(url_host("a.html"), None);
        assert_eq!(url_host("mailto:a@b.cn"), None);
        assert_eq!(
            url_host("https://bad host.com/").as_deref(),
            Some("bad host.com")
        );
    }
}
