//! `[domains]`: where domain availability is looked up, and how often.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// IANA's RDAP bootstrap for DNS registrations (RFC 9224).
pub const IANA_BOOTSTRAP_URL: &str = "https://data.iana.org/rdap/dns.json";

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DomainsConfig {
    /// One RDAP server for every TLD (a private registry, a test double);
    /// empty means the IANA bootstrap decides per TLD.
    pub rdap_base_url: String,
    /// Where `till domains refresh-bootstrap` downloads the bootstrap from.
    pub bootstrap_url: String,
    /// Port-43 WHOIS servers for TLDs without RDAP, by TLD (`gh`, `com.gh`).
    pub whois_servers: BTreeMap<String, WhoisServerConfig>,
    /// How long one lookup (RDAP or WHOIS) may take.
    pub lookup_timeout_ms: u64,
    /// How long a definite answer (available or taken) is reused.
    pub cache_seconds: u64,
    /// Names one client address may have checked per minute.
    pub check_rate_per_minute: u32,
    /// Lookups one bulk check runs at once.
    pub bulk_concurrency: usize,
    /// The nameservers a domain is registered with when it has none of its
    /// own and no hosting server's (empty: `[dns] nameservers`).
    pub default_nameservers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WhoisServerConfig {
    /// `whois.nic.example` or `whois.nic.example:4343` (port 43 by default).
    pub server: String,
    /// Text (any case) the server's answer holds when the name is free,
    /// such as `No match for`.
    pub available_pattern: String,
}

impl Default for DomainsConfig {
    fn default() -> Self {
        Self {
            rdap_base_url: String::new(),
            bootstrap_url: IANA_BOOTSTRAP_URL.into(),
            whois_servers: BTreeMap::new(),
            lookup_timeout_ms: 5000,
            cache_seconds: 300,
            check_rate_per_minute: 60,
            bulk_concurrency: 5,
            default_nameservers: Vec::new(),
        }
    }
}

impl DomainsConfig {
    /// The first problem with these settings: the key and why.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        let http = |u: &str| u.starts_with("http://") || u.starts_with("https://");
        if !self.rdap_base_url.is_empty() && !http(&self.rdap_base_url) {
            return Some((
                "domains.rdap_base_url",
                "must start with http:// or https://".into(),
            ));
        }
        if !http(&self.bootstrap_url) {
            return Some((
                "domains.bootstrap_url",
                "must start with http:// or https://".into(),
            ));
        }
        if let Some(h) = self
            .default_nameservers
            .iter()
            .find(|h| !crate::service::sales::order_items::valid_domain(&h.to_ascii_lowercase()))
        {
            return Some((
                "domains.default_nameservers",
                format!("{h} is not a host name"),
            ));
        }
        if self.lookup_timeout_ms == 0 {
            return Some(("domains.lookup_timeout_ms", "must be at least 1".into()));
        }
        if self.check_rate_per_minute == 0 {
            return Some(("domains.check_rate_per_minute", "must be at least 1".into()));
        }
        if !(1..=20).contains(&self.bulk_concurrency) {
            return Some((
                "domains.bulk_concurrency",
                "must be between 1 and 20".into(),
            ));
        }
        for (tld, w) in &self.whois_servers {
            let port_ok = w
                .server
                .rsplit_once(':')
                .is_none_or(|(_, p)| p.parse::<u16>().is_ok_and(|p| p > 0));
            if w.server.trim().is_empty() || !port_ok {
                return Some((
                    "domains.whois_servers",
                    format!("`{tld}`: server must be a host or host:port"),
                ));
            }
            if w.available_pattern.trim().is_empty() {
                return Some((
                    "domains.whois_servers",
                    format!("`{tld}`: available_pattern must not be empty"),
                ));
            }
        }
        None
    }
}
