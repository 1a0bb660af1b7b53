//! The article as it will be published (the preview's rendering, in a
//! frame from the desk's own origin) with the panel of everything the
//! reviewer attests, and the forms for 签发 / 退回 / 撤稿.

use std::collections::BTreeSet;

use super::http::encode;
use super::page::{csrf_field, esc, page};
use super::view::View;
use crate::content::CONTENT_DIR;
use crate::describe::{
    approval_line, class_label, column_label, requirement_line, verdict_word, withdrawal_line,
};
use crate::gate::{self, level_label, AssetFile, Code};

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "<dd>无</dd>".to_string();
    }
    items
        .iter()
        .map(|i| format!("<dd>{}</dd>", esc(i)))
        .collect()
}

/// Every listed or referenced local file, with its size and SHA-256.
fn attachments(v: &View, i: usize) -> Vec<String> {
    let (a, d) = v.article(i);
    let mut paths: BTreeSet<String> = d.assets.referenced.iter().cloned().collect();
    paths.extend(gate::listed_assets(&a.doc));
    let root = v.root.join(CONTENT_DIR);
    paths
        .into_iter()
        .map(|p| {
            let size = std::fs::metadata(root.join(&p))
                .map(|m| format!("{} 字节", m.len()))
                .unwrap_or_else(|_| "大小未知".to_string());
            let state = match d.assets.files.get(&p) {
                Some(AssetFile::Regular(h)) => format!("SHA-256 {h}"),
                Some(AssetFile::Missing) | None => "文件不存在".to_string(),
                Some(AssetFile::Symlink) => "符号链接（不会发布）".to_string(),
                Some(AssetFile::NotAsset) => "不是图片或附件".to_string(),
            };
            format!("content/{p}：{size}，{state}")
        })
        .collect()
}

/// The side panel.
fn panel(v: &View, i: usize) -> String {
    let (a, d) = v.article(i);
    let ver = &d.verdict;
    let content = &v.judged.content;
    let requirements: Vec<String> = ver
        .requirements
        .iter()
        .map(|q| requirement_line(q, ver))
        .collect();
    let approvals: Vec<String> = ver.approvals.iter().map(approval_line).collect();
    let findings: Vec<String> = d
        .reasons
        .iter()
        .filter(|r| r.word != Code::Pending)
        .map(|r| match r.line {
            Some(l) => format!("{}（第 {l} 行）", r.message),
            None => r.message.clone(),
        })
        .chain(d.warnings.iter().map(|w| format!("提醒：{}", w.message)))
        .collect();
    let mut out = format!(
        "<aside aria-label=\"审核信息\"><h2>审核信息</h2><dl>\
<dt>结论</dt><dd>{}</dd>\
<dt>信息类别</dt><dd>{}</dd><dt>栏目</dt><dd>{}</dd>\
<dt>审核要求</dt>{}<dt>签署记录</dt>{}",
        verdict_word(d),
        esc(&class_label(a.class.as_deref())),
        esc(&column_label(content, a)),
        list(&requirements),
        list(&approvals),
    );
    if let Some(w) = &ver.withdrawal {
        out.push_str(&format!(
            "<dt>撤稿</dt><dd>{}</dd>",
            esc(&withdrawal_line(w))
        ));
    }
    out.push_str(&format!(
        "<dt>外部网站（正文链接或引用的非本站地址）</dt>{}\
<dt>图片与附件</dt>{}<dt>内容检查结果</dt>{}\
<dt>摘要（digest，签署绑定的版本）</dt><dd><code>{}</code></dd>\
<dt>文件</dt><dd><code>{}</code></dd></dl></aside>",
        list(&ver.external_hosts),
        list(&attachments(v, i)),
        list(&findings),
        esc(&ver.digest),
        esc(&a.file),
    ));
    out
}

/// The 签发 / 退回 / 撤稿 part.
fn actions(v: &View, i: usize, csrf: &str) -> String {
    let a = v.article(i).0;
    let q = encode(&a.path);
    let mut out = String::from("<h2>审核操作</h2>");
    match v.can_sign(i) {
        Ok(level) => out.push_str(&format!(
            "<p><a class=\"btn primary\" href=\"/_review/sign?a={q}\">签发（{}）…</a> \
<span class=\"note\">下一步会再次显示标题、类别、级别和角色，请确认后签发。</span></p>",
            level_label(level)
        )),
        Err(r) => out.push_str(&format!(
            "<p class=\"note\">您现在不能签发这篇文章：{}</p>",
            esc(&r.message)
        )),
    }
    out.push_str(&format!(
        "<p><a href=\"/_review/diff?a={q}\">修改对比（与您签署过的版本比较）</a></p>"
    ));
    let mine = v
        .article(i)
        .1
        .verdict
        .approvals
        .iter()
        .filter(|ap| ap.reviewer == v.me().id)
        .count();
    if mine > 0 {
        out.push_str(&format!(
            "<form method=\"post\" action=\"/_review/unsign\" class=\"box\">{}\
<input type=\"hidden\" name=\"a\" value=\"{}\">\
<p>您在这篇文章上有 {mine} 条签署。签错了（例如签错了级别）可以撤回，撤回后可重新签发。</p>\
<p><button type=\"submit\">撤回我的签署</button></p></form>",
            csrf_field(csrf),
            esc(&a.path)
        ));
    }
    out.push_str(&format!(
        "<form method=\"post\" action=\"/_review/return\" class=\"box\">{}\
<input type=\"hidden\" name=\"a\" value=\"{}\">\
<p><label for=\"comment\">退回意见（写给编辑，不影响发布）</label><br>\
<textarea id=\"comment\" name=\"comment\" rows=\"3\" required maxlength=\"2000\"></textarea></p>\
<p><button type=\"submit\">退回</button></p></form>",
        csrf_field(csrf),
        esc(&a.path)
    ));
    if !v.withdrawn(i) {
        out.push_str(&format!(
            "<form method=\"post\" action=\"/_review/withdraw\" class=\"box\">{}\
<input type=\"hidden\" name=\"a\" value=\"{}\">\
<p><label for=\"reason\">撤稿理由（一行，记入信息发布登记表；下次构建时文章从网站上撤下）</label><br>\
<input id=\"reason\" name=\"reason\" size=\"40\" required></p>\
<p><button type=\"submit\">撤稿</button></p></form>",
            csrf_field(csrf),
            esc(&a.path)
        ));
    }
    out
}

/// The article page; `url` is the article's page in the preview, `None`
/// when the preview has no page for it.
pub fn render(v: &View, i: usize, url: Option<&str>, csrf: &str) -> String {
    let (a, d) = v.article(i);
    let mut body = format!("<h1>{}</h1>", esc(&a.title));
    if let Some(r) = &d.returned {
        body.push_str(&format!(
            "<div class=\"box returned\" role=\"note\"><strong>退回意见</strong>（{}，{}）：{}</div>",
            esc(&r.reviewer_name),
            esc(&r.at),
            esc(&r.comment)
        ));
    }
    let frame = match url {
        Some(u) => format!(
            "<iframe src=\"{}\" sandbox=\"allow-same-origin\" title=\"文章预览：{}（发布后的样子）\"></iframe>",
            esc(u),
            esc(&a.title)
        ),
        None => "<p class=\"warn\">这篇文章的页面暂时无法生成，原因见右侧的内容检查结果。</p>"
            .to_string(),
    };
    body.push_str(&format!(
        "<div class=\"layout\"><section aria-label=\"文章预览\">{frame}</section>{}</div>",
        panel(v, i)
    ));
    body.push_str(&actions(v, i, csrf));
    page(&v.frame(), &a.title, &body)
}
