//! The files of a new site repository (`sanshen init`), rendered from the
//! templates in `templates/` by plain placeholder replacement (`@@NAME@@`):
//! site.yaml, one column, reviews/ with an empty keyring and the standard
//! policy, the office's README, the root-key ceremony, and CI files that
//! install a pinned sanshen (checked against a SHA-256) and run the steps
//! of one script, `ci/sanshen.sh`. The CI examples of this repository
//! (`examples/ci/`) are the same templates with placeholder values.

/// The values a new repository is rendered with.
#[derive(Debug, Clone)]
pub struct Vars {
    /// The site's name (网站名称), one line.
    pub name: String,
    /// The site's base URL, e.g. `https://www.example.gov.cn`.
    pub site_url: String,
    /// The pinned sanshen version, e.g. `0.1.0`.
    pub version: String,
    /// Where CI downloads that release.
    pub tool_url: String,
    /// SHA-256 (lower-case hex) of the file at `tool_url`.
    pub tool_sha256: String,
}

/// One file of the new repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path inside the repository, `/`-separated.
    pub path: &'static str,
    pub text: String,
    /// Mode 0755 (a script).
    pub executable: bool,
}

/// The name of a site when `init` is given none.
pub const DEFAULT_NAME: &str = "某某单位门户网站";
/// The base URL when `init` is given none.
pub const DEFAULT_SITE_URL: &str = "https://www.example.gov.cn";

/// The download address written when `init` is given no `--tool-url`:
/// `ci/sanshen.sh` refuses it (`example.invalid`) until it is replaced.
pub fn placeholder_tool_url(version: &str) -> String {
    format!("https://mirror.example.invalid/sanshen/{version}/sanshen-x86_64-linux")
}

/// The SHA-256 written into the examples of this repository; the script
/// refuses it as a placeholder.
pub const PLACEHOLDER_SHA256: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

const SITE_YAML: &str = include_str!("templates/site.yaml");
const NEWS_INDEX: &str = include_str!("templates/news_index.md");
const REVIEWERS: &str = include_str!("templates/reviewers.yaml");
/// The standard A/B/C policy: the example site's, its first (title) line
/// replaced.
const POLICY: &str = include_str!("../../reviews/policy.yaml");
const GITIGNORE: &str = include_str!("templates/gitignore");
const README: &str = include_str!("templates/README.md");
const CEREMONY: &str = include_str!("templates/ROOT-CEREMONY.md");
const GITLAB: &str = include_str!("templates/gitlab-ci.yml");
const GITHUB: &str = include_str!("templates/github-actions.yml");
const SCRIPT: &str = include_str!("templates/sanshen.sh");

/// The CI files: (path in a site repository, template, name under
/// `examples/ci/` of this repository).
const CI: &[(&str, &str, &str)] = &[
    (".gitlab-ci.yml", GITLAB, "gitlab-ci.yml"),
    (
        ".github/workflows/publish.yml",
        GITHUB,
        "github-actions.yml",
    ),
    ("ci/sanshen.sh", SCRIPT, "sanshen.sh"),
];

/// `text` with every placeholder replaced.
fn render(text: &str, v: &Vars) -> String {
    // A JSON string is a valid YAML double-quoted string.
    let quoted = serde_json::to_string(&v.name).unwrap_or_else(|_| format!("\"{}\"", v.name));
    text.replace("@@NAME@@", &quoted)
        .replace("@@NAME_TEXT@@", &v.name)
        .replace("@@SITE_URL@@", &v.site_url)
        .replace("@@VERSION@@", &v.version)
        .replace("@@TOOL_URL@@", &v.tool_url)
        .replace("@@TOOL_SHA256@@", &v.tool_sha256)
}

fn policy(v: &Vars) -> String {
    let body = POLICY.split_once('\n').map_or(POLICY, |(_, rest)| rest);
    format!(
        "# {} 审核政策：信息分类与三级审核（sanshen 的标准政策，由 sanshen init 生成）\n{body}",
        v.name
    )
}

/// Every file of a new site repository.
pub fn site_files(v: &Vars) -> Vec<File> {
    let plain = |path, template| File {
        path,
        text: render(template, v),
        executable: false,
    };
    let mut files = vec![
        plain("site.yaml", SITE_YAML),
        plain("content/news/_index.md", NEWS_INDEX),
        plain("reviews/reviewers.yaml", REVIEWERS),
        File {
            path: "reviews/policy.yaml",
            text: policy(v),
            executable: false,
        },
        plain(".gitignore", GITIGNORE),
        plain("README.md", README),
        plain("ROOT-CEREMONY.md", CEREMONY),
    ];
    files.extend(CI.iter().map(|(path, template, _)| File {
        path,
        text: render(template, v),
        executable: path.ends_with(".sh"),
    }));
    files
}

/// The values of this repository's CI examples: the example site, this
/// version, placeholders for the download address and its SHA-256.
pub fn example_vars() -> Vars {
    let version = env!("CARGO_PKG_VERSION").to_string();
    Vars {
        name: "示例区人民政府".to_string(),
        site_url: "https://www.shiliqu.gov.cn".to_string(),
        tool_url: placeholder_tool_url(&version),
        version,
        tool_sha256: PLACEHOLDER_SHA256.to_string(),
    }
}

/// The CI examples of this repository: (name under `examples/ci/`, text).
pub fn ci_examples() -> Vec<(&'static str, String)> {
    let v = example_vars();
    CI.iter()
        .map(|(_, template, example)| (*example, render(template, &v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_replaced() {
        for f in site_files(&example_vars()) {
            assert!(!f.text.contains("@@"), "{}", f.path);
        }
    }

    #[test]
    fn names_are_quoted_in_yaml() {
        let mut v = example_vars();
        v.name = "某局: \"网站\"".to_string();
        let site = &site_files(&v)[0];
        let parsed: serde_yaml::Value = serde_yaml::from_str(&site.text).unwrap();
        assert_eq!(parsed["name"].as_str(), Some("某局: \"网站\""));
    }
}
