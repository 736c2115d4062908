//! Credentials at rest (a panel's API token, a webhook signing secret):
//! sealed with XChaCha20-Poly1305 under `AuthKeys::credentials`, stored as
//! `nonce (24 bytes) || ciphertext and tag`. The nonce is random per
//! seal; the purpose label is bound as associated data, so a secret sealed
//! for one use cannot be opened as another.

use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};

use super::random;

const NONCE_LEN: usize = 24;

/// Seal `plain` for `purpose` (e.g. `b"server"`).
pub fn seal(key: &[u8; 32], purpose: &[u8], plain: &str) -> Option<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new(&(*key).into());
    let nonce_bytes = random::bytes::<NONCE_LEN>();
    let nonce = XNonce::from(nonce_bytes);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plain.as_bytes(),
                aad: purpose,
            },
        )
        .ok()?;
    let mut out = nonce_bytes.to_vec();
    out.extend_from_slice(&sealed);
    Some(out)
}

/// Open what `seal` made; `None` if it was tampered with, sealed under
/// another key or for another purpose.
pub fn open(key: &[u8; 32], purpose: &[u8], sealed: &[u8]) -> Option<String> {
    if sealed.len() < NONCE_LEN {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    let cipher = XChaCha20Poly1305::new(&(*key).into());
    let plain = cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: body,
                aad: purpose,
            },
        )
        .ok()?;
    String::from_utf8(plain).ok()
}

/// How a sealed value is written into a text column: a marker, then the
/// sealed bytes in URL-safe base64. The marker is what tells a sealed
/// value from a plaintext one left by an older till (`is_sealed_text`).
const TEXT_PREFIX: &str = "sealed1:";

/// `seal`, as text for a TEXT column.
pub fn seal_text(key: &[u8; 32], purpose: &[u8], plain: &str) -> Option<String> {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    seal(key, purpose, plain).map(|b| format!("{TEXT_PREFIX}{}", URL_SAFE_NO_PAD.encode(b)))
}

/// Open what `seal_text` made.
pub fn open_text(key: &[u8; 32], purpose: &[u8], text: &str) -> Option<String> {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let body = text.strip_prefix(TEXT_PREFIX)?;
    open(key, purpose, &URL_SAFE_NO_PAD.decode(body).ok()?)
}

pub fn is_sealed_text(text: &str) -> bool {
    text.starts_with(TEXT_PREFIX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_purpose() {
        let key = [7u8; 32];
        let sealed = seal(&key, b"server", "tok3n").unwrap();
        assert!(!sealed.windows(5).any(|w| w == b"tok3n"));
        assert_eq!(open(&key, b"server", &sealed).as_deref(), Some("tok3n"));
        assert_eq!(open(&[8u8; 32], b"server", &sealed), None);
        assert_eq!(open(&key, b"webhook", &sealed), None);
        let mut bad = sealed.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert_eq!(open(&key, b"server", &bad), None);
        assert_ne!(seal(&key, b"server", "tok3n").unwrap(), sealed);
    }

    #[test]
    fn sealed_text_round_trips_and_says_it_is_sealed() {
        let key = [7u8; 32];
        let text = seal_text(&key, b"totp:user:1", "JBSWY3DPEHPK3PXP").unwrap();
        assert!(is_sealed_text(&text) && !text.contains("JBSWY3DP"));
        assert_eq!(
            open_text(&key, b"totp:user:1", &text).as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        assert_eq!(open_text(&key, b"totp:user:2", &text), None);
        assert!(!is_sealed_text("JBSWY3DPEHPK3PXP"));
        assert_eq!(open_text(&key, b"totp:user:1", "JBSWY3DPEHPK3PXP"), None);
    }
}
