//! Who is asking: passwords, tokens, TOTP, API keys, rate limits, and the
//! extractors that turn a request into an authenticated principal.

pub mod jwt;
pub mod key_file;
pub mod keys;
pub mod password;
pub mod principal;
pub mod random;
pub mod rate_limit;
pub mod sealed;
pub mod secrets;
pub mod totp;
