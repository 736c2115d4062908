//! The outside world behind narrow interfaces: mail transports now;
//! payment gateways, provisioning modules and registrars as they arrive.

pub mod mail;
