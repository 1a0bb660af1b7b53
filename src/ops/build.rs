//! One build as an operation: the deploy key loaded first (when the
//! manifest is to be signed), the pipeline run, then the manifest signed and
//! written beside the output, atomically.

use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;

use super::files::write_atomic;
use crate::diag::{Diagnostic, Diagnostics};
use crate::gate;
use crate::manifest::{self, Manifest};
use crate::pipeline::{self, BuildOptions, Failure, Held, Report};
use crate::progress::Progress;
use crate::publog::record::ReleaseFacts;

/// A finished build.
#[derive(Debug)]
pub struct Built {
    pub report: Report,
    /// The manifest written (or why it could not be: the site is built).
    pub manifest: Result<ManifestWritten, Diagnostic>,
}

/// The manifest beside the output.
#[derive(Debug, Clone)]
pub struct ManifestWritten {
    pub path: PathBuf,
    pub files: usize,
    /// The deploy key's fingerprint, when signed.
    pub signed_by: Option<String>,
}

/// Why nothing was built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The deploy key could not be used.
    #[error("{0}")]
    Key(Diagnostic),
    /// Input errors: nothing written.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// `--strict` and some articles were held: nothing written.
    #[error("{} articles held", .0.len())]
    Held(Vec<Held>),
}

/// Build the site; `sign_manifest` is the deploy key file (decrypted with
/// `passphrase` when encrypted).
pub fn build(
    opts: &BuildOptions,
    sign_manifest: Option<&Path>,
    passphrase: &super::keys::Passphrase,
    progress: Option<&dyn Progress>,
) -> Result<Built, BuildError> {
    let key = sign_manifest
        .map(|p| super::keys::load_secret_key(&opts.root, p, passphrase))
        .transpose()
        .map_err(BuildError::Key)?;
    let result = match progress {
        Some(p) => pipeline::build_with(opts, p),
        None => pipeline::build(opts),
    };
    let mut report = result.map_err(|f| match f {
        Failure::Invalid(ds) => BuildError::Invalid(ds),
        Failure::Held(h) => BuildError::Held(h),
    })?;
    let manifest = write_facts(&opts.out, &report.release).and_then(|digest| {
        report.manifest.release = Some(digest);
        write_manifest(&opts.out, &mut report.manifest, key.as_ref())
    });
    Ok(Built { report, manifest })
}

/// Write `<out>.release.json` (what the publication log records) beside
/// the output, atomically; returns its digest for the manifest.
fn write_facts(out: &Path, facts: &ReleaseFacts) -> Result<String, Diagnostic> {
    let path = manifest::facts_path_for(out);
    let mut bytes = serde_json::to_vec_pretty(facts).unwrap_or_default();
    bytes.push(b'\n');
    write_atomic(&path, &bytes).map_err(|e| {
        Diagnostic::new(path.display().to_string(), format!("无法写入发布记录：{e}"))
            .help("网站已构建，但发布记录未更新，部署会拒绝；检查目录权限后重新构建。")
    })?;
    Ok(crate::publog::leaf::digest(&bytes))
}

/// Sign (when a key is given) and write `<out>.manifest.json` beside the
/// output, atomically, after the output was swapped in.
fn write_manifest(
    out: &Path,
    m: &mut Manifest,
    key: Option<&SigningKey>,
) -> Result<ManifestWritten, Diagnostic> {
    let path = manifest::path_for(out);
    if let Some(k) = key {
        m.sign(k);
    }
    write_atomic(&path, &m.to_json()).map_err(|e| {
        Diagnostic::new(path.display().to_string(), format!("无法写入文件清单：{e}")).help(
            "网站已构建，但清单未更新，部署会因清单与文件不符而拒绝；检查目录权限后重新构建。",
        )
    })?;
    Ok(ManifestWritten {
        path,
        files: m.files.len(),
        signed_by: key.map(|k| gate::fingerprint(&k.verifying_key())),
    })
}
