//! `[http]`: the HTTP server's limits and the outbound-call policy.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::secret::Secret;

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
