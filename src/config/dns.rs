//! `[dns]`: DNS hosting on PowerDNS Authoritative. Without `powerdns_url`
//! DNS hosting is off: zone routes answer 503 and no default zone is made.

use serde::{Deserialize, Serialize};

use super::Secret;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DnsConfig {
    /// The PowerDNS API's address (`http://127.0.0.1:8081`); empty = off.
    pub powerdns_url: String,
    /// PowerDNS's `api-key`.
    pub powerdns_api_key: Secret,
    /// The PowerDNS server id in the API's paths.
    pub server_id: String,
    /// The NS records every new zone gets (`ns1.example.net`).
    pub nameservers: Vec<String>,
    /// The TTL of records sent without one, in seconds.
    pub default_ttl: i64,
    /// How long one PowerDNS call may take.
    pub timeout_secs: u64,
}

impl Default for DnsConfig {
    fn default() -> Self {
        Self {
            powerdns_url: String::new(),
            powerdns_api_key: Secret::default(),
            server_id: "localhost".into(),
            nameservers: Vec::new(),
            default_ttl: 3600,
            timeout_secs: 10,
        }
    }
}

impl DnsConfig {
    /// Whether DNS hosting is on.
    pub fn enabled(&self) -> bool {
        !self.powerdns_url.trim().is_empty()
    }
}
