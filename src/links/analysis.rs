//! One article body read once for the judge (issue 15): rendered to HTML
//! ([`to_html`]) and tokenized ([`tokens::items`]) a single time, then
//! given to every reader of its links and markup — the gate's hosts and
//! local files, the content rules, the link inventory — instead of each
//! rendering and tokenizing the body again.

use std::cell::OnceCell;

use super::extract::{self, Place};
use super::images::{images_of, Image};
use super::markdown::{to_html, BodyHtml};
use super::tokens::{self, Item};
use super::{of_places, to_body, Base, Link};

/// A body as HTML with its tags and URL-bearing places, read once.
#[derive(Debug)]
pub struct Analysis<'a> {
    /// The Markdown body.
    pub body: &'a str,
    /// The body as HTML, mapped back to the body.
    pub rendered: BodyHtml,
    /// The tags and style sheets of [`Analysis::rendered`].
    pub items: Vec<Item>,
    places: Vec<Place>,
    /// [`Analysis::links`] read on a page of a host no link names.
    neutral: OnceCell<Vec<Link>>,
}

impl<'a> Analysis<'a> {
    /// Render and tokenize `body` once.
    pub fn of(body: &'a str) -> Analysis<'a> {
        let rendered = to_html(body);
        let items = tokens::items(&rendered.html);
        let places = extract::places_of(&items);
        Analysis {
            body,
            rendered,
            items,
            places,
            neutral: OnceCell::new(),
        }
    }

    /// Every URL of the HTML, classified on `base`'s page, with lines of
    /// the HTML: [`super::of_html`] of the rendered body.
    pub fn html_links(&self, base: &Base) -> Vec<Link> {
        of_places(&self.rendered.html, &self.places, base)
    }

    /// Every URL of the body, classified on `base`'s page, with lines of
    /// the body: [`super::of_markdown`].
    pub fn links(&self, base: &Base) -> Vec<Link> {
        to_body(self.body, &self.rendered, self.html_links(base), base)
    }

    /// [`Analysis::links`] on a page of `https://site.invalid/`, where
    /// only the hosts of absolute URLs matter (the content rules' view).
    pub fn neutral_links(&self) -> &[Link] {
        self.neutral.get_or_init(|| {
            Base::new("https://site.invalid/", "/")
                .map(|b| self.links(&b))
                .unwrap_or_default()
        })
    }

    /// Every `<img>` of the body ([`super::images::images`]).
    pub fn images(&self) -> Vec<Image> {
        images_of(&self.rendered, &self.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::{images::images, of_html, of_markdown};

    #[test]
    fn reads_as_the_separate_readers_do() {
        let body = "[a](https://a.example.com/x) ![i](p.png)\n\n<img src=\"q.png\" alt=\"图\">\n\n<p style=\"background:url(r.png)\"><a href=\"/news/\">n</a></p>\n\n[r]: /x/\n";
        let base = Base::new("https://www.shiliqu.gov.cn/", "/news/a/").expect("base");
        let a = Analysis::of(body);
        assert_eq!(a.links(&base), of_markdown(body, &base));
        assert_eq!(a.html_links(&base), of_html(&to_html(body).html, &base));
        assert_eq!(a.images(), images(&to_html(body)));
        let neutral = Base::new("https://site.invalid/", "/").expect("base");
        assert_eq!(a.neutral_links(), of_markdown(body, &neutral).as_slice());
        assert_eq!(a.links(&base).len(), 5, "{:?}", a.links(&base));
    }
}
