//! Reference 000's Domains tag: availability (`check.rs`); the client's
//! domains and their DNS land here with the lifecycle.

pub mod check;
