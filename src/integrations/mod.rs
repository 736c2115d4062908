//! The outside world behind narrow interfaces: mail transports and card
//! gateways now; provisioning modules and registrars as they arrive.

pub mod gateways;
pub mod mail;
