//! Headless browser test of the leave-site dialog (R11): builds the example
//! site with the real binary into a temp dir and runs
//! `node tests/browser/leave.mjs <dir>` (playwright-core + /usr/bin/chromium).
//!
//! Needs chromium, node and `tests/browser/node_modules` (`npm ci`). When one
//! is missing the test is skipped with a notice — unless `CI` is set, where
//! it fails and says what to install.

mod common;

use std::path::Path;
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// What is missing, with how to install it.
fn missing(repo: &Path) -> Option<(&'static str, &'static str)> {
    if !Path::new(CHROMIUM).exists() {
        return Some(("未安装 chromium", "apt-get install chromium"));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some(("未安装 node", "apt-get install nodejs npm"));
    }
    if !repo
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        return Some((
            "未安装 playwright-core",
            "cd tests/browser && npm ci --no-audit --no-fund",
        ));
    }
    None
}

#[test]
fn leave_site_dialog_in_a_real_browser() {
    let repo = common::repo();
    if let Some((what, install)) = missing(&repo) {
        if std::env::var_os("CI").is_some() {
            panic!("浏览器测试无法运行：{what}。请先安装：{install}（.ci/run 会自动安装）");
        }
        eprintln!("跳过浏览器测试：{what}（{install}）");
        return;
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
    let run = Command::new("node")
        .arg(repo.join("tests/browser/leave.mjs"))
        .arg(&out)
        .env("BROWSER_ARTIFACTS", repo.join("target/browser-artifacts"))
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(
        run.status.success(),
        "浏览器测试失败（截图在 target/browser-artifacts/）：\n{stdout}\n{stderr}"
    );
}
