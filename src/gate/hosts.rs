//! Hosts (spec §10): compared lowercased after IDNA decoding; `*.x` matches
//! `x` and every name under it. And the hosts an article body links to.

use pulldown_cmark::{Event, Options, Parser, Tag};
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

/// Decode the character references a browser would decode in an attribute
/// value: numeric ones and the few named ones that can spell a URL.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                };
                n.and_then(char::from_u32)
            } else {
                match name {
                    "colon" => Some(':'),
                    "sol" => Some('/'),
                    "bsol" => Some('\\'),
                    "period" => Some('.'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "Tab" => Some('\t'),
                    "NewLine" => Some('\n'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Values of `href` attributes in raw HTML (entities decoded).
fn hrefs(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("href") {
        let mut j = from + i + 4;
        from = j;
        let bytes = lower.as_bytes();
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= bytes.len() || bytes[j] != b'=' {
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let rest = &html[j..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &rest[1..];
                inner.split(q).next().unwrap_or(inner)
            }
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        out.push(decode_entities(value));
    }
    out
}

/// Hosts of every `http(s)` / protocol-relative link in a Markdown body:
/// inline, reference and autolinks, and `href` in raw HTML. Images do not
/// count. Parsed both with and without Markdown extensions, so that a link
/// is seen whichever way the renderer reads the text. Sorted, unique.
pub fn link_hosts(markdown_body: &str) -> Vec<String> {
    let mut hosts = Vec::new();
    for opts in [Options::empty(), Options::all()] {
        let mut html = String::new();
        for ev in Parser::new_ext(markdown_body, opts) {
            match ev {
                Event::Start(Tag::Link { dest_url, .. }) => hosts.extend(url_host(&dest_url)),
                Event::Html(s) | Event::InlineHtml(s) => {
                    html.push_str(&s);
                    html.push('\n');
                }
                _ => {}
            }
        }
        hosts.extend(hrefs(&html).iter().filter_map(|h| url_host(h)));
    }
    hosts.sort();
    hosts.dedup();
    hosts
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

    #[test]
    fn every_kind_of_link_is_found_and_images_are_not() {
        let body = "行内[a](https://a.example.com/x)，引用[b][r]，自动<https://c.example.com>，\
协议相对[d](//d.example.com/)，图片![i](https://img.example.com/p.png)。\n\n\
<p><a class=x HREF = 'https://e.example.com/'>e</a></p>\n\n\
行内 <a href=\"https&#58;//f.example.com/\">f</a> 与 <a href=https://g.example.com>g</a>\n\n\
[相对](/news/) [邮件](mailto:x@y.cn)\n\n[r]: https://b.example.com/ref\n";
        assert_eq!(
            link_hosts(body),
            vec![
                "a.example.com",
                "b.example.com",
                "c.example.com",
                "d.example.com",
                "e.example.com",
                "f.example.com",
                "g.example.com"
            ]
        );
    }

    #[test]
    fn link_inside_metadata_like_block_is_still_seen() {
        let body = "---\n[x](https://hidden.example.com/)\n---\n";
        assert!(link_hosts(body).contains(&"hidden.example.com".to_string()));
    }
}
