//! Configuration: built-in defaults < TOML file < `TILL_*` environment < flags.
//!
//! Every struct denies unknown fields, so a misspelt key stops start-up with a
//! message that names it; `Config::validate` names bad values. Secrets are a
//! `Secret`, whose `Debug` and `Serialize` never show the value. Settings
//! that are valid but unsafe together are `check::findings`.

pub mod check;
mod company;
mod database;
mod dns;
mod domains;
mod gateways;
mod http;
mod jobs;
mod load;
mod log;
mod mail;
mod paths;
mod secret;
mod support;
#[cfg(test)]
// figment's Jail closures return figment's (large) error type.
#[allow(clippy::result_large_err)]
mod tests;
mod validate;
mod vies;

pub use company::CompanyConfig;
pub use database::{DatabaseConfig, Synchronous};
pub use dns::DnsConfig;
pub use domains::{DomainsConfig, IANA_BOOTSTRAP_URL, WhoisServerConfig};
pub use gateways::{GatewaysConfig, PaystackConfig, StripeConfig};
pub use http::HttpConfig;
pub use jobs::JobsConfig;
pub use load::{ConfigError, Overrides};
pub use log::{LogConfig, LogFormat};
pub use mail::{MailConfig, SmtpSecurity};
pub use secret::Secret;
pub use support::{NEVER_ALLOWED, SupportConfig, UnknownSender};
pub use vies::ViesConfig;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

/// The master key's file in the data directory (see `service::accounts::master_key`).
pub const MASTER_KEY_FILE: &str = "master.key";

/// The commented default configuration printed by `till config default`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../config_default.toml");

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    pub bind: SocketAddr,
    /// Directory holding `till.db`, backups and the mail outbox.
    pub data_dir: PathBuf,
    /// Add the sample catalog and payment method to an empty database.
    pub sample_data: bool,
    /// Refuse state-changing customer requests with 503 while staff work.
    pub maintenance_mode: bool,
    /// The address customers reach till at, for links in emails
    /// (`https://billing.example.com`); empty means `http://<bind>`.
    pub public_url: String,
    pub company: CompanyConfig,
    pub http: HttpConfig,
    pub database: DatabaseConfig,
    pub log: LogConfig,
    pub mail: MailConfig,
    pub gateways: GatewaysConfig,
    pub vies: ViesConfig,
    pub jobs: JobsConfig,
    pub domains: DomainsConfig,
    pub dns: DnsConfig,
    pub support: SupportConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            sample_data: true,
            maintenance_mode: false,
            public_url: String::new(),
            company: CompanyConfig::default(),
            http: HttpConfig::default(),
            database: DatabaseConfig::default(),
            log: LogConfig::default(),
            mail: MailConfig::default(),
            gateways: GatewaysConfig::default(),
            vies: ViesConfig::default(),
            jobs: JobsConfig::default(),
            domains: DomainsConfig::default(),
            dns: DnsConfig::default(),
            support: SupportConfig::default(),
        }
    }
}

/// Create the data directory if it is missing.
pub fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}
