//! Hosts an article's Markdown links to (interim: replaced by the link
//! model over the rendered HTML).

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::gate::url_host;

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
