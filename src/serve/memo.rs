//! What the preview keeps from one rebuild to the next because it is pure:
//! the compiled templates, while the theme's templates are the same, and
//! the signatures that already passed `verify_strict` in this process.
//! Neither can change an outcome: the templates are compared whole (not
//! by a hash), and a signature triple is remembered only here, in memory,
//! after it verified here; nothing is read from or written to disk.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostics;
use crate::gate::{Verified, Verifier};
use crate::render::templates::Engine;
use crate::theme::Theme;

/// Triples remembered at most; past it the set starts again (a preview
/// left running for weeks must not grow without bound).
const MAX_TRIPLES: usize = 1 << 20;

/// The templates an engine was compiled from: the theme folder and every
/// template's name and source.
type Sources = (String, Vec<(String, String)>);

/// Kept between the rebuilds of one preview (or review desk).
#[derive(Default)]
pub struct Memo {
    engine: Mutex<Option<(Sources, Arc<Engine>)>>,
    verified: Arc<InMemory>,
}

impl Memo {
    /// The engine for `theme`: the last one when its templates are the
    /// same, else newly compiled (and kept when it compiles).
    pub fn engine(&self, theme: &Theme) -> Result<Arc<Engine>, Diagnostics> {
        let mut kept = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(((dir, templates), engine)) = kept.as_ref() {
            if *dir == theme.dir && *templates == theme.templates {
                return Ok(engine.clone());
            }
        }
        *kept = None;
        let engine = Arc::new(Engine::new(theme)?);
        *kept = Some(((theme.dir.clone(), theme.templates.clone()), engine.clone()));
        Ok(engine)
    }

    /// A verifier that remembers, for this process only, the signatures
    /// that passed.
    pub fn verifier(&self) -> Verifier {
        Verifier::with_store(self.verified.clone())
    }
}

/// SHA-256 of a triple, each part with its length, as the set's key.
fn key_of(key: &VerifyingKey, message: &[u8], sig: &Signature) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update((message.len() as u64).to_le_bytes());
    h.update(message);
    h.update(sig.to_bytes());
    h.finalize().into()
}

/// Triples that passed `verify_strict` in this process.
#[derive(Default)]
struct InMemory(Mutex<HashSet<[u8; 32]>>);

impl Verified for InMemory {
    fn known(&self, key: &VerifyingKey, message: &[u8], sig: &Signature) -> bool {
        let set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.contains(&key_of(key, message, sig))
    }

    fn remember(&self, key: &VerifyingKey, message: &[u8], sig: &Signature) {
        let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if set.len() >= MAX_TRIPLES {
            set.clear();
        }
        set.insert(key_of(key, message, sig));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::keys::encode_signature;
    use ed25519_dalek::{Signer, SigningKey};

    #[test]
    fn the_engine_is_kept_only_while_every_template_is_the_same() {
        let dir = tempfile::tempdir().expect("temp dir");
        let tree = crate::tree::WorkTree::new(dir.path());
        let theme = crate::theme::load(&tree, "default").expect("embedded theme");
        let memo = Memo::default();
        let first = memo.engine(&theme).expect("compiles");
        assert!(Arc::ptr_eq(&first, &memo.engine(&theme).expect("kept")));
        let mut changed = crate::theme::Theme {
            dir: theme.dir.clone(),
            templates: theme.templates.clone(),
            assets: Vec::new(),
        };
        changed.templates[0].1.push_str("\n<!-- edited -->");
        let second = memo.engine(&changed).expect("compiles");
        assert!(
            !Arc::ptr_eq(&first, &second),
            "an edited template compiles anew"
        );
        changed.templates[0].1.push_str("{% if %}");
        assert!(
            memo.engine(&changed).is_err(),
            "a broken template is not hidden"
        );
        let third = memo.engine(&theme).expect("compiles");
        assert!(!Arc::ptr_eq(&second, &third));
    }

    #[test]
    fn remembers_only_what_passed_and_only_that_triple() {
        let memo = Memo::default();
        let v = memo.verifier();
        let sk = SigningKey::from_bytes(&[7; 32]);
        let pk = sk.verifying_key();
        let good = encode_signature(&sk.sign(b"message"));
        let other = encode_signature(&sk.sign(b"other"));
        assert!(!v.verify(&pk, b"message", &other));
        assert!(memo.verified.0.lock().unwrap().is_empty());
        assert!(v.verify(&pk, b"message", &good));
        assert_eq!(memo.verified.0.lock().unwrap().len(), 1);
        // Known now; a different message with the same signature is not.
        assert!(v.verify(&pk, b"message", &good));
        assert!(!v.verify(&pk, b"messagf", &good));
    }
}
