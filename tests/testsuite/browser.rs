//! Headless browser tests: builds the example site with the real binary
//! into a temp dir and runs each script of [`SCRIPTS`] on it with node
//! (playwright-core + /usr/bin/chromium): `leave.mjs`, the leave-site dialog
//! (R11); `site.mjs`, the home page and label, site search (R21), the 长辈版
//! toggle and axe-core checks (R19); `portal.mjs`, the portal at 1280 and 390 px
//! (axe, phone layout, 长辈版 tools, article tool row; screenshots to docs/images/).
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
const SCRIPTS: &[&str] = &["leave.mjs", "site.mjs", "portal.mjs"];

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

/// The tutorial's article (the book's tutorial, docs/tutorial.md).
const TUTORIAL: &str = "content/news/2026-11-21-jizhong-gongre-qidong.md";
const TUTORIAL_TITLE: &str = "示例区2026—2027年度城区集中供热正式启动";

/// Copy a directory tree (the example site into a test's temp dir).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// One step of `tests/browser/review.mjs` on a desk started for `key`.
fn desk_step(site: &Path, key: &Path, step: &str, shots: Option<&Path>, reason: &str) {
    let home = site.parent().expect("temp dir").join("home");
    std::fs::create_dir_all(&home).expect("home");
    let key = key.to_string_lossy().into_owned();
    let (mut desk, url) = crate::review_desk::spawn(site, &key, &[], &home);
    let mut node = Command::new("node");
    node.arg(common::repo().join("tests/browser/review.mjs"))
        .args([step, &url, TUTORIAL_TITLE, reason]);
    if let Some(dir) = shots {
        node.env("REVIEW_SHOTS", dir);
    }
    let run = node.output().expect("run node");
    let _ = desk.kill();
    let _ = desk.wait();
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("== review.mjs {step}\n{stdout}");
    assert!(
        run.status.success(),
        "审核台浏览器步骤 {step} 失败：\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn build_has(site: &Path, page: &str) -> bool {
    let out = site.join("public");
    let out_arg = out.to_string_lossy().into_owned();
    let r = common::sanshen(
        site,
        &["build", "--root", ".", "--out", &out_arg, "--quiet"],
    );
    assert!(r.code == 0 || r.code == 1, "构建失败：\n{}", r.all());
    out.join(page).join("index.html").exists()
}

/// The book's tutorial (docs/tutorial.md) through the review desk (审核台), in Chromium: the
/// 责任编辑 and the 网站分管领导 sign from their queues, an edit makes
/// their approvals stale and the leader reads the diff before signing
/// again, the build publishes, and a withdrawal from the desk removes the
/// article. Screenshots of the queue, the article with its panel and the
/// diff are written to docs/images/ (the reviewers' guide shows them).
#[test]
#[ignore = "needs chromium, node and tests/browser/node_modules: cargo test --test testsuite -- --ignored browser::"]
fn review_desk_walks_the_tutorial() {
    let repo = common::repo();
    if let Some((what, install)) = missing(&repo) {
        panic!("浏览器测试无法运行：{what}。请先安装：{install}（.ci/run 会自动安装）");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    for dir in ["content", "reviews", "themes", "static"] {
        if repo.join(dir).is_dir() {
            copy_dir(&repo.join(dir), &site.join(dir));
        }
    }
    std::fs::copy(repo.join("site.yaml"), site.join("site.yaml")).expect("site.yaml");
    std::fs::write(
        site.join(TUTORIAL),
        format!("---\ntitle: {TUTORIAL_TITLE}\nclass: B\ndate: \"2026-11-21\"\nauthor: 王芳\ndepartment: 区住房和城乡建设局\n---\n\n11月21日起，示例区城区集中供热系统正式启动运行，供热期至2027年3月20日。居民家中室温不达标的，可拨打供热服务热线反映。\n"),
    )
    .expect("write the tutorial article");
    let when = "2026-11-21T09:00:00+08:00";
    common::git_at(&site, &["init", "-q"], when);
    common::git_at(&site, &["add", "-A"], when);
    common::git_at(&site, &["commit", "-q", "-m", "示例站点与教程文章"], when);
    // Checked into git, so 0644 on a fresh clone: made private first.
    let key = |id: &str| {
        std::path::PathBuf::from(common::fixture_key(&format!("examples/demo-keys/{id}.pem")))
    };
    let (editor, leader) = (key("chen.jing"), key("sun.hao"));
    let shots = repo.join("docs/images");
    std::fs::create_dir_all(&shots).expect("docs/images");
    let page = "news/2026-11-21-jizhong-gongre-qidong";

    desk_step(&site, &editor, "sign", Some(&shots), "");
    assert!(
        !build_has(&site, page),
        "B 类文章只有责任编辑签署时不应发布"
    );
    desk_step(&site, &leader, "sign", None, "");
    assert!(build_has(&site, page), "两级审核后应发布");

    // An edit after approval: both approvals are stale.
    let text = std::fs::read_to_string(site.join(TUTORIAL)).expect("read");
    std::fs::write(site.join(TUTORIAL), text.replace("3月20日", "3月15日")).expect("edit");
    assert!(!build_has(&site, page), "修改后审核过期，不应发布");
    desk_step(&site, &editor, "diff", None, "");
    desk_step(&site, &leader, "diff", Some(&shots), "");
    assert!(build_has(&site, page), "重新审核后应发布");

    desk_step(
        &site,
        &leader,
        "withdraw",
        None,
        "供热起止时间有误，撤销发布",
    );
    assert!(!build_has(&site, page), "撤稿后文章应从网站上消失");
    let log = common::git_at(&site, &["log", "--format=%an|%s"], when);
    for word in ["撤稿：", "签发：", "第2级审核（网站分管领导）（孙浩）"] {
        assert!(log.contains(word), "{word}: {log}");
    }
}
