//! The 三级审核表 of one article as a printable HTML page, generated from
//! its signed approvals.

use std::path::Path;

use super::files::write_atomic;
use super::site::{self, SiteOpts};
use crate::content::{Article, Content};
use crate::describe as show;
use crate::diag::Diagnostic;
use crate::gate::{ApprovalCheck, Verdict};
use crate::ops::Error;
use crate::printable::{esc, mark, page, row};
use crate::publish::Decision;

/// Make the form of `article`; with `out`, write it there (never into a
/// folder the build reads). Returns the HTML.
pub fn form(site: &SiteOpts, article: &Path, out: Option<&Path>) -> Result<String, Error> {
    let root = &site.root;
    let rel = site::article_path(root, article)?;
    if let Some(out) = out {
        if let Some(part) = site::inside_site(root, out) {
            return Err(Error::from(
                Diagnostic::new(
                    out.display().to_string(),
                    format!("审核表不能写进站点的 {part}：构建会读取那里的文件"),
                )
                .help("写到站点目录之外，或站点根目录下的其他目录。"),
            ));
        }
    }
    let (judged, idx) = site::judge_article(site, &rel, "没有审核表")?;
    let a = &judged.content.articles[idx];
    let d = &judged.decisions[idx];
    let generated = site::timestamp(&judged.now);
    // Personal numbers masked and control characters escaped in the whole
    // form: it is printed on the terminal when no --out is given.
    let html = crate::diag::safe(&render(
        &judged.site.config.name,
        &judged.content,
        a,
        d,
        &generated,
    ));
    if let Some(out) = out {
        write_atomic(out, html.as_bytes())
            .map_err(|e| Diagnostic::new(out.display().to_string(), format!("无法写入：{e}")))?;
    }
    Ok(html)
}

fn opt(v: &Option<String>) -> String {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .map(esc)
        .unwrap_or_else(|| "—".to_string())
}

fn signer_cells(ap: &ApprovalCheck) -> String {
    format!(
        "<td class=\"nowrap\">{}</td><td>{}</td><td class=\"nowrap\">{}</td><td class=\"mono\">{}</td><td class=\"nowrap\">{}</td>",
        esc(ap.display_name()),
        opt(&ap.reviewer_title),
        esc(&ap.signed_at),
        opt(&ap.fingerprint),
        mark(
            show::signature_verifies(ap),
            if show::signature_verifies(ap) {
                "验证通过"
            } else {
                "验证未通过"
            }
        ),
    )
}

fn reviews_table(v: &Verdict) -> String {
    let mut out = String::from(
        "<table class=\"small\">\n<thead><tr><th>审核环节</th><th>审核人</th><th>职务</th><th>签署时间</th>\
         <th>密钥指纹</th><th>签名验证</th><th class=\"hand\">签字</th></tr></thead>\n<tbody>\n",
    );
    for q in &v.requirements {
        let mut label = esc(&q.label);
        if q.from_external_links {
            label.push_str(&format!(
                "<br><span class=\"muted\">正文链接到非政府网站：{}</span>",
                esc(&v.external_hosts.join("、"))
            ));
        }
        match q
            .approval
            .and_then(|i| v.approvals.get(i))
            .filter(|_| q.met)
        {
            Some(ap) => out.push_str(&format!(
                "<tr><td>{label}</td>{}<td></td></tr>\n",
                signer_cells(ap)
            )),
            None => out.push_str(&format!(
                "<tr><td>{label}</td><td colspan=\"5\">{}</td><td></td></tr>\n",
                mark(false, "尚未审核")
            )),
        }
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn other_approvals(v: &Verdict) -> String {
    let used: Vec<usize> = v.requirements.iter().filter_map(|q| q.approval).collect();
    let others: Vec<&ApprovalCheck> = v
        .approvals
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, a)| a)
        .collect();
    if others.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h2>其他签署记录（不计入审核）</h2>\n<table class=\"small\">\n<thead><tr><th>级别</th>\
         <th>审核人</th><th>职务</th><th>签署时间</th><th>密钥指纹</th><th>签名验证</th>\
         <th>状态</th></tr></thead>\n<tbody>\n",
    );
    for ap in others {
        out.push_str(&format!(
            "<tr><td>{}</td>{}<td>{}：{}</td></tr>\n",
            esc(&show::level_short(ap)),
            signer_cells(ap),
            esc(ap.status.label()),
            esc(&ap.detail)
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The HTML of the form.
pub fn render(site: &str, content: &Content, a: &Article, d: &Decision, generated: &str) -> String {
    let v = &d.verdict;
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}网站　生成时间：{}</p>\n",
        "网站信息发布三级审核表",
        esc(site),
        esc(generated)
    );
    body.push_str("<table class=\"info\">\n");
    body.push_str(&format!(
        "<tr><th>标题</th><td colspan=\"3\">{}</td></tr>\n",
        esc(&a.title)
    ));
    body.push_str(&row(&[
        ("信息类别", esc(&show::class_label(a.class.as_deref()))),
        ("栏目", esc(&show::column_label(content, a))),
    ]));
    body.push_str(&row(&[
        ("作者（信息员）", opt(&a.author)),
        ("发布机构", opt(&a.department)),
    ]));
    body.push_str(&row(&[
        ("文章日期", esc(&a.date.format("%Y-%m-%d").to_string())),
        ("文件", format!("<code>{}</code>", esc(&a.file))),
    ]));
    if let Some(s) = &a.source {
        body.push_str(&format!(
            "<tr><th>转载来源</th><td colspan=\"3\">{}（<code>{}</code>）</td></tr>\n",
            esc(&s.name),
            esc(&s.url)
        ));
    }
    body.push_str(&format!(
        "<tr><th>内容摘要值</th><td colspan=\"3\"><code>{}</code></td></tr>\n</table>\n",
        esc(&v.digest)
    ));
    body.push_str("<h2>审核意见</h2>\n");
    body.push_str(&reviews_table(v));
    body.push_str(&other_approvals(v));
    if let Some(w) = &v.withdrawal {
        body.push_str("<h2>撤稿记录</h2>\n<table>\n");
        body.push_str(&row(&[
            (
                "撤稿人",
                esc(w.reviewer_name.as_deref().unwrap_or(&w.reviewer)),
            ),
            ("时间", esc(&w.at)),
        ]));
        body.push_str(&row(&[
            ("理由", esc(&w.reason)),
            (
                "签名验证",
                mark(
                    w.signature_ok,
                    if w.signature_ok {
                        "验证通过"
                    } else {
                        "验证未通过"
                    },
                ),
            ),
        ]));
        body.push_str("</table>\n");
    }
    body.push_str("<h2>审核结论</h2>\n");
    if d.publish {
        body.push_str(&format!(
            "<p>{}</p>\n",
            mark(true, "审核要求已全部满足，可以发布")
        ));
    } else {
        body.push_str(&format!("<p>{}</p>\n<ul>\n", mark(false, "暂缓发布")));
        for r in &d.reasons {
            body.push_str(&format!("<li>{}</li>\n", esc(&r.message)));
        }
        body.push_str("</ul>\n");
    }
    body.push_str(
        "<p class=\"note\">本表由 sanshen 根据文章中的签名审核记录生成。每项审核是审核人用本人密钥\
         （Ed25519）对上面“内容摘要值”所代表的这一版文章及其路径所作的签名；文章修改或移动后，原审核即失效。\
         签名可用 reviews/reviewers.yaml 中的公钥独立验证。</p>\n",
    );
    page(&format!("三级审核表 — {}", a.title), &body, false)
}
