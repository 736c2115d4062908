//! Who is asking: passwords, tokens, and (later) the extractors that turn a
//! request into an authenticated actor.

pub mod password;
pub mod random;
