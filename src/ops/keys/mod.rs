//! Loading a secret key, in one place (spec §8): every command that signs
//! comes here. A key is a PKCS#8 file — plain or encrypted with a
//! passphrase, never inside the site, never readable by group or others —
//! or the Ed25519 key held by the running ssh-agent (`--key ssh-agent`).

mod agent;
pub mod encrypted;
mod file;
mod passphrase;
mod perms;

use std::path::Path;

use ed25519_dalek::{Signature, SigningKey, VerifyingKey};

use crate::diag::Diagnostic;
use crate::gate;

pub use file::load_secret_key;
pub use passphrase::{new_passphrase, Passphrase};
pub use perms::check_private;

/// The `--key` value that means "the Ed25519 key in ssh-agent"; followed by
/// `:<fingerprint>` it picks one of several.
pub const AGENT: &str = "ssh-agent";

/// Something that signs with one Ed25519 key: a key file read into memory,
/// or ssh-agent. Its signatures are plain Ed25519 signatures of the message,
/// so approvals do not depend on where the key lives.
pub trait Signer: Send + Sync {
    /// The public key (matched against the keyring).
    fn public(&self) -> VerifyingKey;
    /// An Ed25519 signature of `msg` by [`Signer::public`], already checked
    /// with `verify_strict`.
    fn sign(&self, msg: &[u8]) -> Result<Signature, Diagnostic>;
    /// Where the key is, for messages: the file, or `ssh-agent（SHA256:…）`.
    fn source(&self) -> String;
}

impl<S: Signer + ?Sized> Signer for Box<S> {
    fn public(&self) -> VerifyingKey {
        (**self).public()
    }

    fn sign(&self, msg: &[u8]) -> Result<Signature, Diagnostic> {
        (**self).sign(msg)
    }

    fn source(&self) -> String {
        (**self).source()
    }
}

impl std::fmt::Debug for dyn Signer + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.source())
    }
}

/// A key read from a file.
pub struct KeyFileSigner {
    key: SigningKey,
    file: String,
}

impl Signer for KeyFileSigner {
    fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    fn sign(&self, msg: &[u8]) -> Result<Signature, Diagnostic> {
        Ok(ed25519_dalek::Signer::sign(&self.key, msg))
    }

    fn source(&self) -> String {
        self.file.clone()
    }
}

/// The signer named by `--key`: `ssh-agent`, `ssh-agent:<fingerprint>`
/// (`SHA256:…` as `ssh-add -l` prints it, or sanshen's `ab12 cd34 …`), or
/// a key file, read as [`load_secret_key`] does (outside the site at
/// `root`, mode 0600, decrypted with `passphrase` when encrypted).
pub fn load_signer(
    root: &Path,
    key_arg: &str,
    passphrase: &Passphrase,
) -> Result<Box<dyn Signer>, Diagnostic> {
    if key_arg == AGENT {
        return Ok(Box::new(agent::AgentSigner::connect(None)?));
    }
    if let Some(fp) = key_arg
        .strip_prefix(AGENT)
        .and_then(|r| r.strip_prefix(':'))
    {
        return Ok(Box::new(agent::AgentSigner::connect(Some(fp))?));
    }
    let path = Path::new(key_arg);
    let key = load_secret_key(root, path, passphrase)?;
    Ok(Box::new(KeyFileSigner {
        key,
        file: path.display().to_string(),
    }))
}

/// Sign `message` with `signer`: standard padded base64 of the signature.
pub fn sign_text(signer: &dyn Signer, message: &str) -> Result<String, Diagnostic> {
    signer
        .sign(message.as_bytes())
        .map(|s| gate::keys::encode_signature(&s))
}
