//! `sanshen keygen --out FILE [--passphrase-file F | --no-passphrase]`: a
//! new Ed25519 secret key, encrypted with a passphrase by default
//! (`ops::keygen`); prints the public key and a ready keyring entry.

use std::path::PathBuf;

use crate::commands::common::PassphraseArgs;
use crate::ops::{keygen, Error};

/// Arguments of `sanshen keygen`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 新私钥的文件名（不能已存在，不能在站点的 content/、reviews/、themes/、static/ 中）
    #[arg(long, value_name = "文件")]
    pub out: PathBuf,
    /// 审核人 id，用于打印的名单条目（默认取文件名，如 zhang.san.pem → zhang.san）
    #[arg(long, value_name = "编号")]
    pub id: Option<String>,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
    /// 不设口令，写出明文私钥。只在私钥另有保护时使用：例如 CI 的部署密钥放在
    /// CI 的机密变量里、或私钥只存在加密的 U 盘/整盘加密的专用电脑上；审核人的个人密钥请一律设口令
    #[arg(long, conflicts_with = "passphrase_file")]
    pub no_passphrase: bool,
    /// 站点根目录（用于拒绝把私钥放进站点）
    #[arg(long, default_value = ".", value_name = "目录")]
    pub root: PathBuf,
}

/// Run `sanshen keygen`.
pub fn run(args: &Args) -> Result<(), Error> {
    let source = args.passphrase.source();
    let pass = (!args.no_passphrase).then_some(&source);
    let k = keygen::keygen(&args.root, &args.out, args.id.as_deref(), pass)?;
    let (public, id, today) = (&k.public, &k.id, &k.today);
    if k.encrypted {
        println!(
            "已生成新私钥：{}（有口令保护，权限 0600）",
            args.out.display()
        );
        println!("每次签署都要输入口令；口令忘记后无法找回，只能请管理员吊销后换发新密钥。");
    } else {
        println!("已生成新私钥：{}（无口令，权限 0600）", args.out.display());
        println!("注意：这把私钥没有口令，拿到文件的人就能以您的名义签署。");
    }
    println!("请妥善保管，切勿放入网站仓库、切勿发给他人；丢失或泄露时请管理员吊销。");
    println!();
    println!("公钥（public key）：{public}");
    println!("指纹（fingerprint）：{}", k.fingerprint);
    println!("OpenSSH 格式公钥：{}", k.openssh);
    println!();
    println!(
        "请把下面的条目交给管理员，补全姓名、职务、角色、级别和栏目后加入 reviews/reviewers.yaml，"
    );
    println!("再由持有根密钥的负责人运行 sanshen governance sign：");
    println!();
    println!("- id: {id}");
    println!("  name: 张三                    # 本人姓名（一人一钥，不能是部门）");
    println!("  title: 区政府办公室信息科责任编辑");
    println!("  role: editor                  # editor、leader、official、principal、security");
    println!("  level: 1                      # 可签的最高审核级别 1–4");
    println!("  sections: [news]              # 负责的栏目；不写则不限栏目");
    println!("  key: \"{public}\"");
    println!("  valid_from: \"{today}T00:00:00+08:00\"");
    println!("  revoked: false");
    println!();
    println!("若这是网站的根密钥（信任根），则公钥用于 --trust-root {public}，由网站主管单位保管并在 CI 中配置。");
    Ok(())
}
