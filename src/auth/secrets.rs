//! Opaque secrets (refresh tokens, session cookies, email links, API keys):
//! generated from the OS CSPRNG, stored only as SHA-256, compared in
//! constant time.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::random;

/// A new 256-bit secret, URL-safe, with a readable prefix (`rt_`, `vt_`).
pub fn new_secret(prefix: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random::bytes::<32>()))
}

/// What is stored: the hex SHA-256 of the secret.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm cannot be reached.
        Err(_) => return [0; 32],
    };
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The successor of a refresh token: derived, not random, so that a client
/// whose response was lost can present the old token again within the
/// grace period and receive the very same successor. Only the server, which
/// holds `key`, can derive it.
pub fn successor(key: &[u8], parent: &str) -> String {
    format!(
        "rt_{}",
        URL_SAFE_NO_PAD.encode(hmac(key, format!("refresh-successor:{parent}").as_bytes()))
    )
}

/// Constant-time equality for secrets and their hashes.
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_prefixed_and_stored_hashed() {
        let s = new_secret("rt_");
        assert!(s.starts_with("rt_") && s.len() == 3 + 43);
        assert_eq!(hash(&s).len(), 64);
        assert_ne!(hash(&s), s);
        assert!(equal(&hash(&s), &hash(&s)));
        assert!(!equal(&hash(&s), &hash(&new_secret("rt_"))));
    }

    #[test]
    fn successors_are_deterministic_per_key_and_parent() {
        let key = [7u8; 32];
        assert_eq!(successor(&key, "rt_a"), successor(&key, "rt_a"));
        assert_ne!(successor(&key, "rt_a"), successor(&key, "rt_b"));
        assert_ne!(successor(&key, "rt_a"), successor(&[8u8; 32], "rt_a"));
    }
}
