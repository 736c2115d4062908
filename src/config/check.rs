//! Settings that load but would leave a door open: findings that stop
//! `till serve` (exit code 2) and that `till config check` prints without
//! starting anything. A finding names its key and never shows a secret.

use super::Config;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The config key to change, e.g. `gateways.stripe.webhook_secret`.
    pub key: &'static str,
    pub problem: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.problem)
    }
}

/// The shortest `http.metrics_token` accepted.
pub const MIN_METRICS_TOKEN: usize = 16;

/// Everything wrong with `config` that validation lets through.
pub fn findings(config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    stripe(config, &mut out);
    dns(config, &mut out);
    // Paystack signs its webhooks with the secret key that turns it on, so a
    // configured Paystack can always authenticate them.
    let token = config.http.metrics_token.expose();
    if !token.is_empty() && token.chars().count() < MIN_METRICS_TOKEN {
        out.push(Finding {
            key: "http.metrics_token",
            problem: format!("is shorter than {MIN_METRICS_TOKEN} characters"),
        });
    }
    out
}

/// A Stripe that takes payments must be able to authenticate the webhooks
/// that confirm them; otherwise a payment can only be confirmed by the
/// customer's return, and a forged webhook could not be told apart.
fn stripe(config: &Config, out: &mut Vec<Finding>) {
    let s = &config.gateways.stripe;
    if !s.configured() {
        return;
    }
    let secret = s.webhook_secret.expose().trim();
    if secret.is_empty() {
        out.push(Finding {
            key: "gateways.stripe.webhook_secret",
            problem: "is empty while gateways.stripe.secret_key is set, so Stripe's webhooks \
                      could not be authenticated; set the signing secret (whsec_…) of the \
                      webhook endpoint"
                .into(),
        });
    } else if !secret.starts_with("whsec_") {
        out.push(Finding {
            key: "gateways.stripe.webhook_secret",
            problem: "is not a webhook signing secret (those start with whsec_), so Stripe's \
                      webhooks could not be authenticated"
                .into(),
        });
    }
}

/// DNS hosting that is on must be able to authenticate to PowerDNS, and
/// its zones need nameservers to be delegated to.
fn dns(config: &Config, out: &mut Vec<Finding>) {
    let d = &config.dns;
    if !d.enabled() {
        return;
    }
    if d.powerdns_api_key.expose().trim().is_empty() {
        out.push(Finding {
            key: "dns.powerdns_api_key",
            problem: "is empty while dns.powerdns_url is set; PowerDNS refuses API calls \
                      without its api-key"
                .into(),
        });
    }
    if d.nameservers.is_empty() {
        out.push(Finding {
            key: "dns.nameservers",
            problem: "is empty while dns.powerdns_url is set, so new zones would have no NS \
                      records"
                .into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn a_gateway_that_cannot_authenticate_its_webhooks_is_a_finding() {
        let mut c = Config::default();
        assert!(findings(&c).is_empty());
        c.gateways.stripe.secret_key = Secret::new("sk_test_1");
        assert_eq!(findings(&c)[0].key, "gateways.stripe.webhook_secret");
        c.gateways.stripe.webhook_secret = Secret::new("pk_test_1");
        assert!(!findings(&c)[0].to_string().contains("pk_test_1"));
        c.gateways.stripe.webhook_secret = Secret::new("whsec_1");
        assert!(findings(&c).is_empty());
        c.gateways.paystack.secret_key = Secret::new("sk_test_2");
        assert!(findings(&c).is_empty());
        c.http.metrics_token = Secret::new("short");
        assert_eq!(findings(&c)[0].key, "http.metrics_token");
    }

    #[test]
    fn dns_hosting_without_a_key_or_nameservers_is_a_finding() {
        let mut c = Config::default();
        c.dns.powerdns_url = "http://127.0.0.1:8081".into();
        let keys: Vec<&str> = findings(&c).iter().map(|f| f.key).collect();
        assert_eq!(keys, vec!["dns.powerdns_api_key", "dns.nameservers"]);
        c.dns.powerdns_api_key = Secret::new("pdns-key");
        c.dns.nameservers = vec!["ns1.example.net".into()];
        assert!(findings(&c).is_empty());
    }
}
