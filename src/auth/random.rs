//! Randomness for secrets, from the operating system's CSPRNG (via
//! `rand::rng()`, a ChaCha generator seeded and reseeded from the OS).

use rand::{Rng, RngCore};

/// `n` random bytes.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    rand::rng().fill_bytes(&mut buf);
    buf
}

/// A 256-bit secret as 64 hex characters.
pub fn token_hex() -> String {
    hex::encode(bytes::<32>())
}

/// A password people can type: 20 characters from an alphabet without
/// look-alikes (about 115 bits).
pub fn password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_their_length_and_do_not_repeat() {
        assert_eq!(token_hex().len(), 64);
        assert_ne!(token_hex(), token_hex());
        let p = password();
        assert_eq!(p.chars().count(), 20);
        assert!(p.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(p, password());
    }
}
