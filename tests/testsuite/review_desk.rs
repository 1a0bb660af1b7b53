//! `sanshen review`: the review desk (审核台) through the real binary on a
//! free port — the token, the `Host` check and the CSRF defences; the
//! queue of the editor and of the leader; 签发, 退回 and 撤稿 writing the
//! file and a git commit; the diff against the version approved, found in
//! git history.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;

/// The running desk; killed when dropped, also when an assertion fails.
pub struct Desk {
    child: Child,
    pub port: u16,
    pub token: String,
    /// The cookie, after the first visit.
    pub cookie: String,
    /// The CSRF token of the forms.
    pub csrf: String,
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One answer: status, head, body.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// `git` as the desk sees it: no user or system configuration, so the
/// commit author is the reviewer's name.
fn isolated(cmd: &mut Command, home: &std::path::Path) {
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env_remove("SANSHEN_TRUST_ROOT");
}

/// Start `sanshen review --no-open --key KEY --root . EXTRA --now NOW`
/// in `root`, with git isolated in `home`; the desk and its address
/// (with the token).
pub fn spawn(
    root: &std::path::Path,
    key: &str,
    extra: &[&str],
    home: &std::path::Path,
) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sanshen"));
    cmd.args(["review", "--no-open", "--key", key, "--root", "."])
        .args(extra)
        .args(["--now", common::NOW_RFC3339])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    isolated(&mut cmd, home);
    let mut child = cmd.spawn().expect("start sanshen review");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let url = loop {
        match lines.next() {
            Some(Ok(l)) if l.contains("http://127.0.0.1:") => {
                break l[l.find("http://").unwrap()..].trim().to_string()
            }
            Some(Ok(_)) => continue,
            _ => {
                let _ = child.kill();
                panic!("sanshen review did not print its address")
            }
        }
    };
    // Keep reading so that the desk never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// Raw HTTP/1.1 to 127.0.0.1:`port` (one request, connection closed).
pub fn request(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut text = format!("{method} {target} HTTP/1.1\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        text.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        text.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    text.push_str("Connection: close\r\n\r\n");
    text.push_str(body);
    s.write_all(text.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// `a=1&b=中` for a form body.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl Desk {
    /// Start `sanshen review` on `site` with reviewer `id`'s key.
    pub fn start(site: &TestSite, id: &str) -> Desk {
        let key = site.key_file(id);
        let (child, url) = spawn(
            site.path(),
            &key,
            &["--trust-root", &trust_root()],
            &site.path().join("keys"),
        );
        let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
        let (port, path) = rest.split_once('/').unwrap();
        let token = path.split_once("token=").unwrap().1.to_string();
        let mut desk = Desk {
            child,
            port: port.parse().unwrap(),
            token,
            cookie: String::new(),
            csrf: String::new(),
        };
        let first = desk.raw("GET", &format!("/{path}"), &[], "");
        assert_eq!(first.status, 303, "{}", first.head);
        let cookie = first
            .head
            .lines()
            .find_map(|l| l.strip_prefix("Set-Cookie: "))
            .expect("cookie")
            .to_string();
        assert!(
            cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
        desk.cookie = cookie.split(';').next().unwrap().to_string();
        desk
    }

    /// Read the CSRF token from the forms of an article's page.
    pub fn read_csrf(&mut self, article: &str) {
        let page = self.get(&format!("/_review/article?a={article}"));
        let i = page.find("name=\"csrf\" value=\"").expect("a form") + 19;
        self.csrf = page[i..i + page[i..].find('"').unwrap()].to_string();
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A request with this desk's Host and the given headers.
    pub fn raw(&self, method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let host = self.host();
        let mut all = vec![("Host", host.as_str())];
        all.extend_from_slice(headers);
        request(self.port, method, target, &all, body)
    }

    /// GET with the cookie; the body of a 200.
    pub fn get(&self, target: &str) -> String {
        let a = self.raw("GET", target, &[("Cookie", &self.cookie)], "");
        assert_eq!(a.status, 200, "GET {target}: {}\n{}", a.head, a.body);
        a.body
    }

    /// A form POST as the browser sends it (cookie, Origin, CSRF token).
    pub fn post(&self, target: &str, fields: &[(&str, &str)]) -> String {
        let origin = format!("http://{}", self.host());
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let a = self.raw(
            "POST",
            target,
            &[("Cookie", &self.cookie), ("Origin", &origin)],
            &form(&all),
        );
        assert_eq!(a.status, 200, "POST {target}: {}\n{}", a.head, a.body);
        a.body
    }
}

/// The part of the queue page with what this reviewer can sign now, and
/// the rest.
fn queue_parts(page: &str) -> (String, String) {
    let (mine, rest) = page.split_once("其他待审文章").expect("queue sections");
    (mine.to_string(), rest.to_string())
}

/// A site in a git repository: one B article nobody signed.
fn site_in_git() -> TestSite {
    let s = TestSite::new();
    s.write(
        "content/news/gongre.md",
        &TestSite::article_text(
            "B",
            "城区集中供热正式启动",
            "2026-11-20",
            "",
            "供热期至2027年3月15日。居民家中室温不达标的，可拨打热线反映。",
        ),
    );
    git_at(s.path(), &["init", "-q"], "2026-11-20T09:00:00+08:00");
    git_at(s.path(), &["add", "-A"], "2026-11-20T09:00:00+08:00");
    git_at(
        s.path(),
        &["commit", "-q", "-m", "初稿"],
        "2026-11-20T09:00:00+08:00",
    );
    s
}

/// A site file's text.
fn src(s: &TestSite, rel: &str) -> String {
    String::from_utf8(s.source(rel)).expect("UTF-8")
}

fn last_commit(s: &TestSite) -> String {
    git_at(
        s.path(),
        &["log", "-1", "--format=%an|%s"],
        "2026-11-21T12:00:00+08:00",
    )
}

#[test]
fn refuses_without_the_token_from_another_host_and_forged_forms() {
    let s = site_in_git();
    let mut desk = Desk::start(&s, "editor");
    desk.read_csrf("news/gongre.md");
    let port = desk.port;
    // No token, no cookie.
    let a = desk.raw("GET", "/_review/", &[], "");
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("令牌"), "{}", a.body);
    // A wrong token.
    let a = desk.raw("GET", "/_review/?token=0000", &[], "");
    assert_eq!(a.status, 403);
    // Another Host (DNS rebinding), even with the token or the cookie.
    for host in [
        format!("evil.example:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
    ] {
        let target = format!("/_review/?token={}", desk.token);
        let a = request(port, "GET", &target, &[("Host", &host)], "");
        assert_eq!(a.status, 403, "{host}");
        let a = request(
            port,
            "GET",
            "/_review/",
            &[("Host", &host), ("Cookie", &desk.cookie)],
            "",
        );
        assert_eq!(a.status, 403, "{host}");
    }
    // The site's preview is behind the token too.
    assert_eq!(desk.raw("GET", "/news/gongre/", &[], "").status, 403);
    // localhost:<port> is this desk as well.
    let local = format!("localhost:{port}");
    let a = request(
        port,
        "GET",
        "/_review/",
        &[("Host", &local), ("Cookie", &desk.cookie)],
        "",
    );
    assert_eq!(a.status, 200);
    // Forms: without the CSRF token, from another origin, without cookie.
    let before = src(&s, "content/news/gongre.md");
    let origin = format!("http://127.0.0.1:{port}");
    let digest = "x";
    let cases: Vec<(Vec<(&str, &str)>, String)> = vec![
        (
            vec![("Cookie", &desk.cookie), ("Origin", &origin)],
            form(&[("a", "news/gongre.md"), ("digest", digest)]),
        ),
        (
            vec![("Cookie", &desk.cookie), ("Origin", "http://evil.example")],
            form(&[("csrf", &desk.csrf), ("a", "news/gongre.md")]),
        ),
        (
            vec![("Cookie", &desk.cookie)],
            form(&[("csrf", &desk.csrf), ("a", "news/gongre.md")]),
        ),
        (
            vec![("Origin", &origin)],
            form(&[("csrf", &desk.csrf), ("a", "news/gongre.md")]),
        ),
    ];
    assert!(!desk.csrf.is_empty());
    for (headers, body) in cases {
        for path in [
            "/_review/sign",
            "/_review/return",
            "/_review/withdraw",
            "/_review/unsign",
        ] {
            let a = desk.raw("POST", path, &headers, &body);
            assert_eq!(a.status, 403, "{path} {headers:?}");
        }
    }
    assert_eq!(src(&s, "content/news/gongre.md"), before);
    // The pages cannot be framed by another site.
    let a = desk.raw("GET", "/_review/", &[("Cookie", &desk.cookie)], "");
    assert!(a.head.contains("X-Frame-Options: SAMEORIGIN"), "{}", a.head);
    assert!(a.head.contains("Cache-Control: no-store"));
}

#[test]
fn queue_sign_return_diff_and_withdraw() {
    let s = site_in_git();
    let title = "城区集中供热正式启动";

    // The editor sees the held article as theirs to sign.
    let mut editor = Desk::start(&s, "editor");
    editor.read_csrf("news/gongre.md");
    let (mine, _) = queue_parts(&editor.get("/_review/"));
    assert!(mine.contains(title), "{mine}");
    assert!(mine.contains("第1级审核（责任编辑）"), "{mine}");
    // The article with its panel, rendered by the preview.
    let page = editor.get("/_review/article?a=news/gongre.md");
    assert!(
        page.contains("<iframe src=\"/news/gongre/\" sandbox=\"allow-same-origin\""),
        "{page}"
    );
    for word in [
        "B 重要信息",
        "审核要求",
        "外部网站",
        "图片与附件",
        "内容检查结果",
        "sha256:",
    ] {
        assert!(page.contains(word), "{word}: {page}");
    }
    let preview = editor.raw("GET", "/news/gongre/", &[("Cookie", &editor.cookie)], "");
    assert!(preview.body.contains(title));
    // The article cannot run script or post forms in the desk's origin.
    assert!(
        preview
            .head
            .contains("Content-Security-Policy: sandbox allow-same-origin;"),
        "{}",
        preview.head
    );
    // Confirmation repeats title, class, level and role.
    let confirm = editor.get("/_review/sign?a=news/gongre.md");
    for word in [
        title,
        "B 重要信息",
        "第1级审核（责任编辑）",
        "责任编辑（editor）审核",
        "确认签发",
    ] {
        assert!(confirm.contains(word), "{word}: {confirm}");
    }
    let digest = {
        let i = confirm.find("name=\"digest\" value=\"").unwrap() + 21;
        confirm[i..i + confirm[i..].find('"').unwrap()].to_string()
    };
    // A stale digest (the file changed after the confirmation) is refused.
    let refused = editor.post(
        "/_review/sign",
        &[("a", "news/gongre.md"), ("digest", "sha256:0")],
    );
    assert!(refused.contains("未签发"), "{refused}");
    let done = editor.post(
        "/_review/sign",
        &[("a", "news/gongre.md"), ("digest", &digest)],
    );
    assert!(done.contains("已签发"), "{done}");
    assert!(done.contains("已提交到 git"), "{done}");
    // Signed by mistake: the desk takes the signature back, then it is
    // signed again.
    let page = editor.get("/_review/article?a=news/gongre.md");
    assert!(page.contains("撤回我的签署"), "{page}");
    let undone = editor.post("/_review/unsign", &[("a", "news/gongre.md")]);
    assert!(
        undone.contains("已撤回您在这篇文章上的 1 条签署"),
        "{undone}"
    );
    assert!(!src(&s, "content/news/gongre.md").contains("reviewer: \"editor\""));
    let done = editor.post(
        "/_review/sign",
        &[("a", "news/gongre.md"), ("digest", &digest)],
    );
    assert!(done.contains("已签发"), "{done}");
    let st = s.run(&["status", "content/news/gongre.md"]);
    assert!(
        st.stdout.contains("王编辑") && st.stdout.contains("有效"),
        "{}",
        st.all()
    );
    assert!(st.stdout.contains("✗ 第2级审核"), "{}", st.all());
    let log = last_commit(&s);
    assert!(
        log.starts_with("王编辑|签发：《城区集中供热正式启动》第1级审核"),
        "{log}"
    );
    let porcelain = git_at(
        s.path(),
        &["status", "--porcelain"],
        "2026-11-21T12:00:00+08:00",
    );
    assert!(!porcelain.contains("content/"), "{porcelain}");
    // Now the editor waits for the leader; the leader can advance it.
    let (mine, rest) = queue_parts(&editor.get("/_review/"));
    assert!(!mine.contains(title) && rest.contains(title), "{rest}");
    assert!(rest.contains("第2级审核（网站分管领导）（李领导"), "{rest}");
    drop(editor);
    let mut leader = Desk::start(&s, "leader");
    leader.read_csrf("news/gongre.md");
    let (mine, _) = queue_parts(&leader.get("/_review/"));
    assert!(mine.contains(title), "{mine}");
    // Filters: another class hides it.
    let (mine, _) = queue_parts(&leader.get("/_review/?class=A"));
    assert!(!mine.contains(title), "{mine}");

    // 退回 with a comment: recorded, shown by status, not publishing.
    let done = leader.post(
        "/_review/return",
        &[
            ("a", "news/gongre.md"),
            ("comment", "第二段数字有误，请核实"),
        ],
    );
    assert!(done.contains("已退回"), "{done}");
    let st = s.run(&["status", "content/news/gongre.md"]);
    assert!(st.stdout.contains("退回意见：李领导"), "{}", st.all());
    assert!(st.stdout.contains("第二段数字有误，请核实"), "{}", st.all());
    let json = s.run(&["status", "--json", "content/news/gongre.md"]);
    assert!(
        json.stdout.contains("\"returned\": {")
            && json
                .stdout
                .contains("\"comment\": \"第二段数字有误，请核实\""),
        "{}",
        json.all()
    );
    assert!(src(&s, "content/news/gongre.md").contains("returns:\n- reviewer: \"leader\""));
    assert!(last_commit(&s).contains("退回"), "{}", last_commit(&s));
    assert!(leader.get("/_review/").contains("第二段数字有误"));

    // The editor corrects the number; their approval is stale and the
    // diff recovers the version they signed from git history.
    let text = src(&s, "content/news/gongre.md").replace("3月15日", "3月20日");
    s.write("content/news/gongre.md", &text);
    git_at(
        s.path(),
        &["commit", "-q", "-am", "改正日期"],
        "2026-11-21T10:00:00+08:00",
    );
    let editor = Desk::start(&s, "editor");
    let (mine, _) = queue_parts(&editor.get("/_review/"));
    assert!(mine.contains("查看修改对比"), "{mine}");
    let diff = editor.get("/_review/diff?a=news/gongre.md");
    assert!(diff.contains("与您签署过的版本"), "{diff}");
    assert!(diff.contains("<del>") && diff.contains("<ins>"), "{diff}");
    assert!(diff.contains("15") && diff.contains("20"), "{diff}");
    // The return was for the older version: no longer shown.
    let st = s.run(&["status", "content/news/gongre.md"]);
    assert!(!st.stdout.contains("退回意见"), "{}", st.all());
    drop(editor);

    // 撤稿 with a reason.
    let done = leader.post(
        "/_review/withdraw",
        &[
            ("a", "news/gongre.md"),
            ("reason", "供热起止时间有误，撤销发布"),
        ],
    );
    assert!(done.contains("已撤稿"), "{done}");
    let st = s.run(&["status", "content/news/gongre.md"]);
    assert!(st.stdout.contains("撤稿：李领导"), "{}", st.all());
    assert!(last_commit(&s).contains("撤稿"));
    // Nothing left in anybody's queue.
    assert!(!leader.get("/_review/").contains(title));
}

#[test]
fn a_key_outside_the_keyring_does_not_start() {
    let s = TestSite::new();
    let key = s.key_file("stranger");
    let r = s.run(&["review", "--no-open", "--key", &key]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.all().contains("不在审核人名单"), "{}", r.all());
}
