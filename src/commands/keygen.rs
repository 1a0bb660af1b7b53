//! `sanshen keygen --out FILE`: a new Ed25519 secret key (PKCS#8 PEM, mode
//! 0600), never overwriting and never inside the site; prints the public
//! key and a ready keyring entry.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use chrono::FixedOffset;

use crate::clock;
use crate::commands::common;
use crate::diag::Diagnostic;
use crate::gate;
use crate::ops::Error;

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
    let shown = args.out.display().to_string();
    if let Some(part) = common::inside_site(&args.root, &args.out) {
        return Err(common::fail(
            Diagnostic::new(
                &shown,
                format!("不能把私钥写进站点的 {part}：私钥绝不能放进网站仓库"),
            )
            .help("写到站点目录之外，例如 --out ~/.sanshen/zhang.san.pem。"),
        ));
    }
    let key = gate::generate_key();
    let pem = match gate::secret_key_pem(&key) {
        Ok(p) => p,
        Err(m) => return Err(common::fail(Diagnostic::new(&shown, m))),
    };
    if let Err(d) = create_private(&args.out, pem.as_bytes()) {
        return Err(common::fail(d));
    }
    let public = gate::format_public_key(&key.verifying_key());
    let id = args
        .id
        .clone()
        .or_else(|| id_from_file(&args.out))
        .unwrap_or_else(|| "zhang.san".to_string());
    let today = FixedOffset::east_opt(8 * 3600)
        .and_then(|o| clock::now(o).ok())
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "2026-01-01".to_string());
    println!("已生成新私钥：{shown}（权限 0600）");
    println!("请妥善保管，切勿放入网站仓库、切勿发给他人；丢失或泄露时请管理员吊销。");
    println!();
    println!("公钥（public key）：{public}");
    println!(
        "指纹（fingerprint）：{}",
        gate::fingerprint(&key.verifying_key())
    );
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

fn id_from_file(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".pem").unwrap_or(name);
    let ok = !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    ok.then(|| stem.to_string())
}

/// Create `path` with mode 0600, refusing to overwrite.
fn create_private(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let shown = path.display().to_string();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::new(&shown, format!("无法创建目录：{e}")))?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == ErrorKind::AlreadyExists {
            Diagnostic::new(&shown, "文件已存在，拒绝覆盖（可能是别人的私钥）")
                .help("换一个文件名；确实要替换时先自行删除旧文件，并请管理员吊销旧公钥。")
        } else {
            Diagnostic::new(&shown, format!("无法创建私钥文件：{e}"))
        }
    })?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Diagnostic::new(&shown, format!("无法写入私钥文件：{e}")))
}
