//! `sanshen governance sign --key ROOT.pem [--expires T]` and `sanshen
//! governance verify`: the root key's signature over the site's frame
//! (`ops::governance`, spec §7).

use std::path::PathBuf;

use crate::commands::common::{self, SiteArgs};
use crate::ops::{governance, Error};
use crate::reviews;

/// `sanshen governance …`
#[derive(clap::Subcommand, Debug, Clone)]
pub enum Action {
    /// 用根密钥签署网站框架：reviews/ 下的名单与政策、site.yaml、栏目 _index.md、主题、static/；有根密钥组（reviews/roots.yaml）时，持有人依次签署，签名累加
    Sign {
        /// 根私钥文件（PKCS#8 PEM，可有口令，须在站点目录之外、权限 600）
        #[arg(long, value_name = "私钥")]
        key: PathBuf,
        #[command(flatten)]
        passphrase: common::PassphraseArgs,
        /// 签署的到期时间（RFC 3339，例如 2027-06-01T00:00:00+08:00）；到期后构建将拒绝，须重新签署
        #[arg(long, value_name = "时间")]
        expires: Option<String>,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// 用信任根验证 reviews/governance.yaml，并列出签署范围内的网站框架文件
    Verify {
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// Run `sanshen governance …`.
pub fn run(action: &Action) -> Result<(), Error> {
    match action {
        Action::Sign {
            key,
            passphrase,
            expires,
            site,
        } => sign(&governance::sign(
            &site.opts(),
            key,
            &passphrase.source(),
            expires.as_deref(),
        )?),
        Action::Verify { site } => verify(&governance::verify(&site.opts())?),
    }
    Ok(())
}

fn expiry(expires: Option<&str>) -> String {
    match expires {
        Some(e) => format!("，{e} 到期"),
        None => "，不设到期".to_string(),
    }
}

fn sign(s: &governance::Signed) {
    let migrated = if s.previous == 0 {
        "（新签署或由旧格式迁移）"
    } else {
        ""
    };
    println!(
        "已签署 {}：第 {} 次{migrated}，{}{}。签署范围（{} 个网站框架文件）：",
        crate::gate::governance::FILE,
        s.serial,
        s.signed_at,
        expiry(s.expires.as_deref()),
        s.files.len()
    );
    for (path, digest) in &s.files {
        println!("  {path}  {digest}");
    }
    match &s.cosigned {
        None => println!("根公钥（trust root）：{}", s.public),
        Some(p) => {
            println!("签署人：{}（第 {} 版根密钥组）", s.public, p.root_version);
            if p.dropped > 0 {
                println!(
                    "网站框架已改变，开始新的签署（第 {} 次）：原第 {} 次签署的 {} 个签名不再有效，已去掉。",
                    s.serial, s.previous, p.dropped
                );
            }
            let more = if p.have < p.need {
                "，请其他根密钥持有人依次运行 sanshen governance sign --key <本人私钥.pem>；达到门槛前构建将拒绝"
            } else {
                ""
            };
            println!(
                "{}{more}。",
                crate::commands::root::progress(p.have, p.need)
            );
        }
    }
}

fn verify(v: &governance::Verified) {
    if v.pinned_in_repo {
        eprintln!("警告：{}", reviews::PINNED_IN_REPO_WARNING);
    }
    let by = match v.root_version {
        None => format!("信任根 {}", v.root),
        Some(n) => format!(
            "第 {n} 版根密钥组（信任根 {}）的 {}/{} 位持有人",
            v.root, v.signers, v.threshold
        ),
    };
    println!(
        "验证通过：reviews/governance.yaml 由{by}签署（第 {} 次，{}{}）。",
        v.serial,
        v.signed_at,
        expiry(v.expires.as_deref())
    );
    println!("签署范围（{} 个网站框架文件）：", v.files.len());
    for (path, digest) in &v.files {
        println!("  {path}  {digest}");
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
