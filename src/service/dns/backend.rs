//! The DNS backend the configuration names, and what its failures mean to
//! a caller: DNS hosting unavailable, nothing changed. What the server
//! said goes to the log (and, for a default zone, to the zone's
//! `last_error` for staff), never to a customer.

use crate::{
    config::DnsConfig,
    error::{AppError, Result},
    integrations::dns::{DnsBackend, DnsError, powerdns::PowerDns},
};

pub(super) const UNAVAILABLE: &str =
    "DNS hosting did not answer; nothing was changed. Please try again later.";

/// The name of the backend new zones go to, or a 503 when DNS hosting is
/// off (asked after the access checks, so a foreign id stays a 404).
pub(super) fn configured_name(config: &DnsConfig) -> Result<&'static str> {
    if !config.enabled() {
        return Err(AppError::Unavailable(
            "DNS hosting is not set up here".into(),
        ));
    }
    Ok("powerdns")
}

/// PowerDNS as configured, or a 503 when DNS hosting is off.
pub(super) fn backend(config: &DnsConfig) -> Result<Box<dyn DnsBackend>> {
    configured_name(config)?;
    let pdns = PowerDns::new(
        &config.powerdns_url,
        config.powerdns_api_key.expose(),
        &config.server_id,
        config.timeout_secs,
    )
    .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(Box::new(pdns))
}

pub(super) fn dns_error(e: DnsError) -> AppError {
    tracing::warn!(error = %e, "a DNS backend call failed");
    match e {
        DnsError::Exists => AppError::Conflict("the zone already exists on the DNS server".into()),
        _ => AppError::Unavailable(UNAVAILABLE.into()),
    }
}
