//! Helpers for integration tests: purpose-made sites in temp dirs, and the
//! real `sanshen` binary run against them.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ed25519_dalek::SigningKey;
use tempfile::TempDir;

use sanshen::gate;

/// The clock of every test build: 2026-11-21T12:00:00+08:00.
pub const NOW: &str = "1795233600";
/// When test reviewers sign.
pub const SIGNED_AT: &str = "2026-11-20T10:00:00+08:00";

/// A test key from a fixed seed.
pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

/// The root key that signs test sites' governance.
pub fn root_key() -> SigningKey {
    key(200)
}

/// `ed25519:…` of the root key.
pub fn trust_root() -> String {
    gate::format_public_key(&root_key().verifying_key())
}

/// Test reviewers: id, name, role, level, key seed.
pub const REVIEWERS: &[(&str, &str, &str, u8, u8)] = &[
    ("editor", "王编辑", "editor", 1, 1),
    ("leader", "李领导", "leader", 2, 2),
    ("official", "张副区长", "official", 3, 3),
    ("principal", "赵区长", "principal", 4, 4),
    ("security", "钱安全", "security", 2, 5),
];

/// Who signs which level for a class.
pub fn signers(class: &str) -> Vec<(&'static str, u8)> {
    match class {
        "A" => vec![("editor", 1)],
        "B" => vec![("editor", 1), ("leader", 2)],
        "C" => vec![
            ("editor", 1),
            ("leader", 2),
            ("official", 3),
            ("principal", 4),
        ],
        _ => vec![],
    }
}

fn reviewer_key(id: &str) -> SigningKey {
    let seed = REVIEWERS.iter().find(|r| r.0 == id).map_or(99, |r| r.4);
    key(seed)
}

/// The gate block approving `text` (an article without gate block) at
/// content path `path` by `who`; `assets` (content path, bytes) is the
/// `assets:` list the approvals cover (spec §2–3).
pub fn approvals_block(
    path: &str,
    text: &str,
    who: &[(&str, u8)],
    assets: &[(String, Vec<u8>)],
) -> String {
    if who.is_empty() {
        return String::new();
    }
    let doc = sanshen::document::parse(text.as_bytes()).unwrap();
    let hashes: Vec<(&str, String)> = assets
        .iter()
        .map(|(p, b)| (p.as_str(), sanshen::document::sha256_hex(b)))
        .collect();
    let entries: Vec<(&str, &str)> = hashes.iter().map(|(p, h)| (*p, h.as_str())).collect();
    let digest = sanshen::document::digest_with_assets(doc.signed().as_bytes(), &entries);
    let mut out = String::new();
    if !assets.is_empty() {
        out.push_str("assets:\n");
        for (p, _) in assets {
            out.push_str(&format!("- \"{p}\"\n"));
        }
    }
    out.push_str("approvals:\n");
    for (id, level) in who {
        let sig = gate::sign_approval(&reviewer_key(id), path, &digest, *level, id, SIGNED_AT);
        out.push_str(&format!(
            "- reviewer: \"{id}\"\n  level: \"{level}\"\n  signed_at: \"{SIGNED_AT}\"\n  digest: \"{digest}\"\n  signature: \"{sig}\"\n"
        ));
    }
    out
}

/// Insert a gate block before the closing `---` of `text`.
pub fn with_gate(text: &str, block: &str) -> String {
    let close = text[4..]
        .find("\n---\n")
        .map(|i| i + 5)
        .expect("front matter");
    format!("{}{}{}", &text[..close], block, &text[close..])
}

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temp dir.
pub struct TestSite {
    pub dir: TempDir,
}

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Both streams, for assertions on messages.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// [`NOW`] as `--now` takes it: the judging clock of every test.
pub const NOW_RFC3339: &str = "2026-11-21T12:00:00+08:00";

/// The commands that judge the site, and so take `--now`.
const JUDGING: &[&str] = &[
    "build", "serve", "sign", "unsign", "status", "withdraw", "form", "register", "links", "audit",
];

/// Run `sanshen ARGS` in `cwd`. Commands that judge the site are given
/// `--now NOW` unless `args` give `--now` (the judging clock is `--now` or
/// the system clock; `SOURCE_DATE_EPOCH`, also set to `NOW`, only sets the
/// timestamps written into the output).
pub fn sanshen(cwd: &Path, args: &[&str]) -> Run {
    sanshen_env(cwd, args, &[])
}

/// [`sanshen`] with extra environment variables (e.g. `SSH_AUTH_SOCK`).
pub fn sanshen_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let first = args.first().cloned().unwrap_or_default();
    let given = |args: &[String], flag: &str| {
        args.iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")) || a == "--help" || a == "--")
    };
    let logging = LOGGING.contains(&first.as_str());
    if (JUDGING.contains(&first.as_str()) || logging) && !given(&args, "--now") {
        args.extend(["--now".to_string(), NOW_RFC3339.to_string()]);
    }
    if first != "check-release" && logging && !given(&args, "--log-key") {
        args.extend(["--log-key".to_string(), deploy_key_file()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args(&args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", NOW)
        .env_remove("SANSHEN_TRUST_ROOT")
        .envs(env.iter().copied())
        .output()
        .expect("run sanshen");
    Run::from(out)
}

/// Commands that write (or judge against) the publication log: like
/// judging commands they get `--now` unless given, and (except
/// `check-release`) the test deploy key as `--log-key`.
const LOGGING: &[&str] = &["deploy", "rollback", "check-release"];

/// The deploy key of the tests (signs the publication log).
pub fn deploy_key_file() -> String {
    fixture_key("tests/fixtures/keys/deploy.pem")
}

/// A secret key file checked into the repository (`rel` from the repository
/// root), made mode 0600 first: git keeps only the executable bit, so a
/// fresh clone has it 0644, which sanshen refuses. Returns the absolute path.
pub fn fixture_key(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    private(&path);
    path.display().to_string()
}

/// Make `path` readable and writable by its owner only (Unix).
pub fn private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("chmod 600 {}: {e}", path.display()));
    }
}

/// Its public key, `ed25519:…`.
pub fn deploy_public_key() -> String {
    let text = std::fs::read_to_string(deploy_key_file()).expect("deploy key");
    let key = sanshen::gate::keys::parse_secret_key(&text).expect("deploy key parses");
    sanshen::gate::format_public_key(&key.verifying_key())
}

/// Run `sanshen ARGS` in `cwd` exactly as given (no `--now` added).
pub fn sanshen_raw(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", NOW)
        .env_remove("SANSHEN_TRUST_ROOT")
        .output()
        .expect("run sanshen");
    Run::from(out)
}

impl TestSite {
    /// A site with `site.yaml` and one column, `news` (政务动态).
    pub fn new() -> TestSite {
        let s = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        s.write(
            "site.yaml",
            "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nper_page: 15\n",
        );
        s.column("news", "政务动态");
        s.reviews();
        s
    }

    /// Write `reviews/` (keyring, policy, sources) and sign it.
    pub fn reviews(&self) {
        let mut keyring = String::from("reviewers:\n");
        for (id, name, role, level, seed) in REVIEWERS {
            let public = gate::format_public_key(&key(*seed).verifying_key());
            keyring.push_str(&format!(
                "- id: {id}\n  name: {name}\n  title: 测试{name}\n  role: {role}\n  level: {level}\n  key: \"{public}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: false\n"
            ));
        }
        self.write("reviews/reviewers.yaml", &keyring);
        self.write(
            "reviews/policy.yaml",
            concat!(
                "classes:\n",
                "  A: { levels: [1] }\n",
                "  B: { levels: [1, 2] }\n",
                "  C: { levels: [1, 2, 3], roles: [principal] }\n",
                "distinct_reviewers: true\n",
                "government_hosts: [\"*.gov.cn\", \"*.政务.cn\", \"*.政务\"]\n",
                "external_links_role: security\n",
            ),
        );
        self.write(
            "reviews/sources.yaml",
            "sources:\n- name: 中国政府网\n  hosts: [\"www.gov.cn\"]\n",
        );
        self.sign_governance();
    }

    /// Re-sign `reviews/governance.yaml` (governance v2, spec §7) over the
    /// site's current frame with the test root key, one serial more than
    /// the governance it replaces.
    pub fn sign_governance(&self) {
        let tree = sanshen::content::WorkTree::new(self.path());
        let theme = sanshen::pipeline::load_site(&tree)
            .map(|s| s.config.theme)
            .unwrap_or_else(|_| "default".into());
        let frame = sanshen::reviews::frame(&tree, &theme).expect("frame");
        let old = fs::read(self.path().join(gate::governance::FILE)).ok();
        let serial = gate::previous_serial(old.as_deref()).expect("serial") + 1;
        let text = gate::sign_governance(
            &frame,
            serial,
            "2026-11-01T09:00:00+08:00",
            None,
            &root_key(),
        );
        self.write_unsigned(gate::governance::FILE, text.as_bytes());
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Write a site file. A file of the frame outside `reviews/` (site.yaml,
    /// a column's `_index.md`, `themes/`, `static/`) is then signed by the
    /// root, as an administrator does after approving such a change; files
    /// under `reviews/` are re-signed explicitly ([`Self::sign_governance`]),
    /// and [`Self::write_unsigned`] writes without signing.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        self.write_unsigned(rel, bytes);
        if is_outer_frame(rel) {
            self.sign_governance();
        }
    }

    /// Write a site file without re-signing governance.
    /// Secret key files (`*.pem`) are written with mode 0600, as
    /// `sanshen keygen` writes them (sanshen refuses others on Unix).
    pub fn write_unsigned(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        if rel.ends_with(".pem") {
            private(&p);
        }
    }

    pub fn column(&self, id: &str, title: &str) {
        self.write(
            &format!("content/{id}/_index.md"),
            &format!("---\ntitle: {title}\ndescription: {title}栏目\n---\n"),
        );
    }

    /// An A-class article with the given extra front matter lines and body,
    /// approved as its class requires.
    pub fn article(&self, rel: &str, title: &str, date: &str, extra: &str, body: &str) {
        self.article_signed(rel, "A", title, date, extra, body, &signers("A"));
    }

    /// The text of an article without gate block.
    pub fn article_text(class: &str, title: &str, date: &str, extra: &str, body: &str) -> String {
        format!(
            "---\ntitle: {title}\nclass: {class}\ndate: \"{date}\"\nauthor: 王芳\ndepartment: 区政府办公室\n{extra}---\n\n{body}\n"
        )
    }

    /// An article of `class` approved by `who` (reviewer id, level).
    #[allow(clippy::too_many_arguments)]
    pub fn article_signed(
        &self,
        rel: &str,
        class: &str,
        title: &str,
        date: &str,
        extra: &str,
        body: &str,
        who: &[(&str, u8)],
    ) {
        let text = Self::article_text(class, title, date, extra, body);
        let block = approvals_block(rel, &text, who, &self.local_files(rel, body));
        self.write(&format!("content/{rel}"), &with_gate(&text, &block));
    }

    /// The files under `content/` that `body` (of the article at content
    /// path `rel`) references and that exist now, with their bytes, sorted:
    /// what `sanshen sign` lists (spec §2). A simple scan of Markdown
    /// destinations and `src`/`href` attributes; write the files first.
    pub fn local_files(&self, rel: &str, body: &str) -> Vec<(String, Vec<u8>)> {
        let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let mut dests = Vec::new();
        for (open, close) in [("](", ')'), ("src=\"", '"'), ("href=\"", '"')] {
            let mut rest = body;
            while let Some(i) = rest.find(open) {
                rest = &rest[i + open.len()..];
                let end = rest.find([close, ' ']).unwrap_or(rest.len());
                dests.push(rest[..end].trim_matches(['<', '>']).to_string());
            }
        }
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        for d in dests {
            let d = d.split(['#', '?']).next().unwrap_or("");
            if d.is_empty() || d.starts_with("//") || d.contains(':') || d.ends_with(".md") {
                continue;
            }
            let mut parts: Vec<&str> = if d.starts_with('/') {
                Vec::new()
            } else {
                dir.split('/').filter(|p| !p.is_empty()).collect()
            };
            for p in d.split('/') {
                match p {
                    "" | "." => {}
                    ".." => {
                        parts.pop();
                    }
                    p => parts.push(p),
                }
            }
            let path = parts.join("/");
            let file = self.path().join("content").join(&path);
            if file.is_file() && !out.iter().any(|(p, _)| *p == path) {
                out.push((path, fs::read(file).unwrap()));
            }
        }
        out.sort();
        out
    }

    /// `sanshen build --root DIR --out DIR/public` plus `args`.
    pub fn build(&self, args: &[&str]) -> Run {
        self.build_into(&self.out(), args, &[])
    }

    /// `sanshen build --root DIR --out OUT` plus `args`, with `env`.
    pub fn build_into(&self, out: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let root = self.path().to_string_lossy().into_owned();
        let out = out.to_string_lossy().into_owned();
        let root_key = trust_root();
        let mut all = vec![
            "build",
            "--root",
            &root,
            "--out",
            &out,
            "--trust-root",
            &root_key,
        ];
        all.extend_from_slice(args);
        sanshen_env(self.path(), &all, env)
    }

    /// A file of the built site.
    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }
}

/// A frame file (spec §7) outside `reviews/`.
pub fn is_outer_frame(rel: &str) -> bool {
    rel == "site.yaml"
        || rel.starts_with("static/")
        || rel.starts_with("themes/")
        || (rel.starts_with("content/") && rel.ends_with("/_index.md"))
}

/// What a deployed site serves (`snapshot`), without the publication log
/// `deploy` publishes under `.well-known/sanshen/`.
pub fn served(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = snapshot(dir);
    files.retain(|(p, _)| !p.starts_with(".well-known/sanshen/"));
    files
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The PKCS#8 PEM secret key of a test reviewer (or of `root`).
pub fn secret_pem(id: &str) -> String {
    let key = if id == "root" {
        root_key()
    } else {
        reviewer_key(id)
    };
    gate::secret_key_pem(&key).expect("pem")
}

impl TestSite {
    /// Write reviewer `id`'s secret key to `<site>/keys/<id>.pem` — outside
    /// the folders the build reads, like `examples/demo-keys/` — and return
    /// the path relative to the site (`keys/<id>.pem`).
    pub fn key_file(&self, id: &str) -> String {
        let rel = format!("keys/{id}.pem");
        self.write(&rel, &secret_pem(id));
        rel
    }

    /// Run `sanshen ARGS --root . --trust-root ROOT` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let root_key = trust_root();
        let mut all: Vec<&str> = args.to_vec();
        all.extend_from_slice(&["--root", ".", "--trust-root", &root_key]);
        sanshen(self.path(), &all)
    }

    /// The bytes of a site file.
    pub fn source(&self, rel: &str) -> Vec<u8> {
        fs::read(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Add a reviewer to the keyring (extra lines such as `sections`,
    /// `valid_until` or `revoked` go in `extra`) and re-sign governance.
    pub fn add_reviewer(&self, id: &str, name: &str, role: &str, level: u8, seed: u8, extra: &str) {
        let public = gate::format_public_key(&key(seed).verifying_key());
        self.add_reviewer_key(id, name, role, level, &public, extra);
        let pem = gate::secret_key_pem(&key(seed)).expect("pem");
        self.write(&format!("keys/{id}.pem"), &pem);
    }

    /// Add a reviewer whose public key is `public` (`ed25519:…` or
    /// `ssh-ed25519 AAAA…`) to the keyring and re-sign governance.
    pub fn add_reviewer_key(
        &self,
        id: &str,
        name: &str,
        role: &str,
        level: u8,
        public: &str,
        extra: &str,
    ) {
        let path = self.path().join("reviews/reviewers.yaml");
        let mut text = fs::read_to_string(&path).expect("keyring");
        let revoked = if extra.contains("revoked:") {
            ""
        } else {
            "  revoked: false\n"
        };
        text.push_str(&format!(
            "- id: {id}\n  name: {name}\n  title: 测试{name}\n  role: {role}\n  level: {level}\n  key: \"{public}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n{extra}{revoked}"
        ));
        fs::write(&path, text).expect("write keyring");
        self.sign_governance();
    }
}

/// Run `git ARGS` in `dir` as 王芳 at `date`, isolated from the user's and
/// the system's git configuration. Returns stdout, trimmed.
pub fn git_at(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "王芳")
        .env("GIT_AUTHOR_EMAIL", "wangfang@ceshi.gov.cn")
        .env("GIT_COMMITTER_NAME", "王芳")
        .env("GIT_COMMITTER_EMAIL", "wangfang@ceshi.gov.cn")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
