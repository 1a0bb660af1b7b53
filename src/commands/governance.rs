//! `sanshen governance sign --key ROOT.pem` and `sanshen governance
//! verify`: the root key's signature over `reviews/` (`ops::governance`).

use std::path::PathBuf;

use crate::commands::common::{self, SiteArgs};
use crate::ops::{governance, Error};
use crate::reviews;

/// `sanshen governance …`
#[derive(clap::Subcommand, Debug, Clone)]
pub enum Action {
    /// 用根密钥签署 reviews/governance.yaml（审核人名单、审核政策、转载白名单）
    Sign {
        /// 根私钥文件（PKCS#8 PEM，须在站点目录之外）
        #[arg(long)]
        key: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// 用信任根验证 reviews/governance.yaml
    Verify {
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// Run `sanshen governance …`.
pub fn run(action: &Action) -> Result<(), Error> {
    match action {
        Action::Sign { key, site } => sign(&governance::sign(&site.opts(), key)?),
        Action::Verify { site } => verify(&governance::verify(&site.opts())?),
    }
    Ok(())
}

fn sign(s: &governance::Signed) {
    println!(
        "已签署 {}（{}），签署范围：",
        crate::gate::governance::FILE,
        s.signed_at
    );
    for (name, digest) in &s.files {
        println!("  reviews/{name}  {digest}");
    }
    println!("根公钥（trust root）：{}", s.public);
    if let Some(root) = &s.other_trust_root {
        eprintln!("警告：此根密钥与当前配置的信任根（{root}）不一致，构建将无法验证；更换根密钥时须同时更新 CI 中的 --trust-root / SANSHEN_TRUST_ROOT。");
    }
}

fn verify(v: &governance::Verified) {
    if v.pinned_in_repo {
        eprintln!("警告：{}", reviews::PINNED_IN_REPO_WARNING);
    }
    println!(
        "验证通过：reviews/governance.yaml 由信任根 {} 签署（{}）。",
        v.root, v.signed_at
    );
    for (name, digest) in &v.files {
        println!("  reviews/{name}  {digest}");
    }
    println!("审核人 {} 位：", v.reviewers.len());
    for r in &v.reviewers {
        let scope = r
            .sections
            .as_ref()
            .map(|s| s.join("、"))
            .unwrap_or_else(|| "全部栏目".to_string());
        let state = if r.revoked {
            "已吊销".to_string()
        } else {
            match &r.valid_until {
                Some(u) => format!("有效期至 {}", common::timestamp(u)),
                None => "有效".to_string(),
            }
        };
        println!(
            "  {} {}（{}）角色 {}，第{}级，{scope}，{state}，指纹 {}",
            r.id,
            r.name,
            r.title,
            r.role,
            r.level,
            r.fingerprint()
        );
    }
}
