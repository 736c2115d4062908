//! Loading the configuration: layering defaults, file, environment and
//! flags, validating the result, and printing it back as TOML.

use std::{net::SocketAddr, path::PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::Serialize;

use super::Config;

/// Environment variables with the `TILL_` prefix that are not config keys.
const ENV_NOT_CONFIG: &[&str] = &["config", "admin_email", "admin_password"];

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

    /// The effective configuration as TOML, secrets redacted.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot print: {e}\n"))
    }
}
