//! `sanshen governance sign --key ROOT.pem` and `sanshen governance
//! verify`: the root key's signature over `reviews/` (spec §7).

use std::path::{Path, PathBuf};

use chrono::FixedOffset;

use crate::clock;
use crate::commands::common::{self, SiteArgs};
use crate::content::WorkTree;
use crate::diag::Diagnostic;
use crate::gate::{self, Reviews};
use crate::ops::Error;
use crate::pipeline;
use crate::reviews::{self, RootSource};

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
        Action::Sign { key, site } => sign(key, site),
        Action::Verify { site } => verify(site),
    }
}

fn sign(key_path: &Path, args: &SiteArgs) -> Result<(), Error> {
    let key = common::load_key(&args.root, key_path)?;
    let tree = WorkTree::new(&args.root);
    let files = reviews::read_files(&tree)?;
    let parsed = Reviews::parse(&files)
        .map(|_| ())
        .and_then(|()| crate::rules::Rules::parse(&files).map(|_| ()));
    if let Err(e) = parsed {
        eprint!("{}", reviews::diagnostic(e));
        eprintln!("\n未签署：reviews/ 中的文件有错误，改正后再签署。");
        return Err(Error::Unsuccessful(String::new()));
    }
    let site = pipeline::load_site(&tree).ok();
    let offset = site
        .as_ref()
        .map(|s| s.offset)
        .or_else(|| FixedOffset::east_opt(8 * 3600));
    let Some(now) = offset.and_then(|o| clock::now(o).ok()) else {
        return Err(common::fail(Diagnostic::new(
            "SOURCE_DATE_EPOCH",
            "无法取得当前时间",
        )));
    };
    let signed_at = common::timestamp(&now);
    let text = gate::sign_governance(&files, &signed_at, &key);
    let path = args.root.join(gate::governance::FILE);
    if let Err(e) = common::write_atomic(&path, text.as_bytes()) {
        return Err(common::fail(Diagnostic::new(
            gate::governance::FILE,
            format!("无法写入：{e}"),
        )));
    }
    let public = gate::format_public_key(&key.verifying_key());
    println!(
        "已签署 {}（{signed_at}），签署范围：",
        gate::governance::FILE
    );
    if let Ok(gov) = gate::read_governance(&read_again(&tree)) {
        for (name, digest) in &gov.files {
            println!("  reviews/{name}  {digest}");
        }
    }
    println!("根公钥（trust root）：{public}");
    if let Some(site) = &site {
        if let Ok((root, _)) = reviews::trust_root(args.trust_root.as_deref(), site) {
            if root != public {
                eprintln!("警告：此根密钥与当前配置的信任根（{root}）不一致，构建将无法验证；更换根密钥时须同时更新 CI 中的 --trust-root / SANSHEN_TRUST_ROOT。");
            }
        }
    }
    Ok(())
}

fn read_again(tree: &WorkTree) -> std::collections::BTreeMap<String, Vec<u8>> {
    reviews::read_files(tree).unwrap_or_default()
}

fn verify(args: &SiteArgs) -> Result<(), Error> {
    let tree = WorkTree::new(&args.root);
    let site = pipeline::load_site(&tree)?;
    let files = reviews::read_files(&tree)?;
    let (root, from) = reviews::trust_root(args.trust_root.as_deref(), &site)?;
    if from == RootSource::SiteYaml {
        eprintln!("警告：{}", reviews::PINNED_IN_REPO_WARNING);
    }
    let parsed = match reviews::load(&files, &root) {
        Ok(r) => r,
        Err(d) => {
            eprint!("{d}");
            eprintln!("\n验证失败：构建将拒绝这个站点，不会写出任何文件。");
            return Err(Error::Unsuccessful(String::new()));
        }
    };
    let gov = gate::read_governance(&files).ok();
    println!(
        "验证通过：reviews/governance.yaml 由信任根 {root} 签署（{}）。",
        gov.as_ref().map(|g| g.signed_at.as_str()).unwrap_or("")
    );
    for (name, digest) in gov.iter().flat_map(|g| &g.files) {
        println!("  reviews/{name}  {digest}");
    }
    println!("审核人 {} 位：", parsed.keyring.reviewers.len());
    for r in &parsed.keyring.reviewers {
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
    Ok(())
}
