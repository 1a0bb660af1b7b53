//! Remembering signatures that verified: the caller (which does the I/O)
//! may hand the gate a store of (public key, message, signature) triples
//! already known to pass `verify_strict`. Only passing triples are ever
//! remembered; a triple the store does not know is verified in full. The
//! store answers for the exact triple (it sees the key, the message and
//! the signature bytes), so a hit means "this very check passed before".
//! Whether a hit can be trusted is the store's business: the build's
//! on-disk store authenticates its entries with a secret key kept outside
//! the cache (`src/cache.rs`, docs/reference/build-cache.md).

use std::fmt;
use std::sync::Arc;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::keys::decode_signature;

/// A store of triples known to pass `verify_strict`.
pub trait Verified: Send + Sync {
    /// Whether `verify_strict(key, message, sig)` is known to pass.
    fn known(&self, key: &VerifyingKey, message: &[u8], sig: &Signature) -> bool;
    /// Record that `verify_strict(key, message, sig)` passed.
    fn remember(&self, key: &VerifyingKey, message: &[u8], sig: &Signature);
}

/// The verifier the gate uses: `verify_strict`, consulting a [`Verified`]
/// store first when one is given. The default has none.
#[derive(Clone, Default)]
pub struct Verifier(Option<Arc<dyn Verified>>);

impl Verifier {
    /// A verifier that consults and fills `store`.
    pub fn with_store(store: Arc<dyn Verified>) -> Verifier {
        Verifier(Some(store))
    }

    /// `verify_strict` of `sig_b64` over `message`; false on any malformed
    /// input. Same outcome as [`crate::keys::verify`].
    pub fn verify(&self, key: &VerifyingKey, message: &[u8], sig_b64: &str) -> bool {
        let Some(sig) = decode_signature(sig_b64) else {
            return false;
        };
        let Some(store) = &self.0 else {
            return key.verify_strict(message, &sig).is_ok();
        };
        if store.known(key, message, &sig) {
            return true;
        }
        let ok = key.verify_strict(message, &sig).is_ok();
        if ok {
            store.remember(key, message, &sig);
        }
        ok
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.0.is_some() { "cached" } else { "strict" };
        write!(f, "Verifier({what})")
    }
}

/// A verifier never changes an outcome, so it does not make two sets of
/// reviews differ.
impl PartialEq for Verifier {
    fn eq(&self, _: &Verifier) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::encode_signature;
    use ed25519_dalek::{Signer, SigningKey};
    use std::sync::Mutex;

    /// A store that remembers what it is told and may lie.
    #[derive(Default)]
    struct Store {
        remembered: Mutex<Vec<Vec<u8>>>,
        lie: bool,
    }

    impl Verified for Store {
        fn known(&self, _: &VerifyingKey, message: &[u8], _: &Signature) -> bool {
            self.lie || self.remembered.lock().unwrap().iter().any(|m| m == message)
        }
        fn remember(&self, _: &VerifyingKey, message: &[u8], _: &Signature) {
            self.remembered.lock().unwrap().push(message.to_vec());
        }
    }

    #[test]
    fn remembers_only_passing_checks() {
        let sk = SigningKey::from_bytes(&[7; 32]);
        let store = Arc::new(Store::default());
        let v = Verifier::with_store(store.clone());
        let good = encode_signature(&sk.sign(b"m"));
        assert!(v.verify(&sk.verifying_key(), b"m", &good));
        assert!(!v.verify(&sk.verifying_key(), b"n", &good));
        assert!(!v.verify(&sk.verifying_key(), b"m", "AAAA"));
        assert_eq!(*store.remembered.lock().unwrap(), vec![b"m".to_vec()]);
        assert!(v.verify(&sk.verifying_key(), b"m", &good));
        assert!(!Verifier::default().verify(&sk.verifying_key(), b"n", &good));
    }

    #[test]
    fn a_malformed_signature_never_reaches_the_store() {
        let sk = SigningKey::from_bytes(&[7; 32]);
        let liar = Verifier::with_store(Arc::new(Store {
            lie: true,
            ..Store::default()
        }));
        assert!(!liar.verify(&sk.verifying_key(), b"m", "not base64!"));
    }
}
