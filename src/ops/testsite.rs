//! A small signed site in a temporary folder, for calling the operations
//! directly in unit tests: one column (`news`), the test reviewers, a
//! governance signed by a test root key, and secret keys outside the site.

use std::fs;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use tempfile::TempDir;

use super::site::SiteOpts;
use crate::gate;

/// Test reviewers: id, name, role, level, key seed.
const REVIEWERS: &[(&str, &str, &str, u8, u8)] = &[
    ("editor", "王编辑", "editor", 1, 1),
    ("leader", "李领导", "leader", 2, 2),
    ("official", "张副区长", "official", 3, 3),
    ("principal", "赵区长", "principal", 4, 4),
];

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn root_key() -> SigningKey {
    key(200)
}

pub(crate) struct TestSite {
    dir: TempDir,
}

impl TestSite {
    /// The site, with keyring, policy and signed governance.
    pub(crate) fn new() -> TestSite {
        let s = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        s.write(
            "site.yaml",
            "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nper_page: 15\n",
        );
        s.write(
            "content/news/_index.md",
            "---\ntitle: 政务动态\ndescription: 政务动态栏目\n---\n",
        );
        let mut keyring = String::from("reviewers:\n");
        for (id, name, role, level, seed) in REVIEWERS {
            let public = gate::format_public_key(&key(*seed).verifying_key());
            let revoked = *id == "official";
            keyring.push_str(&format!(
                "- id: {id}\n  name: {name}\n  title: 测试{name}\n  role: {role}\n  level: {level}\n  key: \"{public}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: {revoked}\n"
            ));
        }
        s.write("reviews/reviewers.yaml", &keyring);
        s.write(
            "reviews/policy.yaml",
            "classes:\n  A: { levels: [1] }\n  B: { levels: [1, 2] }\n  C: { levels: [1, 2, 3], roles: [principal] }\ndistinct_reviewers: true\ngovernment_hosts: [\"*.gov.cn\"]\n",
        );
        s.write(
            "reviews/sources.yaml",
            "sources:\n- name: 中国政府网\n  hosts: [\"www.gov.cn\"]\n",
        );
        s.sign_governance();
        s
    }

    /// Sign the site's frame (governance v2) with the test root key, one
    /// serial more than the governance it replaces.
    pub(crate) fn sign_governance(&self) {
        let tree = crate::content::WorkTree::new(self.path());
        let theme = crate::pipeline::load_site(&tree)
            .map(|s| s.config.theme)
            .unwrap_or_else(|_| "default".into());
        let frame = crate::reviews::frame(&tree, &theme).expect("frame");
        let old = fs::read(self.path().join(gate::governance::FILE)).ok();
        let serial = gate::previous_serial(old.as_deref()).expect("serial") + 1;
        let gov = gate::sign_governance(
            &frame,
            serial,
            "2026-11-01T09:00:00+08:00",
            None,
            &root_key(),
        );
        self.write(gate::governance::FILE, &gov);
    }

    /// The root secret key, written outside the folders the build reads.
    pub(crate) fn root_key_file(&self) -> PathBuf {
        let rel = "keys/root.pem";
        self.write(rel, &gate::secret_key_pem(&root_key()).unwrap());
        self.path().join(rel)
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The site options, with the test trust root.
    pub(crate) fn opts(&self) -> SiteOpts {
        let root = gate::format_public_key(&root_key().verifying_key());
        SiteOpts::new(self.path(), Some(&root))
    }

    /// Key files (`*.pem`) get mode 0600, as `sanshen keygen` writes them.
    pub(crate) fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        #[cfg(unix)]
        if rel.ends_with(".pem") {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        }
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// An unsigned article of `class` at `content/news/<name>`; its path.
    pub(crate) fn article(&self, name: &str, class: &str, title: &str) -> PathBuf {
        let rel = format!("content/news/{name}");
        self.write(
            &rel,
            &format!("---\ntitle: {title}\nclass: {class}\ndate: \"2026-11-10\"\nauthor: 王芳\ndepartment: 区政府办公室\n---\n\n正文。\n"),
        );
        self.path().join(rel)
    }

    /// Reviewer `id`'s key file ([`Self::key_file`]) loaded as a signer.
    pub(crate) fn signer(&self, id: &str) -> Box<dyn crate::ops::keys::Signer> {
        let file = self.key_file(id);
        crate::ops::keys::load_signer(
            self.path(),
            file.to_str().unwrap(),
            &crate::ops::keys::Passphrase::Terminal,
        )
        .unwrap()
    }

    /// Reviewer `id`'s secret key, written outside the folders the build
    /// reads (`keys/<id>.pem`); its path.
    pub(crate) fn key_file(&self, id: &str) -> PathBuf {
        let seed = REVIEWERS.iter().find(|r| r.0 == id).map_or(99, |r| r.4);
        let rel = format!("keys/{id}.pem");
        self.write(&rel, &gate::secret_key_pem(&key(seed)).unwrap());
        self.path().join(rel)
    }
}
