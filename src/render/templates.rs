//! The Tera engine over a theme's templates, with template errors turned
//! into diagnostics that name the template file and line.

use std::collections::BTreeMap;

use tera::{Context, Tera};

use crate::diag::{Diagnostic, Diagnostics};
use crate::theme::Theme;

/// Compiled templates of one theme.
pub struct Engine {
    tera: Tera,
    dir: String,
    sources: BTreeMap<String, String>,
}

/// HTML/XML escaping without turning `/` into `&#x2F;` (URLs stay readable).
pub fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Every message in an error's chain, outermost first.
fn chain(e: &dyn std::error::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out
}

/// `--> 12:5` in a Tera parse error.
fn parse_position(text: &str) -> Option<(usize, usize)> {
    let rest = &text[text.find("--> ")? + 4..];
    let end = rest.find(|c: char| !c.is_ascii_digit() && c != ':')?;
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// The text between the first pair of backticks.
fn backticked(text: &str) -> Option<&str> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    Some(&text[start..start + len])
}

/// Functions a template may not call: they read the build machine.
const REFUSED_FUNCTIONS: [&str; 1] = ["get_env"];

fn refuse_get_env(_: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    Err(tera::Error::msg("模板不能读取环境变量（get_env 已禁用）"))
}

/// A call of a refused function in a template, with its line.
fn environment_read(dir: &str, name: &str, source: &str) -> Option<Diagnostic> {
    for (i, line) in source.lines().enumerate() {
        for f in REFUSED_FUNCTIONS {
            let mut from = 0;
            while let Some(at) = line[from..].find(f).map(|p| p + from) {
                from = at + f.len();
                let before = line[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                if !line[from..].trim_start().starts_with('(') {
                    continue;
                }
                let column = line[..at].chars().count() + 1;
                return Some(
                    Diagnostic::new(
                        format!("{dir}/templates/{name}"),
                        format!("模板不能读取构建机器的环境变量：{f}(…) 已禁用"),
                    )
                    .at_line(i + 1)
                    .at_column(column)
                    .with_len(f.chars().count())
                    .with_source(source)
                    .help("删除这个调用；模板只能使用站点与文章的数据（见用户手册「主题与模板」一章），密钥和环境变量绝不能出现在网页中。"),
                );
            }
        }
    }
    None
}

/// A template's source without the indentation and trailing blanks of its
/// lines, so that the indentation which keeps a template readable is not
/// repeated in every page written from it. Every line keeps its newline (a
/// line number in a template error stays right) and a run of spaces next to a
/// newline renders as the newline alone, so pages look the same. Templates
/// with preformatted text (`<pre>`, `<textarea>`), where spaces show, and
/// files that are not HTML are left as they are.
fn compact_source(name: &str, source: &str) -> String {
    let lower = source.to_ascii_lowercase();
    if !name.ends_with(".html") || lower.contains("<pre") || lower.contains("<textarea") {
        return source.to_string();
    }
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_matches([' ', '\t', '\r']));
    }
    out
}

impl Engine {
    pub fn new(theme: &Theme) -> Result<Engine, Diagnostics> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        // Tera's `get_env` would print the build's environment (a CI deploy
        // key) into public pages: refused below, and replaced here in case
        // a call slips past the check.
        tera.register_function("get_env", refuse_get_env);
        let mut errors = Diagnostics::default();
        for (name, source) in &theme.templates {
            if let Some(d) = environment_read(&theme.dir, name, source) {
                errors.push(d);
            }
        }
        // Add one by one first, so that a syntax error names its template.
        for (name, source) in &theme.templates {
            if let Err(e) = tera::Template::new(name, None, source) {
                let messages = chain(&e);
                let mut d = Diagnostic::new(
                    format!("{}/templates/{name}", theme.dir),
                    "模板语法错误".to_string(),
                )
                .help("检查 {{ }} 与 {% %} 是否成对、拼写是否正确；语法见 Tera 文档。");
                if let Some((l, c)) = messages.iter().find_map(|m| parse_position(m)) {
                    d = d.at_line(l).at_column(c).with_source(source);
                }
                d.message = format!(
                    "模板语法错误：{}",
                    messages
                        .last()
                        .cloned()
                        .unwrap_or_default()
                        .lines()
                        .last()
                        .unwrap_or("")
                        .trim()
                );
                errors.push(d);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let compacted = theme
            .templates
            .iter()
            .map(|(name, source)| (name.clone(), compact_source(name, source)));
        if let Err(e) = tera.add_raw_templates(compacted) {
            return Err(Diagnostic::new(
                format!("{}/templates", theme.dir),
                format!("模板无法加载：{}", chain(&e).join("：")),
            )
            .help("检查 {% extends %} 与 {% include %} 引用的模板名是否存在。")
            .into());
        }
        Ok(Engine {
            tera,
            dir: theme.dir.clone(),
            sources: theme.templates.iter().cloned().collect(),
        })
    }

    /// Render template `name`.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| self.diagnose(name, &e))
    }

    fn diagnose(&self, name: &str, e: &tera::Error) -> Diagnostic {
        let messages = chain(e);
        let inner = messages.last().cloned().unwrap_or_default();
        // "Variable `x.y` not found in context while rendering 'z.html'"
        let template = inner
            .split('\'')
            .nth(1)
            .filter(|t| self.sources.contains_key(*t))
            .unwrap_or(name)
            .to_string();
        let file = format!("{}/templates/{template}", self.dir);
        if inner.starts_with("Variable `") && inner.contains("not found in context") {
            let var = backticked(&inner).unwrap_or_default().to_string();
            let mut d = Diagnostic::new(&file, format!("模板使用了不存在的变量 `{var}`"))
                .help("改正变量名（可用变量见用户手册「主题与模板」一章），或用 {% if 变量 %} 先判断是否存在。");
            if let Some(src) = self.sources.get(&template) {
                if let Some(i) = src.lines().position(|l| l.contains(&var)) {
                    let line = &src.lines().nth(i).unwrap_or_default();
                    let col = line.find(&var).map(|b| line[..b].chars().count() + 1);
                    d = d.at_line(i + 1).with_source(src);
                    if let Some(c) = col {
                        d = d.at_column(c).with_len(var.chars().count());
                    }
                }
            }
            return d;
        }
        Diagnostic::new(&file, format!("模板渲染失败：{}", messages.join("：")))
            .help("检查模板中的过滤器、函数和变量用法。")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(templates: &[(&str, &str)]) -> Theme {
        Theme {
            dir: "themes/t".into(),
            templates: templates
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
            assets: Vec::new(),
        }
    }

    #[test]
    fn unknown_variable_names_template_line() {
        let t = theme(&[("a.html", "<p>\n{{ page.titel }}\n</p>")]);
        let engine = Engine::new(&t).unwrap();
        let d = engine.render("a.html", &Context::new()).unwrap_err();
        assert_eq!(d.file, "themes/t/templates/a.html");
        assert_eq!(d.line, Some(2));
        assert!(d.message.contains("page.titel"), "{}", d.message);
    }

    #[test]
    fn syntax_error_names_line() {
        let t = theme(&[("a.html", "ok\n{% if x %}\n")]);
        let errs = Engine::new(&t).err().unwrap();
        assert_eq!(errs.0[0].file, "themes/t/templates/a.html");
        assert!(errs.0[0].line.is_some(), "{:?}", errs.0[0]);
    }

    #[test]
    fn get_env_is_refused_at_its_line() {
        let t = theme(&[("a.html", "<p>\n{{ get_env(name=\"DEPLOY_KEY\") }}\n</p>")]);
        let errs = Engine::new(&t).err().expect("refused");
        assert_eq!(errs.0[0].file, "themes/t/templates/a.html");
        assert_eq!(errs.0[0].line, Some(2));
        assert!(
            errs.0[0].message.contains("get_env"),
            "{}",
            errs.0[0].message
        );
        // A variable merely named like it is fine.
        let t = theme(&[("a.html", "{{ my_get_env }}{% set get_env_x = 1 %}")]);
        assert!(environment_read("d", "a.html", &t.templates[0].1).is_none());
    }

    #[test]
    fn get_env_function_is_replaced() {
        std::env::set_var("SANSHEN_TEST_SECRET_VAR", "s3cret");
        let mut tera = Tera::default();
        tera.register_function("get_env", refuse_get_env);
        tera.add_raw_template("x", "{{ get_env(name=\"SANSHEN_TEST_SECRET_VAR\") }}")
            .unwrap();
        let out = tera.render("x", &Context::new());
        assert!(out.is_err());
    }

    #[test]
    fn indentation_is_not_written_to_pages() {
        let t = theme(&[
            (
                "a.html",
                "<ul>\n  <li>{{ x }}</li>\t\n    <li>b</li>\n</ul>\n",
            ),
            ("p.html", "<pre>\n  kept\n</pre>"),
            ("f.xml", "<a>\n  <b/>\n</a>"),
        ]);
        let engine = Engine::new(&t).unwrap();
        let mut ctx = Context::new();
        ctx.insert("x", "  a  \n  b");
        let page = engine.render("a.html", &ctx).unwrap();
        // Values are written as they are; only the template's own blanks go.
        assert_eq!(page, "<ul>\n<li>  a  \n  b</li>\n<li>b</li>\n</ul>\n");
        let pre = engine.render("p.html", &ctx).unwrap();
        assert_eq!(pre, "<pre>\n  kept\n</pre>");
        let xml = engine.render("f.xml", &ctx).unwrap();
        assert_eq!(xml, "<a>\n  <b/>\n</a>");
    }

    /// Runs of HTML whitespace as one space: what a browser shows outside
    /// preformatted text.
    fn collapsed(text: &str) -> String {
        text.split([' ', '\t', '\r', '\n'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    proptest::proptest! {
        /// Compacting a template never changes what a browser shows, nor
        /// the line of anything in it.
        #[test]
        fn compacting_keeps_lines_and_visible_text(
            lines in proptest::collection::vec("[ \t]{0,6}[a-z<>/{}%= 中文]{0,12}[ \t\r]{0,3}", 0..12),
        ) {
            let source = lines.join("\n");
            let compact = compact_source("a.html", &source);
            proptest::prop_assert_eq!(compact.matches('\n').count(), source.matches('\n').count());
            proptest::prop_assert_eq!(collapsed(&compact), collapsed(&source));
            proptest::prop_assert!(compact.len() <= source.len());
            let pre = format!("<pre>{source}</pre>");
            proptest::prop_assert_eq!(compact_source("a.html", &pre), pre);
        }
    }

    #[test]
    fn escapes_without_slashes() {
        assert_eq!(escape("/a/<b>&\""), "/a/&lt;b&gt;&amp;&quot;");
    }
}
