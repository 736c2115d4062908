//! `Config::validate`: the checks that name a bad value.

use super::{Config, ConfigError};

impl Config {
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
        if let Some((key, reason)) = self.domains.problem() {
            return Err(ConfigError::BadValue { key, reason });
        }
        if let Some((key, reason)) = self.support.problem() {
            return Err(ConfigError::BadValue { key, reason });
        }
        self.validate_dns()?;
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return bad("mail.from", "is not a valid mailbox such as `Name <a@b.c>`");
        }
        Ok(())
    }
}

impl Config {
    fn validate_dns(&self) -> Result<(), ConfigError> {
        let bad = |key, reason: &str| {
            Err(ConfigError::BadValue {
                key,
                reason: reason.to_string(),
            })
        };
        let dns = &self.dns;
        let url = dns.powerdns_url.trim();
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            return bad("dns.powerdns_url", "must start with http:// or https://");
        }
        if !(crate::domain::dns::MIN_TTL..=crate::domain::dns::MAX_TTL).contains(&dns.default_ttl) {
            return bad("dns.default_ttl", "must be between 60 and 604800 seconds");
        }
        if dns.server_id.trim().is_empty() {
            return bad("dns.server_id", "must not be empty");
        }
        if dns.timeout_secs == 0 {
            return bad("dns.timeout_secs", "must be at least 1");
        }
        if let Some(ns) = dns
            .nameservers
            .iter()
            .find(|ns| crate::domain::dns::zone_name(ns).is_err())
        {
            return Err(ConfigError::BadValue {
                key: "dns.nameservers",
                reason: format!("`{ns}` is not a host name such as ns1.example.net"),
            });
        }
        Ok(())
    }
}
