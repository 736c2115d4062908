//! The instance's signing keys, derived from one random 256-bit master key
//! made at first start and kept in its own file in the data directory
//! (`auth::key_file`; never a password, never in the config file, never in
//! the database, so a database backup alone opens no sealed secret).

use super::{password, random, secrets::hmac};

/// Where till before the key file kept the master key (hex) in `settings`;
/// read once at start to move it into the file, then deleted.
pub const MASTER_KEY_SETTING: &str = "auth.master_key";

/// A one-way fingerprint of the master key kept in `settings`, so till can
/// tell that a key file belongs to its database (and refuse to run with a
/// missing or foreign one) without the database holding the key.
pub const FINGERPRINT_SETTING: &str = "auth.master_key_fingerprint";

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

/// A fresh master key.
pub fn new_master() -> [u8; 32] {
    random::bytes::<32>()
}

/// Parse a master key written as hex.
pub fn parse_master(hex_text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(hex_text).ok()?;
    bytes.try_into().ok()
}

/// The fingerprint stored beside the data: 128 bits of an HMAC under the
/// key, which says nothing about the key itself.
pub fn fingerprint(master: &[u8; 32]) -> String {
    hex::encode(&hmac(master, b"till master key fingerprint v1")[..16])
}
