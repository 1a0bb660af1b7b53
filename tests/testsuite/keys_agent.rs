//! Signing through a real ssh-agent started by the test (spec §8): the
//! keyring entry in OpenSSH form (`ssh-ed25519 AAAA… comment`), `--key
//! ssh-agent`, the article published; with two keys loaded, `--key
//! ssh-agent` asks which and `ssh-agent:SHA256:…` (as `ssh-keygen -l`
//! prints it) picks one. `ssh-agent`, `ssh-keygen` and `ssh-add` are
//! required (openssh-client): these tests fail without them.

use std::fs;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, TestSite};

const A: &str = "content/news/a.md";

/// An ssh-agent listening on a socket in a temporary folder; killed when
/// dropped.
struct Agent {
    child: Child,
    sock: PathBuf,
    dir: tempfile::TempDir,
}

fn tool(name: &str) -> Command {
    let mut c = Command::new(name);
    c.env_remove("SSH_AUTH_SOCK").stdin(Stdio::null());
    c
}

fn run(mut c: Command, name: &str) -> String {
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("{name} is required (apt-get install openssh-client): {e}"));
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Agent {
    fn start() -> Agent {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("agent.sock");
        let child = tool("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&sock)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("ssh-agent is required (apt-get install openssh-client): {e}")
            });
        let start = Instant::now();
        while !sock.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "ssh-agent did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Agent { child, sock, dir }
    }

    fn sock(&self) -> &str {
        self.sock.to_str().unwrap()
    }

    /// A new Ed25519 key `name` (no passphrase) added to the agent; returns
    /// its `.pub` line and its fingerprint as `ssh-keygen -l` prints it.
    fn add_key(&self, name: &str) -> (String, String) {
        let file = self.dir.path().join(name);
        let mut gen = tool("ssh-keygen");
        gen.args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&file);
        run(gen, "ssh-keygen");
        let mut add = tool("ssh-add");
        add.arg(&file).env("SSH_AUTH_SOCK", &self.sock);
        run(add, "ssh-add");
        let pub_file = self.dir.path().join(format!("{name}.pub"));
        let public = fs::read_to_string(&pub_file).unwrap();
        let mut list = tool("ssh-keygen");
        list.arg("-l").arg("-f").arg(&pub_file);
        let fp = run(list, "ssh-keygen -l");
        let fp = fp.split_whitespace().nth(1).unwrap().to_string();
        assert!(fp.starts_with("SHA256:"), "{fp}");
        (public.trim().to_string(), fp)
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn in_site(s: &TestSite, agent: &Agent, args: &[&str]) -> common::Run {
    let root = common::trust_root();
    let mut all = args.to_vec();
    all.extend_from_slice(&["--root", ".", "--trust-root", &root]);
    common::sanshen_env(s.path(), &all, &[("SSH_AUTH_SOCK", agent.sock())])
}

#[test]
fn a_reviewer_signs_through_ssh_agent_and_the_build_publishes() {
    let agent = Agent::start();
    let (public, fp) = agent.add_key("ou.yang@office");
    assert!(public.starts_with("ssh-ed25519 AAAA"), "{public}");
    let s = TestSite::new();
    s.article_signed("news/a.md", "A", "A类文章", "2026-11-10", "", "正文。", &[]);
    // The keyring takes the .pub line as it is.
    s.add_reviewer_key("ou.yang", "欧阳", "editor", 1, &public, "");
    let r = in_site(&s, &agent, &["sign", A, "--key", "ssh-agent", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("欧阳"), "{}", r.stdout);
    assert_eq!(s.build(&[]).code, 0);
    assert!(
        s.exists("news/a/index.html"),
        "signed through the agent: published"
    );

    // Two keys: `ssh-agent` alone is ambiguous and names the choices.
    let (_, other_fp) = agent.add_key("other");
    let r = in_site(
        &s,
        &agent,
        &["withdraw", A, "--key", "ssh-agent", "--reason", "测试撤稿"],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("多把 Ed25519 密钥"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("ssh-agent:{fp}")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("ssh-agent:{other_fp}")),
        "{}",
        r.stderr
    );
    // The fingerprint ssh-keygen -l prints picks the key.
    let key = format!("ssh-agent:{fp}");
    let r = in_site(
        &s,
        &agent,
        &["withdraw", A, "--key", &key, "--reason", "测试撤稿"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(s.build(&[]).code, 0);
    assert!(
        !s.exists("news/a/index.html"),
        "withdrawn through the agent"
    );
}

#[test]
fn no_agent_or_no_matching_key_is_a_clear_refusal() {
    let agent = Agent::start();
    let s = TestSite::new();
    s.article_signed("news/a.md", "A", "A类文章", "2026-11-10", "", "正文。", &[]);
    let r = in_site(&s, &agent, &["sign", A, "--key", "ssh-agent", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("没有 Ed25519 密钥"), "{}", r.stderr);
    let r = common::sanshen_env(
        s.path(),
        &[
            "sign",
            A,
            "--key",
            "ssh-agent",
            "--yes",
            "--root",
            ".",
            "--trust-root",
            &common::trust_root(),
        ],
        &[("SSH_AUTH_SOCK", "")],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("SSH_AUTH_SOCK"), "{}", r.stderr);
    // A key in the agent that is not in the keyring.
    agent.add_key("stranger");
    let r = in_site(&s, &agent, &["sign", A, "--key", "ssh-agent", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("不在审核人名单"), "{}", r.stderr);
}
