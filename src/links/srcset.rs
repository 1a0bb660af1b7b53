//! The image candidate strings of a `srcset` attribute (HTML §4.8.4.3):
//! each candidate is a URL followed by an optional descriptor, candidates
//! separated by commas; a URL may itself contain commas, but not end with
//! one.

/// `(byte offset in the value, URL)` of every candidate.
pub fn candidates(value: &str) -> Vec<(usize, &str)> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    while i < b.len() {
        while i < b.len() && (space(b[i]) || b[i] == b',') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !space(b[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && b[end - 1] == b',' {
            end -= 1;
        }
        out.push((start, &value[start..end]));
        if end < i {
            // The URL ended with commas: no descriptor follows.
            continue;
        }
        // Skip the descriptors, up to the next comma outside parentheses.
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_candidate_is_found() {
        let got: Vec<&str> = candidates(" a.png 1x, https://x.cn/b,c.png 2x,d.png,,\n e.png 100w")
            .into_iter()
            .map(|c| c.1)
            .collect();
        assert_eq!(got, vec!["a.png", "https://x.cn/b,c.png", "d.png", "e.png"]);
        assert!(candidates("  ").is_empty());
    }
}
