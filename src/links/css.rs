//! URLs in CSS: `url(…)` (quoted or not) and `@import "…"`, in a `style`
//! attribute or a `<style>` element. Comments are skipped; escapes other
//! than a backslash before a quote are left as written.

/// `(byte offset in the text, URL)` of every URL.
pub fn urls(css: &str) -> Vec<(usize, String)> {
    let b = css.as_bytes();
    let lower = css.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if lower[i..].starts_with("/*") {
            i = lower[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            continue;
        }
        if lower[i..].starts_with("url(") {
            let mut j = i + 4;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (value, end) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => string(css, j, q),
                _ => {
                    let e = css[j..].find(')').map_or(b.len(), |e| j + e);
                    (css[j..e].trim_end().to_string(), e)
                }
            };
            out.push((j, value));
            i = end.max(i + 4);
            continue;
        }
        if lower[i..].starts_with("@import") {
            let mut j = i + 7;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if let Some(&q @ (b'"' | b'\'')) = b.get(j) {
                let (value, end) = string(css, j, q);
                out.push((j, value));
                i = end;
                continue;
            }
            i = j;
            continue;
        }
        if let Some(&q @ (b'"' | b'\'')) = b.get(i) {
            i = string(css, i, q).1;
            continue;
        }
        i += css[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// The CSS string opening with quote `q` at `at`: its value and the byte
/// offset after it.
fn string(css: &str, at: usize, q: u8) -> (String, usize) {
    let mut value = String::new();
    let mut chars = css[at + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, n)) = chars.next() {
                    if n != '\n' {
                        value.push(n);
                    }
                }
            }
            c if c as u32 == u32::from(q) => return (value, at + 1 + k + 1),
            '\n' => return (value, at + 1 + k),
            c => value.push(c),
        }
    }
    (value, css.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_css() {
        let css = "a{background:URL( https://x.cn/a.png )} /* url(no) */ b{c:url('q\\'1.png')}\n@import \"https://y.cn/s.css\"; d{content:\"url(no)\"}";
        let got: Vec<String> = urls(css).into_iter().map(|u| u.1).collect();
        assert_eq!(
            got,
            vec!["https://x.cn/a.png", "q'1.png", "https://y.cn/s.css"]
        );
    }
}
