//! `sanshen keygen --out FILE`: a new Ed25519 secret key (`ops::keygen`);
//! prints the public key and a ready keyring entry.

use std::path::PathBuf;

use crate::ops::{keygen, Error};

/// Arguments of `sanshen keygen`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 新私钥的文件名（不能已存在，不能在站点的 content/、reviews/、themes/、static/ 中）
    #[arg(long)]
    pub out: PathBuf,
    /// 审核人 id，用于打印的名单条目（默认取文件名，如 zhang.san.pem → zhang.san）
    #[arg(long)]
    pub id: Option<String>,
    /// 站点根目录（用于拒绝把私钥放进站点）
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Run `sanshen keygen`.
pub fn run(args: &Args) -> Result<(), Error> {
    let k = keygen::keygen(&args.root, &args.out, args.id.as_deref())?;
    let (public, id, today) = (&k.public, &k.id, &k.today);
    println!("已生成新私钥：{}（权限 0600）", args.out.display());
    println!("请妥善保管，切勿放入网站仓库、切勿发给他人；丢失或泄露时请管理员吊销。");
    println!();
    println!("公钥（public key）：{public}");
    println!("指纹（fingerprint）：{}", k.fingerprint);
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
