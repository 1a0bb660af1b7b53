//! 我的待审: the articles this reviewer can advance now, then everything
//! else pending with who it waits for; filters by column and class.

use std::collections::HashMap;

use super::http::encode;
use super::page::{esc, page};
use super::view::View;
use crate::describe::{class_label, column_label};
use crate::gate::{level_label, Code};

/// The articles held for review (not withdrawn), split into what the
/// reviewer can sign now (with the level) and the rest, after the filters.
pub fn split(
    v: &View,
    column: Option<&str>,
    class: Option<&str>,
) -> (Vec<(usize, u8)>, Vec<usize>) {
    let mut mine = Vec::new();
    let mut rest = Vec::new();
    for (i, (a, d)) in v
        .judged
        .content
        .articles
        .iter()
        .zip(&v.judged.decisions)
        .enumerate()
    {
        if !a.readable || !d.held_for_review() || v.withdrawn(i) {
            continue;
        }
        // A column includes its sub-columns.
        if column.is_some_and(|c| !crate::gate::keyring::within(&a.column, c))
            || class.is_some_and(|c| a.class.as_deref() != Some(c))
        {
            continue;
        }
        match v.can_sign(i) {
            Ok(level) => mine.push((i, level)),
            Err(_) => rest.push(i),
        }
    }
    (mine, rest)
}

fn link(v: &View, i: usize) -> String {
    let a = &v.judged.content.articles[i];
    format!(
        "<a href=\"/_review/article?a={}\">{}</a>",
        encode(&a.path),
        esc(&a.title)
    )
}

/// The held reasons, in plain Chinese, one per line.
fn reasons(v: &View, i: usize) -> String {
    let d = &v.judged.decisions[i];
    let mut out: Vec<String> = d
        .reasons
        .iter()
        .filter(|r| r.word != Code::Pending)
        .map(|r| esc(&r.message))
        .collect();
    if let Some(r) = &d.returned {
        out.push(format!(
            "<strong>退回意见</strong>（{}）：{}",
            esc(&r.reviewer_name),
            esc(&r.comment)
        ));
    }
    if out.is_empty() {
        let missing: Vec<&str> = d
            .verdict
            .requirements
            .iter()
            .filter(|q| !q.met)
            .map(|q| q.label.as_str())
            .collect();
        format!("尚缺：{}", esc(&missing.join("、")))
    } else {
        out.join("<br>")
    }
}

fn filters(v: &View, column: Option<&str>, class: Option<&str>) -> String {
    let mut cols = String::from("<option value=\"\">全部栏目</option>");
    for c in &v.judged.content.columns {
        let sel = if column == Some(c.id.as_str()) {
            " selected"
        } else {
            ""
        };
        // Sub-columns indented under their parent (the list is the tree
        // in pre-order).
        cols.push_str(&format!(
            "<option value=\"{}\"{sel}>{}{}</option>",
            esc(&c.id),
            "\u{3000}".repeat(c.depth()),
            esc(&c.title)
        ));
    }
    let mut classes = String::from("<option value=\"\">全部类别</option>");
    for c in ["A", "B", "C"] {
        let sel = if class == Some(c) { " selected" } else { "" };
        classes.push_str(&format!(
            "<option value=\"{c}\"{sel}>{}</option>",
            class_label(Some(c))
        ));
    }
    format!(
        "<form class=\"filters\" method=\"get\" action=\"/_review/\">\
<label>栏目 <select name=\"column\">{cols}</select></label> \
<label>信息类别 <select name=\"class\">{classes}</select></label> \
<button type=\"submit\">筛选</button></form>"
    )
}

/// The queue page.
pub fn render(v: &View, query: &HashMap<String, String>) -> String {
    let pick = |k: &str| query.get(k).map(String::as_str).filter(|s| !s.is_empty());
    let (column, class) = (pick("column"), pick("class"));
    let (mine, rest) = split(v, column, class);
    let content = &v.judged.content;
    let mut body = format!("<h1>我的待审</h1>{}", filters(v, column, class));
    body.push_str(&format!(
        "<h2 id=\"mine\">现在可由您签发的文章（{} 篇）</h2>",
        mine.len()
    ));
    if mine.is_empty() {
        body.push_str("<p class=\"note\">目前没有需要您签发的文章。</p>");
    } else {
        body.push_str("<table aria-labelledby=\"mine\"><thead><tr><th scope=\"col\">标题</th><th scope=\"col\">栏目</th><th scope=\"col\">信息类别</th><th scope=\"col\">您将签署</th><th scope=\"col\">暂缓原因</th></tr></thead><tbody>");
        for (i, level) in &mine {
            let a = &content.articles[*i];
            let stale = if v.my_stale(*i).is_empty() {
                String::new()
            } else {
                format!(
                    "<br><a href=\"/_review/diff?a={}\">您签署过的版本已被修改：查看修改对比</a>",
                    encode(&a.path)
                )
            };
            body.push_str(&format!(
                "<tr class=\"can\"><td>{}{stale}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                link(v, *i),
                esc(&column_label(content, a)),
                esc(&class_label(a.class.as_deref())),
                level_label(*level),
                reasons(v, *i)
            ));
        }
        body.push_str("</tbody></table>");
    }
    body.push_str(&format!(
        "<h2 id=\"rest\">其他待审文章（{} 篇）</h2>",
        rest.len()
    ));
    if rest.is_empty() {
        body.push_str("<p class=\"note\">没有其他待审文章。</p>");
    } else {
        body.push_str("<table aria-labelledby=\"rest\"><thead><tr><th scope=\"col\">标题</th><th scope=\"col\">栏目</th><th scope=\"col\">信息类别</th><th scope=\"col\">等待</th><th scope=\"col\">暂缓原因</th></tr></thead><tbody>");
        for i in &rest {
            let a = &content.articles[*i];
            let waits = v.waits_for(*i);
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                link(v, *i),
                esc(&column_label(content, a)),
                esc(&class_label(a.class.as_deref())),
                if waits.is_empty() {
                    "—".to_string()
                } else {
                    esc(&waits.join("；"))
                },
                reasons(v, *i)
            ));
        }
        body.push_str("</tbody></table>");
    }
    if query.get("all").is_some_and(|a| a == "1") {
        body.push_str(&published(v, column, class));
    } else {
        body.push_str(
            "<p><a href=\"/_review/?all=1\">显示已发布的文章（需要撤稿时从这里找到文章）</a></p>",
        );
    }
    page(&v.frame(), "我的待审", &body)
}

/// The published articles (to withdraw one), after the filters.
fn published(v: &View, column: Option<&str>, class: Option<&str>) -> String {
    let content = &v.judged.content;
    let rows: Vec<String> = content
        .articles
        .iter()
        .zip(&v.judged.decisions)
        .enumerate()
        .filter(|(_, (a, d))| {
            d.publish
                && column.is_none_or(|c| crate::gate::keyring::within(&a.column, c))
                && class.is_none_or(|c| a.class.as_deref() == Some(c))
        })
        .map(|(i, (a, _))| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                link(v, i),
                esc(&column_label(content, a)),
                esc(&class_label(a.class.as_deref())),
                a.date.format("%Y-%m-%d")
            )
        })
        .collect();
    format!(
        "<h2 id=\"published\">已发布的文章（{} 篇）</h2>\
<table aria-labelledby=\"published\"><thead><tr><th scope=\"col\">标题</th><th scope=\"col\">栏目</th>\
<th scope=\"col\">信息类别</th><th scope=\"col\">日期</th></tr></thead><tbody>{}</tbody></table>",
        rows.len(),
        rows.concat()
    )
}
