//! Images need alternative text (R19, 适老化与无障碍): screen readers read
//! it to blind users. A Markdown image with empty alt (`![](x.png)`) or an
//! `<img>` without a non-empty `alt` holds the article.

use super::body::Scanned;
use super::{Finding, Region, Severity};
use crate::gate::Code;

/// At most this many characters of an image address are shown.
const SHOW: usize = 60;

fn short(src: &str) -> String {
    let src = src.trim();
    if src.chars().count() <= SHOW {
        return src.to_string();
    }
    let head: String = src.chars().take(SHOW).collect();
    format!("{head}…")
}

/// Findings for the images of a body.
pub fn check(scanned: &Scanned, body: &Region, out: &mut Vec<Finding>) {
    for img in &scanned.images {
        if img.alt.as_deref().is_some_and(|a| !a.trim().is_empty()) {
            continue;
        }
        let src = super::pii::mask_all(&short(&img.src));
        let (message, help) = if img.html {
            (
                format!("图片 <img src=\"{src}\"> 缺少替代文字（alt text）：读屏软件无法向视障用户说明图片内容"),
                "在 <img> 中加上说明图片内容的 alt，例如 <img src=\"…\" alt=\"2026年前三季度主要经济指标图\">，改后重新送审",
            )
        } else {
            (
                format!("图片 {src} 缺少替代文字（alt text）：读屏软件无法向视障用户说明图片内容"),
                "在方括号中写上图片内容说明，例如 ![区政务服务中心交通示意图](images/map.png)，改后重新送审",
            )
        };
        out.push(body.finding(img.offset, Code::AltText, Severity::Hold, message, help));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::Code;
    use crate::rules::body;

    fn findings(text: &str) -> Vec<Finding> {
        let scanned = body::scan(text);
        let r = Region::new(text, 7);
        let mut out = Vec::new();
        check(&scanned, &r, &mut out);
        out
    }

    #[test]
    fn images_without_alt_hold() {
        let out = findings(
            "第一段\n\n![](a.png)\n\n说明 ![ ](b.png) 与 <img src=\"c.png\">，<img src=d.png alt=\"\">\n",
        );
        let at: Vec<(usize, usize)> = out.iter().map(|f| (f.line, f.column)).collect();
        assert_eq!(at, vec![(9, 1), (11, 4), (11, 18), (11, 36)]);
        assert!(out.iter().all(|f| f.word == Code::AltText));
        assert!(out[0].message.contains("a.png"));
        assert!(out[2].message.contains("<img src=\"c.png\">"));
    }

    #[test]
    fn images_with_alt_pass() {
        let out = findings(
            "![示意图](a.png)\n\n<img src=\"b.png\" alt=\"流程图\">\n\n![**加粗**说明](c.png)\n\n`![](code.png)`\n",
        );
        assert!(out.is_empty(), "{out:?}");
    }
}
