//! A theme: Tera templates and static assets, from `themes/<name>/` of the
//! site, or the default theme embedded in the binary.

use crate::content::Tree;
use crate::diag::Diagnostic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// Templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "column.html",
    "article.html",
    "sitemap.html",
    "search.html",
    "404.html",
    "leave.html",
    "statement.html",
];

/// One theme's files.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Display path of the theme folder, e.g. `themes/default`.
    pub dir: String,
    /// Template name (relative to `templates/`) → source.
    pub templates: Vec<(String, String)>,
    /// Static files (relative to `static/`) → bytes; copied to `/assets/`.
    pub assets: Vec<(String, Vec<u8>)>,
}

fn split(files: Vec<(String, Vec<u8>)>, dir: &str) -> Result<Theme, Diagnostic> {
    let mut theme = Theme {
        dir: dir.to_string(),
        templates: Vec::new(),
        assets: Vec::new(),
    };
    for (rel, bytes) in files {
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::new(format!("{dir}/{rel}"), "模板文件不是 UTF-8 编码")
                    .help("用文本编辑器将模板另存为 UTF-8。")
            })?;
            theme.templates.push((name.to_string(), text));
        } else if let Some(name) = rel.strip_prefix("static/") {
            theme.assets.push((name.to_string(), bytes));
        }
    }
    for name in REQUIRED {
        if !theme.templates.iter().any(|(n, _)| n == name) {
            return Err(Diagnostic::new(
                format!("{dir}/templates/{name}"),
                format!("主题缺少模板 {name}"),
            )
            .help("从默认主题 themes/default/templates/ 复制一份再修改。"));
        }
    }
    Ok(theme)
}

/// Load theme `name` from the site's `themes/`, falling back to the
/// embedded default theme.
pub fn load(tree: &dyn Tree, name: &str) -> Result<Theme, Diagnostic> {
    if !crate::config::valid_theme_name(name) {
        return Err(Diagnostic::new(
            crate::config::FILE,
            format!("theme 只能写 themes/ 下的主题目录名：{name}"),
        )
        .help("例如 theme: default；不能写路径（如 ../x 或 /x）"));
    }
    let dir = format!("themes/{name}");
    if tree.is_dir(&dir) {
        let list = tree
            .list(&dir)
            .map_err(|e| Diagnostic::new(&dir, format!("无法读取主题目录：{e}")))?;
        let mut files = Vec::with_capacity(list.len());
        for path in list {
            let bytes = tree
                .read(&path)
                .map_err(|e| Diagnostic::new(&path, format!("无法读取主题文件：{e}")))?;
            let rel = path[dir.len() + 1..].to_string();
            files.push((rel, bytes));
        }
        return split(files, &dir);
    }
    if name == "default" {
        let files = embedded::FILES
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        return split(files, "（内置默认主题）themes/default");
    }
    Err(Diagnostic::new(
        crate::config::FILE,
        format!("找不到主题 `{name}`：没有目录 {dir}/"),
    )
    .help("在 site.yaml 中写 theme: default，或把主题放到 themes/ 目录下。"))
}
