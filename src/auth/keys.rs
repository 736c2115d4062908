//! The instance's signing keys, derived from one random 256-bit master key
//! made at first start and kept in the database (never a password, never in
//! the config file).

use super::{password, random, secrets::hmac};

pub const MASTER_KEY_SETTING: &str = "auth.master_key";

pub struct AuthKeys {
    /// HS256 key for access tokens.
    pub jwt: [u8; 32],
    /// Key deriving refresh-token successors.
    pub refresh: [u8; 32],
    /// Key sealing credentials at rest (server tokens, module secrets).
    pub credentials: [u8; 32],
    /// A real argon2id hash of a random password: verified against when an
    /// email is unknown, so a login takes as long whether it exists or not.
    pub dummy_password_hash: String,
}

impl AuthKeys {
    pub fn from_master(master: &[u8; 32]) -> crate::error::Result<Self> {
        Ok(Self {
            jwt: hmac(master, b"till access-token signing key v1"),
            refresh: hmac(master, b"till refresh-token successor key v1"),
            credentials: hmac(master, b"till credentials-at-rest key v1"),
            dummy_password_hash: password::hash(&random::password())?,
        })
    }
}

/// A fresh master key, hex-encoded for the settings table.
pub fn new_master_hex() -> String {
    hex::encode(random::bytes::<32>())
}

/// Parse the stored master key.
pub fn parse_master(hex_text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(hex_text).ok()?;
    bytes.try_into().ok()
}
