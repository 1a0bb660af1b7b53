//! The images of a body — Markdown images and raw `<img>` alike, read
//! from its rendered HTML — with their alternative text (R19).

use super::markdown::{BodyHtml, Origin};
use super::tokens::{items, Item};

/// An image of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Byte offset in the body: the `!` of `![…](…)`, the `<` of `<img`.
    pub offset: usize,
    /// The address as written.
    pub src: String,
    /// The alternative text; `None` for an `<img>` without `alt`.
    pub alt: Option<String>,
    /// Raw HTML `<img>` rather than Markdown `![…](…)`.
    pub html: bool,
}

/// Every `<img>` (outside SVG) of a rendered body, in order.
pub fn images(rendered: &BodyHtml) -> Vec<Image> {
    images_of(rendered, &items(&rendered.html))
}

/// [`images`] of a rendered body already read by [`items`].
pub fn images_of(rendered: &BodyHtml, items: &[Item]) -> Vec<Image> {
    let mut out = Vec::new();
    for item in items {
        let Item::Start(tag) = item else {
            continue;
        };
        if tag.name != "img" || tag.svg {
            continue;
        }
        let (offset, origin) = rendered.source(tag.span.start);
        let (src, html) = match origin {
            Origin::Link(dest) => (dest.clone(), false),
            _ => (tag.get("src").unwrap_or_default().to_string(), true),
        };
        out.push(Image {
            offset,
            src,
            alt: tag.get("alt").map(str::to_string),
            html,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::to_html;

    #[test]
    fn images_with_and_without_alt() {
        let body = "![](a.png) ![图 `x`](b.png)\n\n<img src=\"c.png\">\n\n文字 <img alt=\"\" src='d.png'> 与 <IMG SRC=e.png ALT=\"说明\">\n\n<div>\n<img src=\"f.png\"\n     alt=\"多行\">\n</div>\n";
        let got: Vec<(String, Option<String>, bool)> = images(&to_html(body))
            .into_iter()
            .map(|i| (i.src, i.alt, i.html))
            .collect();
        let s = |x: &str| x.to_string();
        assert_eq!(
            got,
            vec![
                (s("a.png"), Some(s("")), false),
                (s("b.png"), Some(s("图 x")), false),
                (s("c.png"), None, true),
                (s("d.png"), Some(s("")), true),
                (s("e.png"), Some(s("说明")), true),
                (s("f.png"), Some(s("多行")), true),
            ]
        );
        let third = &images(&to_html(body))[2];
        assert_eq!(&body[third.offset..third.offset + 4], "<img");
    }
}
