//! `sanshen init`: a new site repository without the tool's source, that
//! builds with a freshly generated root; its CI steps (`ci/sanshen.sh`, run
//! with the variables the CI file declares) install the pinned binary only
//! when its SHA-256 matches and take the site to a deployed, logged
//! release; the CI examples of this repository are the same templates.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{sanshen, sanshen_raw, Run};

const BIN: &str = env!("CARGO_BIN_EXE_sanshen");
const SITE_URL: &str = "https://www.ceshi.gov.cn";

/// `sanshen init <tmp>/site` with a file:// download address of this very
/// binary; returns the temp dir (keys go to `<tmp>/keys`, outside the site).
fn init_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tool_url = format!("file://{BIN}");
    let r = sanshen_raw(
        tmp.path(),
        &[
            "init",
            "site",
            "--name",
            "测试区人民政府",
            "--site-url",
            SITE_URL,
            "--tool-url",
            &tool_url,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let site = tmp.path().join("site");
    (tmp, site)
}

/// `sanshen keygen --out <tmp>/keys/<name>.pem`; returns the public key.
fn keygen(tmp: &Path, name: &str) -> (PathBuf, String) {
    let out = tmp.join("keys").join(format!("{name}.pem"));
    let r = sanshen_raw(
        tmp,
        &["keygen", "--no-passphrase", "--out", &out.to_string_lossy()],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let public = r
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("公钥（public key）："))
        .expect("public key printed")
        .to_string();
    (out, public)
}

/// The root ceremony of ROOT-CEREMONY.md: a fresh root signs governance.
fn ceremony(tmp: &Path, site: &Path) -> String {
    let (root, public) = keygen(tmp, "root");
    let r = sanshen_raw(
        site,
        &["governance", "sign", "--key", &root.to_string_lossy()],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    public
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "信息中心")
        .env("GIT_AUTHOR_EMAIL", "xxzx@ceshi.gov.cn")
        .env("GIT_COMMITTER_NAME", "信息中心")
        .env("GIT_COMMITTER_EMAIL", "xxzx@ceshi.gov.cn")
        // The day the test's article is dated: the date rule judges `date`
        // against the first commit.
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00+08:00")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00+08:00")
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// The `variables:` the generated `.gitlab-ci.yml` declares.
fn gitlab_variables(site: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(site.join(".gitlab-ci.yml")).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    yaml["variables"]
        .as_mapping()
        .expect("variables")
        .iter()
        .map(|(k, v)| {
            let k = k.as_str().unwrap().to_string();
            let v = v.as_str().expect("string variable").to_string();
            (k, v)
        })
        .collect()
}

/// `bash ci/sanshen.sh STEP` in `site` with exactly `vars` (plus PATH and
/// HOME), as a CI runner would.
fn step(site: &Path, step: &str, vars: &BTreeMap<String, String>) -> Run {
    let mut cmd = Command::new("bash");
    cmd.args(["ci/sanshen.sh", step])
        .current_dir(site)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", site)
        .envs(vars);
    let o = cmd.output().expect("run bash");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn init_output_builds_with_a_fresh_root_and_holds_no_tool_source() {
    let (tmp, site) = init_site();
    for f in [
        "site.yaml",
        "content/news/_index.md",
        "reviews/reviewers.yaml",
        "reviews/policy.yaml",
        ".gitignore",
        "README.md",
        "ROOT-CEREMONY.md",
        ".gitlab-ci.yml",
        ".github/workflows/publish.yml",
        "ci/sanshen.sh",
    ] {
        assert!(site.join(f).is_file(), "{f} written");
    }
    assert!(site.join(".git").is_dir(), "git init");
    for f in [
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "build.rs",
        "crates",
        "target",
    ] {
        assert!(
            !site.join(f).exists(),
            "{f} must not be in a site repository"
        );
    }
    let root = ceremony(tmp.path(), &site);
    let r = sanshen(&site, &["build", "--strict", "--trust-root", &root]);
    assert_eq!(r.code, 0, "{}", r.all());
    let home = fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("测试区人民政府"), "{home}");
    // 政务动态 has no article yet: not published, not in the navigation
    // (空白栏目), and the build says so.
    assert!(!home.contains("政务动态"), "{home}");
    assert!(r.all().contains("空白栏目"), "{}", r.all());
    // The policy is the example site's; the keyring starts empty.
    let policy = fs::read_to_string(site.join("reviews/policy.yaml")).unwrap();
    let example = fs::read_to_string(common::repo().join("reviews/policy.yaml")).unwrap();
    assert_eq!(
        policy.lines().skip(1).collect::<Vec<_>>(),
        example.lines().skip(1).collect::<Vec<_>>()
    );
    // The CI pins this very binary.
    let vars = gitlab_variables(&site);
    let sha = sanshen::document::sha256_hex(&fs::read(BIN).unwrap());
    assert_eq!(vars["SANSHEN_SHA256"], sha);
    assert_eq!(vars["SANSHEN_VERSION"], env!("CARGO_PKG_VERSION"));
    assert_eq!(vars["SANSHEN_URL"], format!("file://{BIN}"));
    assert_eq!(vars["SITE_URL"], SITE_URL);
    let github = fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap();
    let github: serde_yaml::Value = serde_yaml::from_str(&github).expect("valid YAML");
    for (k, v) in &vars {
        if k.starts_with("SANSHEN_") || k == "SITE_URL" {
            assert_eq!(github["env"][k.as_str()].as_str(), Some(v.as_str()), "{k}");
        }
    }
    for ci in [
        ".gitlab-ci.yml",
        ".github/workflows/publish.yml",
        "ci/sanshen.sh",
    ] {
        let text = fs::read_to_string(site.join(ci)).unwrap();
        assert!(
            !text.contains("cargo"),
            "{ci} never builds sanshen from the repository"
        );
    }
}

/// The office's first day: one editor in the keyring (added before the
/// ceremony), one article written with `new` and signed by the editor.
fn office_with_an_article(tmp: &Path, site: &Path) -> (String, PathBuf) {
    let (editor, editor_public) = keygen(tmp, "chen.jing");
    let keyring = site.join("reviews/reviewers.yaml");
    let text = fs::read_to_string(&keyring).unwrap().replace(
        "reviewers: []\n",
        &format!(
            "reviewers:\n- id: chen.jing\n  name: 陈静\n  title: 办公室信息科责任编辑\n  role: editor\n  level: 1\n  key: \"{editor_public}\"\n  valid_from: \"2020-01-01T00:00:00+08:00\"\n  revoked: false\n"
        ),
    );
    fs::write(&keyring, text).unwrap();
    let root = ceremony(tmp, site);
    let r = sanshen_raw(
        site,
        &[
            "new",
            "news/全区安全生产工作会议召开",
            "--date",
            "2026-11-20",
            "--slug",
            "quanqu-anquan-shengchan-gongzuo-huiyi",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let article = "content/news/2026-11-20-quanqu-anquan-shengchan-gongzuo-huiyi.md";
    assert!(site.join(article).is_file(), "{}", r.all());
    let key = editor.to_string_lossy();
    let r = sanshen_raw(
        site,
        &[
            "sign",
            article,
            "--key",
            &key,
            "--yes",
            "--trust-root",
            &root,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    git(site, &["add", "-A"]);
    git(site, &["commit", "-q", "-m", "新建网站"]);
    (root, editor)
}

#[test]
fn ci_steps_run_locally_to_a_deployed_logged_release() {
    let (tmp, site) = init_site();
    let (root, editor) = office_with_an_article(tmp.path(), &site);
    let (deploy_key, deploy_public) = keygen(tmp.path(), "deploy");
    let page = "news/2026-11-20-quanqu-anquan-shengchan-gongzuo-huiyi/index.html";

    // The build job: the variables of the CI file, the public trust root,
    // no private key; the very first release has no log to check yet.
    let mut vars = gitlab_variables(&site);
    vars.insert("SANSHEN_TRUST_ROOT".into(), root);
    vars.insert("SANSHEN_FIRST_RELEASE".into(), "1".into());

    // A wrong SHA-256 fails at install, and nothing is installed.
    let mut wrong = vars.clone();
    let sha = &vars["SANSHEN_SHA256"];
    let flipped = if sha.starts_with('0') { "1" } else { "0" };
    wrong.insert("SANSHEN_SHA256".into(), format!("{flipped}{}", &sha[1..]));
    for s in ["install", "build"] {
        let r = step(&site, s, &wrong);
        assert_ne!(r.code, 0, "{s}: {}", r.all());
        assert!(r.stderr.contains("SANSHEN_SHA256 不一致"), "{}", r.all());
        assert!(!site.join(".sanshen-tools/sanshen").exists());
        assert!(!site.join("public").exists());
    }
    // A deploy key in the build job's environment is refused.
    let mut leaky = vars.clone();
    leaky.insert(
        "DEPLOY_KEY_FILE".into(),
        deploy_key.to_string_lossy().into(),
    );
    let r = step(&site, "build", &leaky);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("部署私钥"), "{}", r.all());

    let r = step(&site, "install", &vars);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("SHA-256 核对一致"), "{}", r.all());
    let r = step(&site, "build", &vars);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public").join(page).is_file(), "{}", r.all());
    assert!(site.join("public.manifest.json").is_file());
    let report = fs::read_to_string(site.join("build.txt")).unwrap();
    assert!(report.contains("发布 1 篇文章"), "{report}");
    assert!(site.join("status.txt").is_file());

    // The deploy job, on "the web server": deploys to a temp dir served
    // over HTTP on 127.0.0.1, signs the log, verifies log and site.
    let www = tmp.path().join("www");
    let mut deploy = gitlab_variables(&site);
    deploy.insert("SANSHEN_DEPLOY_DIR".into(), www.to_string_lossy().into());
    deploy.insert(
        "DEPLOY_KEY_FILE".into(),
        deploy_key.to_string_lossy().into(),
    );
    deploy.insert("DEPLOY_PUBLIC_KEY".into(), deploy_public);
    deploy.insert(
        "SITE_URL".into(),
        crate::ops_http::serve(www.join("current")),
    );
    let r = step(&site, "deploy", &deploy);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        www.join("current").join(page).is_file(),
        "the release is live"
    );
    assert!(
        www.join("log/checkpoint").is_file(),
        "the release is logged"
    );

    // The next release, a withdrawal: the build checks against the log of
    // the deploy folder (`build --log DIR`), the deploy logs it.
    let article = "content/news/2026-11-20-quanqu-anquan-shengchan-gongzuo-huiyi.md";
    let key = editor.to_string_lossy();
    let r = sanshen_raw(
        &site,
        &[
            "withdraw",
            article,
            "--key",
            &key,
            "--reason",
            "会议时间有误",
            "--trust-root",
            &vars["SANSHEN_TRUST_ROOT"],
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    git(&site, &["commit", "-q", "-a", "-m", "撤稿"]);
    let mut second = vars.clone();
    second.remove("SANSHEN_FIRST_RELEASE");
    second.insert("SANSHEN_LOG".into(), www.to_string_lossy().into());
    let r = step(&site, "build", &second);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = step(&site, "deploy", &deploy);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!www.join("current").join(page).exists(), "withdrawn");
    let checkpoint = fs::read_to_string(www.join("log/checkpoint")).unwrap();
    assert_eq!(
        checkpoint.lines().nth(1),
        Some("2"),
        "two releases logged: {checkpoint}"
    );
}

#[test]
fn init_refuses_a_directory_that_is_not_empty_and_leaves_it_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    fs::create_dir_all(dir.join("content")).unwrap();
    fs::write(dir.join("notes.txt"), "已有的文件\n").unwrap();
    let before = common::snapshot(&dir);
    let r = sanshen_raw(tmp.path(), &["init", "site"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.all().contains("目录不是空的"), "{}", r.all());
    assert_eq!(common::snapshot(&dir), before);
    assert!(!dir.join(".git").exists());
    // A file of that name is refused too.
    fs::write(tmp.path().join("file"), "x").unwrap();
    let r = sanshen_raw(tmp.path(), &["init", "file"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert_eq!(fs::read_to_string(tmp.path().join("file")).unwrap(), "x");
    // Bad values are refused before anything is written.
    let r = sanshen_raw(
        tmp.path(),
        &["init", "new", "--site-url", "www.ceshi.gov.cn"],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(!tmp.path().join("new").exists());
}

#[test]
fn generated_gitignore_keeps_private_keys_and_outputs_out_of_git() {
    let (_tmp, site) = init_site();
    fs::write(site.join("root.pem"), "secret").unwrap();
    fs::create_dir_all(site.join("reviews/keys")).unwrap();
    fs::write(site.join("reviews/keys/zhang.san.pem"), "secret").unwrap();
    fs::create_dir_all(site.join("public")).unwrap();
    fs::write(site.join("public/index.html"), "x").unwrap();
    fs::write(site.join("public.manifest.json"), "{}").unwrap();
    let repo = git2::Repository::open(&site).unwrap();
    for ignored in [
        "root.pem",
        "reviews/keys/zhang.san.pem",
        "public/index.html",
        "public.manifest.json",
        "public.release.json",
        ".sanshen-tools/sanshen",
    ] {
        assert!(repo.is_path_ignored(ignored).unwrap(), "{ignored} ignored");
    }
    for kept in ["site.yaml", "ci/sanshen.sh", "reviews/reviewers.yaml"] {
        assert!(!repo.is_path_ignored(kept).unwrap(), "{kept} not ignored");
    }
}

/// The CI examples of this repository are what `init` renders with
/// placeholder values, so they cannot drift apart. After changing a
/// template: `UPDATE_EXAMPLES=1 cargo test --test testsuite init::`.
#[test]
fn ci_examples_equal_the_init_templates() {
    let dir = common::repo().join("examples/ci");
    for (name, text) in sanshen::scaffold::ci_examples() {
        let path = dir.join(name);
        if std::env::var_os("UPDATE_EXAMPLES").is_some() {
            fs::write(&path, &text).unwrap();
        }
        let have = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == text,
            "examples/ci/{name} differs from the init template; run UPDATE_EXAMPLES=1 cargo test --test testsuite init::"
        );
        assert!(!text.contains("cargo install"), "{name}");
    }
}

/// The recommended workflow's hourly run: both CI files run the same build
/// and deploy on a schedule and mark it `SANSHEN_SCHEDULED=1`; the build
/// judges with the system clock (no `--now`), so an article whose
/// `publish_at` has passed is published and one still ahead is not; a
/// scheduled run that changes no file deploys nothing (no hourly copies
/// pushing the releases one could roll back to out of `--keep`).
#[test]
fn scheduled_run_publishes_what_is_due_and_deploys_only_a_change() {
    let github: serde_yaml::Value =
        serde_yaml::from_str(&sanshen::scaffold::ci_examples()[1].1).expect("github yaml");
    assert_eq!(
        github["on"]["schedule"][0]["cron"].as_str(),
        Some("7 * * * *"),
        "hourly schedule"
    );
    assert!(github["env"]["SANSHEN_SCHEDULED"]
        .as_str()
        .is_some_and(|v| v.contains("github.event_name == 'schedule'")));
    let gitlab: serde_yaml::Value =
        serde_yaml::from_str(&sanshen::scaffold::ci_examples()[0].1).expect("gitlab yaml");
    let rules = gitlab["workflow"]["rules"].as_sequence().expect("rules");
    assert!(rules.iter().any(|r| {
        r["if"]
            .as_str()
            .is_some_and(|c| c.contains("$CI_PIPELINE_SOURCE == \"schedule\""))
            && r["variables"]["SANSHEN_SCHEDULED"].as_str() == Some("1")
    }));

    let (tmp, site) = init_site();
    let (editor, editor_public) = keygen(tmp.path(), "chen.jing");
    let keyring = site.join("reviews/reviewers.yaml");
    let text = fs::read_to_string(&keyring).unwrap().replace(
        "reviewers: []\n",
        &format!(
            "reviewers:\n- id: chen.jing\n  name: 陈静\n  title: 办公室信息科责任编辑\n  role: editor\n  level: 1\n  key: \"{editor_public}\"\n  valid_from: \"2020-01-01T00:00:00+08:00\"\n  revoked: false\n"
        ),
    );
    fs::write(&keyring, text).unwrap();
    let root = ceremony(tmp.path(), &site);
    // Dated today by the system clock, as an editor would write them.
    let now = chrono::Utc::now();
    let due = (now - chrono::Duration::hours(1)).to_rfc3339();
    let ahead = (now + chrono::Duration::days(30)).to_rfc3339();
    let mut pages = Vec::new();
    for (title, at) in [("到时发布的通知", &due), ("下月发布的通知", &ahead)] {
        let r = sanshen_raw(&site, &["new", &format!("news/{title}")]);
        assert_eq!(r.code, 0, "{}", r.all());
        let file = fs::read_dir(site.join("content/news"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.extension().is_some_and(|e| e == "md")
                    && !pages.iter().any(|(f, _): &(PathBuf, String)| f == p)
                    && fs::read_to_string(p).unwrap().contains(title)
            })
            .expect("new article");
        let text = fs::read_to_string(&file).unwrap();
        let text = text.replacen("\n---\n", &format!("\npublish_at: \"{at}\"\n---\n"), 1);
        fs::write(&file, text).unwrap();
        let r = sanshen_raw(
            &site,
            &[
                "sign",
                &file.to_string_lossy(),
                "--key",
                &editor.to_string_lossy(),
                "--yes",
                "--trust-root",
                &root,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.all());
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        pages.push((file, format!("news/{stem}/index.html")));
    }
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "两篇定时发布的通知"]);

    let (deploy_key, deploy_public) = keygen(tmp.path(), "deploy");
    let www = tmp.path().join("www");
    let mut build = gitlab_variables(&site);
    build.insert("SANSHEN_TRUST_ROOT".into(), root);
    build.insert("SANSHEN_FIRST_RELEASE".into(), "1".into());
    let mut deploy = gitlab_variables(&site);
    deploy.insert("SANSHEN_DEPLOY_DIR".into(), www.to_string_lossy().into());
    deploy.insert(
        "DEPLOY_KEY_FILE".into(),
        deploy_key.to_string_lossy().into(),
    );
    deploy.insert("DEPLOY_PUBLIC_KEY".into(), deploy_public);
    deploy.insert(
        "SITE_URL".into(),
        crate::ops_http::serve(www.join("current")),
    );
    deploy.insert("SANSHEN_SCHEDULED".into(), "1".into());

    let r = step(&site, "build", &build);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = step(&site, "deploy", &deploy);
    assert_eq!(r.code, 0, "{}", r.all());
    let live = www.join("current");
    assert!(live.join(&pages[0].1).is_file(), "publish_at passed: live");
    assert!(!live.join(&pages[1].1).exists(), "publish_at ahead: held");

    // The next hour: nothing is due, the site is the same, no new release.
    build.remove("SANSHEN_FIRST_RELEASE");
    build.insert("SANSHEN_LOG".into(), www.to_string_lossy().into());
    let r = step(&site, "build", &build);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = step(&site, "deploy", &deploy);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("本次不部署"), "{}", r.all());
    let releases = fs::read_dir(www.join("releases"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(releases, 1, "one release: {}", r.all());
    let checkpoint = fs::read_to_string(www.join("log/checkpoint")).unwrap();
    assert_eq!(checkpoint.lines().nth(1), Some("1"), "{checkpoint}");
}
