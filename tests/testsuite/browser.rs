//! Headless browser tests: builds the example site with the real binary
//! into a temp dir and runs each script of [`SCRIPTS`] on it with node
//! (playwright-core + /usr/bin/chromium): `leave.mjs`, the leave-site dialog
//! (R11); `site.mjs`, the home page and label, site search (R21), the 长辈版
//! toggle and axe-core checks (R19).
//!
//! Needs chromium, node and `tests/browser/node_modules` (`npm ci`), so it is
//! `#[ignore]`d: a plain `cargo test` lists it as ignored rather than passing
//! it unrun. Run it with
//!
//! ```text
//! cargo test --test testsuite -- --ignored browser::
//! ```
//!
//! (`.ci/run` installs the dependencies and does). When run and something is
//! missing it fails and says what to install; it never passes unrun.

use crate::common;

use std::path::Path;
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The scripts under `tests/browser/`, each run on the built site.
const SCRIPTS: &[&str] = &["leave.mjs", "site.mjs"];

/// What is missing, with how to install it.
fn missing(repo: &Path) -> Option<(&'static str, &'static str)> {
    if !Path::new(CHROMIUM).exists() {
        return Some(("未安装 chromium", "apt-get install chromium"));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some(("未安装 node", "apt-get install nodejs npm"));
    }
    for module in ["playwright-core", "axe-core"] {
        if !repo
            .join("tests/browser/node_modules")
            .join(module)
            .is_dir()
        {
            return Some((
                "未安装 tests/browser 的 npm 依赖（playwright-core、axe-core）",
                "cd tests/browser && npm ci --no-audit --no-fund",
            ));
        }
    }
    None
}

#[test]
#[ignore = "needs chromium, node and tests/browser/node_modules: cargo test --test testsuite -- --ignored browser::"]
fn example_site_in_a_real_browser() {
    let repo = common::repo();
    if let Some((what, install)) = missing(&repo) {
        panic!("浏览器测试无法运行：{what}。请先安装：{install}（.ci/run 会自动安装）");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let root = repo.to_string_lossy().into_owned();
    let out_arg = out.to_string_lossy().into_owned();
    let r = common::sanshen(
        &repo,
        &["build", "--root", &root, "--out", &out_arg, "--quiet"],
    );
    assert_eq!(r.code, 0, "示例站点构建失败：\n{}", r.all());
    let mut failed = Vec::new();
    for script in SCRIPTS {
        let run = Command::new("node")
            .arg(repo.join("tests/browser").join(script))
            .arg(&out)
            .env("BROWSER_ARTIFACTS", repo.join("target/browser-artifacts"))
            .output()
            .expect("run node");
        let stdout = String::from_utf8_lossy(&run.stdout);
        let stderr = String::from_utf8_lossy(&run.stderr);
        println!("== {script}\n{stdout}");
        if !run.status.success() {
            failed.push(format!("{script}：\n{stdout}\n{stderr}"));
        }
    }
    assert!(
        failed.is_empty(),
        "浏览器测试失败（截图在 target/browser-artifacts/）：\n{}",
        failed.join("\n")
    );
}
