//! `sanshen root init|rotate|sign|fingerprint|verify`: the threshold root
//! sets of `reviews/roots.yaml` (`ops::roots`, spec §7a).

use std::path::PathBuf;

use crate::commands::common::{self, SiteArgs};
use crate::ops::{roots, Error};

/// `sanshen root …`
#[derive(clap::Subcommand, Debug, Clone)]
pub enum Action {
    /// 创建根密钥组第 1 版（reviews/roots.yaml）：几位持有人的公钥，至少几人签署
    Init(SetArgs),
    /// 更换根密钥组：追加下一版，须由上一版和本版各自达到门槛的持有人签署
    Rotate(SetArgs),
    /// 持有人用本人私钥签署最新一版根密钥组
    Sign {
        /// 本人的根私钥文件（PKCS#8 PEM，可有口令，须在站点目录之外、权限 600）
        #[arg(long, value_name = "私钥")]
        key: PathBuf,
        #[command(flatten)]
        passphrase: common::PassphraseArgs,
        /// 站点根目录
        #[arg(long, default_value = ".", value_name = "目录")]
        root: PathBuf,
    },
    /// 打印某一版根密钥组的指纹 roots:sha256:…（作为信任根交给主管单位，配置到 CI）
    Fingerprint {
        /// 版本号（默认最新一版）
        #[arg(long, value_name = "版本号")]
        version: Option<u64>,
        /// 站点根目录
        #[arg(long, default_value = ".", value_name = "目录")]
        root: PathBuf,
    },
    /// 验证根密钥组的更换链：从信任根指向的版本起，每一版都有足够的签名
    Verify {
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// `--threshold K --key ed25519:… …`
#[derive(clap::Args, Debug, Clone)]
pub struct SetArgs {
    /// 门槛：至少几位持有人签署才有效（例如 3 人中 2 人）
    #[arg(long, value_name = "人数")]
    threshold: usize,
    /// 一位持有人的根公钥 ed25519:…（每人一个 --key）
    #[arg(long = "key", required = true, value_name = "公钥")]
    keys: Vec<String>,
    /// 站点根目录
    #[arg(long, default_value = ".", value_name = "目录")]
    root: PathBuf,
}

/// Run `sanshen root …`.
pub fn run(action: &Action) -> Result<(), Error> {
    match action {
        Action::Init(a) => {
            let v = roots::init(&a.root, a.threshold, &a.keys)?;
            println!(
                "已创建 {}：第 1 版根密钥组，{} 位持有人中至少 {} 人签署。",
                crate::gate::roots::FILE,
                v.keys.len(),
                v.threshold
            );
            println!(
                "信任根（交给主管单位，配置为 CI 的 SANSHEN_TRUST_ROOT）：{}",
                v.fingerprint()
            );
        }
        Action::Rotate(a) => {
            let v = roots::rotate(&a.root, a.threshold, &a.keys)?;
            println!(
                "已追加第 {} 版根密钥组（{} 位持有人中至少 {} 人签署），尚未签署：须由第 {} 版和第 {} 版的持有人各自达到门槛，依次运行 sanshen root sign --key <本人私钥.pem>。",
                v.version,
                v.keys.len(),
                v.threshold,
                v.version - 1,
                v.version
            );
        }
        Action::Sign {
            key,
            passphrase,
            root,
        } => sign(&roots::sign(root, key, &passphrase.source())?),
        Action::Fingerprint { version, root } => {
            println!("{}", roots::fingerprint(root, *version)?.fingerprint());
        }
        Action::Verify { site } => return verify(&roots::verify(&site.opts())?),
    }
    Ok(())
}

/// `已有 x/k 个签名，还需 …`
pub fn progress(have: usize, need: usize) -> String {
    if have >= need {
        format!("已有 {have}/{need} 个签名，已达到门槛")
    } else {
        format!("已有 {have}/{need} 个签名，还需 {} 个", need - have)
    }
}

fn sign(s: &roots::RootSigned) {
    println!("已签署第 {} 版根密钥组。", s.version);
    if s.version == 1 {
        println!("  第 1 版由信任根指纹（roots:sha256:…）固定，构建不要求它的签名，签名仅作记录。");
        return;
    }
    if let Some((have, need)) = s.old {
        println!(
            "  上一版（第 {} 版）持有人：{}",
            s.version - 1,
            progress(have, need)
        );
    }
    println!(
        "  本版（第 {} 版）持有人：{}",
        s.version,
        progress(s.own.0, s.own.1)
    );
    let done = s.old.is_none_or(|(h, n)| h >= n) && s.own.0 >= s.own.1;
    if done {
        println!(
            "第 {} 版已生效：请新的持有人重新签署 governance.yaml（sanshen governance sign）。",
            s.version
        );
    }
}

fn verify(r: &roots::ChainReport) -> Result<(), Error> {
    if !r.fingerprint_pin {
        println!("注意：信任根不是根密钥组指纹（roots:sha256:…），从第 1 版起验证。");
    }
    for v in &r.versions {
        let state = if v.ignored {
            "（早于信任根指向的版本，不使用）".to_string()
        } else if v.version.version == r.pinned {
            "（信任根指向此版）".to_string()
        } else {
            let old = v.old.map(|(h, n)| progress(h, n)).unwrap_or_default();
            format!(
                "（上一版持有人{old}；本版持有人{}）",
                progress(v.own.0, v.own.1)
            )
        };
        println!(
            "第 {} 版：{} 位持有人中至少 {} 人，指纹 {}{state}",
            v.version.version,
            v.version.keys.len(),
            v.version.threshold,
            v.fingerprint
        );
    }
    match &r.outcome {
        Ok(latest) => {
            println!("验证通过：当前有效的是第 {latest} 版根密钥组。");
            Ok(())
        }
        Err(e) => Err(Error::Text(format!(
            "{e}\n验证失败：构建将拒绝这个站点。\n"
        ))),
    }
}
