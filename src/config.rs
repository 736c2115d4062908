//! Configuration: built-in defaults < TOML file < `TILL_*` environment < flags.
//!
//! Every struct denies unknown fields, so a misspelt key stops start-up with a
//! message that names it; `Config::validate` names bad values. Secrets are a
//! `Secret`, whose `Debug` and `Serialize` never show the value. Settings
//! that are valid but unsafe together are `check::findings`.

pub mod check;

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

/// The master key's file in the data directory (see `service::master_key`).
pub const MASTER_KEY_FILE: &str = "master.key";

/// The commented default configuration printed by `till config default`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("config_default.toml");

/// Environment variables with the `TILL_` prefix that are not config keys.
const ENV_NOT_CONFIG: &[&str] = &["config", "admin_email", "admin_password"];

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
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompanyConfig {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// HTTP worker threads; 0 means one per CPU core.
    pub workers: usize,
    /// Largest request body accepted, in KiB.
    pub body_limit_kib: usize,
    /// Seconds in-flight requests get to finish at shutdown.
    pub shutdown_timeout_secs: u64,
    /// Reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// A bearer token that opens `/metrics` from anywhere; without it only
    /// direct loopback requests get the metrics.
    pub metrics_token: Secret,
    /// Loopback, link-local or private addresses (`10.0.0.5`) or networks
    /// (`10.0.0.0/8`) that module webhooks and servers may be called at;
    /// every other non-public address is refused.
    pub allow_private_targets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// Read-only connections in the pool (writes use one dedicated connection).
    pub read_pool_size: u32,
    /// How long a connection waits for a lock before giving up, in ms.
    pub busy_timeout_ms: u64,
    pub synchronous: Synchronous,
    /// Automatic pre-migration backups kept in `<data_dir>/backups`.
    pub keep_migration_backups: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    /// Every commit is flushed to disk: a power cut loses nothing committed.
    Full,
    /// Faster; a power cut (not a crash) may lose the last commits.
    Normal,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info` or `till=debug,actix_web=info`.
    pub level: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// The From header of every email.
    pub from: String,
    /// SMTP server; empty means write `.eml` files to `<data_dir>/outbox`.
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: String,
    pub smtp_password: Secret,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

/// Card gateways. Each is off until its secret key is set.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewaysConfig {
    pub stripe: StripeConfig,
    pub paystack: PaystackConfig,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct StripeConfig {
    /// `sk_live_…` / `sk_test_…` (or a restricted `rk_…` key).
    pub secret_key: Secret,
    /// `pk_…`, given to browsers for Stripe.js.
    pub publishable_key: String,
    /// `whsec_…`, the signing secret of the webhook endpoint.
    pub webhook_secret: Secret,
    /// Stripe's API; tests point it at a local fake.
    pub base_url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaystackConfig {
    /// `sk_…`; Paystack also signs webhooks with it.
    pub secret_key: Secret,
    /// `pk_…`, given to browsers for Paystack's inline checkout.
    pub public_key: String,
    /// Paystack's API; tests point it at a local fake.
    pub base_url: String,
}

/// The in-process scheduler.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// Run the billing automation (renewal invoices, reminders, late fees,
    /// suspension, termination) on its schedule. Off pauses it, for
    /// example while customers move over from another billing system;
    /// `till jobs run` still runs it by hand. Mail, provisioning and the
    /// other workers run either way.
    pub billing: bool,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self { billing: true }
    }
}

/// VIES, the EU's VAT number validation service (`checkVatService`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ViesConfig {
    /// The SOAP endpoint; tests point it at a local fake.
    pub url: String,
    /// How long one check may take before VIES counts as unavailable.
    pub timeout_secs: u64,
    /// Valid VAT ids are checked again after this many days (0 = never).
    pub recheck_days: u32,
}

impl Default for ViesConfig {
    fn default() -> Self {
        Self {
            url: "https://ec.europa.eu/taxation_customs/vies/services/checkVatService".into(),
            timeout_secs: 10,
            recheck_days: 30,
        }
    }
}

impl StripeConfig {
    /// Stripe is offered only when it has a secret key.
    pub fn configured(&self) -> bool {
        !self.secret_key.expose().trim().is_empty()
    }
}

impl PaystackConfig {
    /// Paystack is offered only when it has a secret key.
    pub fn configured(&self) -> bool {
        !self.secret_key.expose().trim().is_empty()
    }
}

impl Default for StripeConfig {
    fn default() -> Self {
        Self {
            secret_key: Secret::default(),
            publishable_key: String::new(),
            webhook_secret: Secret::default(),
            base_url: "https://api.stripe.com".into(),
        }
    }
}

impl Default for PaystackConfig {
    fn default() -> Self {
        Self {
            secret_key: Secret::default(),
            public_key: String::new(),
            base_url: "https://api.paystack.co".into(),
        }
    }
}

/// A configuration value that must never be printed.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "\"[redacted]\""
        })
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.0.is_empty() { "" } else { "[redacted]" })
    }
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
        }
    }
}

impl Default for CompanyConfig {
    fn default() -> Self {
        Self {
            name: "till".into(),
            email: "billing@localhost".into(),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            workers: 0,
            body_limit_kib: 1024,
            shutdown_timeout_secs: 30,
            trusted_proxies: Vec::new(),
            metrics_token: Secret::default(),
            allow_private_targets: Vec::new(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            read_pool_size: 8,
            busy_timeout_ms: 5000,
            synchronous: Synchronous::Full,
            keep_migration_backups: 5,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            from: "till <billing@localhost>".into(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: SmtpSecurity::Starttls,
            smtp_username: String::new(),
            smtp_password: Secret::default(),
        }
    }
}

/// Values given on the command line; they win over everything else.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip)]
    pub config_file: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_data: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("{0}")]
    Invalid(String),
    #[error("bad value for `{key}`: {reason}")]
    BadValue { key: &'static str, reason: String },
}

impl From<figment::Error> for ConfigError {
    fn from(err: figment::Error) -> Self {
        // figment's message names the key (`unknown field: found `x``, `for key
        // "default.bind"`) and the source (file path or environment variable).
        let all: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
        ConfigError::Invalid(all.join("; "))
    }
}

impl Config {
    /// Layer defaults, the TOML file, `TILL_*` environment and flags.
    pub fn load(overrides: &Overrides) -> Result<Config, ConfigError> {
        let mut figment = Figment::new();
        if let Some(path) = &overrides.config_file {
            if !path.is_file() {
                return Err(ConfigError::MissingFile(path.clone()));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        let config: Config = figment
            .merge(
                Env::prefixed("TILL_")
                    .ignore(ENV_NOT_CONFIG)
                    .split("__")
                    .lowercase(true),
            )
            .merge(Serialized::defaults(overrides))
            .extract()?;
        config.validate()?;
        Ok(config)
    }

    /// Parse a TOML document alone (no environment, no flags).
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let config: Config = Figment::new().merge(Toml::string(text)).extract()?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key, reason: &str| {
            Err(ConfigError::BadValue {
                key,
                reason: reason.to_string(),
            })
        };
        if self.company.name.trim().is_empty() {
            return bad("company.name", "must not be empty");
        }
        let url_ok = self.public_url.is_empty()
            || self.public_url.starts_with("http://")
            || self.public_url.starts_with("https://");
        if !url_ok {
            return bad("public_url", "must start with http:// or https://");
        }
        if self.http.body_limit_kib == 0 {
            return bad("http.body_limit_kib", "must be at least 1");
        }
        if self.database.read_pool_size == 0 {
            return bad("database.read_pool_size", "must be at least 1");
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return bad("log.level", "is not a valid tracing filter");
        }
        for (key, url) in [
            ("gateways.stripe.base_url", &self.gateways.stripe.base_url),
            ("vies.url", &self.vies.url),
            (
                "gateways.paystack.base_url",
                &self.gateways.paystack.base_url,
            ),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return bad(key, "must start with http:// or https://");
            }
        }
        if let Some(bad) = self
            .http
            .allow_private_targets
            .iter()
            .find(|t| crate::domain::net::parse_net(t).is_none())
        {
            return Err(ConfigError::BadValue {
                key: "http.allow_private_targets",
                reason: format!("`{bad}` is not an IP address or network such as 10.0.0.0/8"),
            });
        }
        if self.vies.timeout_secs == 0 {
            return bad("vies.timeout_secs", "must be at least 1");
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return bad("mail.from", "is not a valid mailbox such as `Name <a@b.c>`");
        }
        Ok(())
    }

    /// The base URL for links, without a trailing slash.
    pub fn base_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.bind)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("till.db")
    }

    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// The master key that seals credentials (`auth::key_file`).
    pub fn master_key_path(&self) -> PathBuf {
        self.data_dir.join(MASTER_KEY_FILE)
    }

    /// The lock file a running server holds, so `restore` can refuse.
    pub fn lock_path(&self) -> PathBuf {
        self.data_dir.join("till.lock")
    }

    /// The effective configuration as TOML, secrets redacted.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot print: {e}\n"))
    }
}

/// Create the data directory if it is missing.
pub fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
// figment's Jail closures return figment's (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    fn load_in_jail(overrides: Overrides) -> Result<Config, String> {
        Config::load(&overrides).map_err(|e| e.to_string())
    }

    #[test]
    fn the_printed_default_config_parses_back_to_the_defaults() {
        let parsed = Config::from_toml(DEFAULT_CONFIG_TOML).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn defaults_apply_without_file_env_or_flags() {
        Jail::expect_with(|_jail| {
            let config = load_in_jail(Overrides::default()).unwrap();
            assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
            assert_eq!(config.data_dir, PathBuf::from("./data"));
            assert_eq!(config.database_path(), PathBuf::from("./data/till.db"));
            Ok(())
        });
    }

    #[test]
    fn file_beats_defaults_env_beats_file_and_flags_beat_env() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "till.toml",
                "bind = \"127.0.0.1:9000\"\ndata_dir = \"/from-file\"\n[company]\nname = \"File Co\"\n",
            )?;
            let file = Some(PathBuf::from("till.toml"));

            let config = load_in_jail(Overrides {
                config_file: file.clone(),
                ..Default::default()
            })
            .unwrap();
            assert_eq!(config.bind.port(), 9000);
            assert_eq!(config.company.name, "File Co");

            jail.set_env("TILL_BIND", "127.0.0.1:9100");
            jail.set_env("TILL_COMPANY__NAME", "Env Co");
            let config = load_in_jail(Overrides {
                config_file: file.clone(),
                ..Default::default()
            })
            .unwrap();
            assert_eq!(config.bind.port(), 9100);
            assert_eq!(config.company.name, "Env Co");
            assert_eq!(config.data_dir, PathBuf::from("/from-file"));

            let config = load_in_jail(Overrides {
                config_file: file,
                bind: Some("127.0.0.1:9200".parse().unwrap()),
                data_dir: Some(PathBuf::from("/from-flag")),
                sample_data: Some(false),
            })
            .unwrap();
            assert_eq!(config.bind.port(), 9200);
            assert_eq!(config.data_dir, PathBuf::from("/from-flag"));
            assert!(!config.sample_data);
            Ok(())
        });
    }

    #[test]
    fn first_run_variables_are_not_mistaken_for_config_keys() {
        Jail::expect_with(|jail| {
            jail.set_env("TILL_ADMIN_EMAIL", "boss@example.com");
            jail.set_env("TILL_ADMIN_PASSWORD", "correct horse battery");
            jail.set_env("TILL_CONFIG", "ignored-here.toml");
            assert!(load_in_jail(Overrides::default()).is_ok());
            Ok(())
        });
    }

    #[test]
    fn an_unknown_key_in_the_file_is_named() {
        Jail::expect_with(|jail| {
            jail.create_file("till.toml", "[company]\nnmae = \"typo\"\n")?;
            let err = load_in_jail(Overrides {
                config_file: Some("till.toml".into()),
                ..Default::default()
            })
            .unwrap_err();
            assert!(err.contains("nmae"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn an_unknown_environment_key_is_named() {
        Jail::expect_with(|jail| {
            jail.set_env("TILL_BINDD", "127.0.0.1:1");
            let err = load_in_jail(Overrides::default()).unwrap_err();
            assert!(err.contains("bindd"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_is_named() {
        Jail::expect_with(|jail| {
            jail.set_env("TILL_BIND", "not-an-address");
            let err = load_in_jail(Overrides::default()).unwrap_err();
            assert!(err.to_lowercase().contains("bind"), "{err}");

            jail.set_env("TILL_BIND", "127.0.0.1:8080");
            jail.set_env("TILL_DATABASE__READ_POOL_SIZE", "0");
            let err = load_in_jail(Overrides::default()).unwrap_err();
            assert!(err.contains("database.read_pool_size"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn a_missing_config_file_is_an_error_not_a_silent_default() {
        Jail::expect_with(|_jail| {
            let err = load_in_jail(Overrides {
                config_file: Some("nowhere.toml".into()),
                ..Default::default()
            })
            .unwrap_err();
            assert!(err.contains("nowhere.toml"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn secrets_never_show_in_debug_or_printed_config() {
        let mut config = Config::default();
        config.mail.smtp_password = Secret::new("hunter2-smtp");
        config.gateways.stripe.secret_key = Secret::new("sk_test_hunter2");
        config.gateways.stripe.webhook_secret = Secret::new("whsec_hunter2");
        config.gateways.paystack.secret_key = Secret::new("sk_test_hunter2p");
        assert!(!format!("{config:?}").contains("hunter2"));
        assert!(!config.to_toml().contains("hunter2"));
        assert!(config.to_toml().contains("[redacted]"));
    }

    #[test]
    fn a_gateway_is_configured_by_its_secret_key_from_the_environment() {
        Jail::expect_with(|jail| {
            let config = load_in_jail(Overrides::default()).unwrap();
            assert!(!config.gateways.stripe.configured());
            assert!(!config.gateways.paystack.configured());
            assert_eq!(config.gateways.stripe.base_url, "https://api.stripe.com");

            jail.set_env("TILL_GATEWAYS__STRIPE__SECRET_KEY", "sk_test_1");
            jail.set_env("TILL_GATEWAYS__STRIPE__WEBHOOK_SECRET", "whsec_1");
            jail.set_env("TILL_GATEWAYS__PAYSTACK__SECRET_KEY", "sk_test_2");
            jail.set_env("TILL_GATEWAYS__PAYSTACK__BASE_URL", "http://127.0.0.1:9");
            let config = load_in_jail(Overrides::default()).unwrap();
            assert!(config.gateways.stripe.configured());
            assert_eq!(config.gateways.stripe.webhook_secret.expose(), "whsec_1");
            assert!(config.gateways.paystack.configured());
            assert_eq!(config.gateways.paystack.base_url, "http://127.0.0.1:9");

            jail.set_env("TILL_GATEWAYS__PAYSTACK__BASE_URL", "api.paystack.co");
            let err = load_in_jail(Overrides::default()).unwrap_err();
            assert!(err.contains("gateways.paystack.base_url"), "{err}");
            Ok(())
        });
    }
}
