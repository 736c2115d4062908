//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1: the OWASP
//! floor). Hashing costs tens of milliseconds of CPU, so callers on async
//! threads run it inside `Db::run` or `spawn_blocking`.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::error::{AppError, Result};

fn hasher() -> Argon2<'static> {
    // `Argon2::default()` is argon2id, version 0x13, m=19456 KiB, t=2, p=1.
    Argon2::default()
}

/// Hash a password into a PHC string (`$argon2id$v=19$...`).
pub fn hash(password: &str) -> Result<String> {
    let hash: PasswordHash = hasher()
        .hash_password(password.as_bytes())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))?;
    Ok(hash.to_string())
}

/// Check a password against a stored PHC string. A malformed stored hash is
/// a mismatch, never a panic.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(hash("same").unwrap(), hash("same").unwrap());
    }
}
