//! The DNS backend the configuration names, and what its failures mean to
//! a caller: DNS hosting unavailable, nothing changed. What the server
//! said goes to the log (and, for a default zone, to the zone's
//! `last_error` for staff), never to a customer.

use rusqlite::Connection;

use crate::{
    auth::keys::AuthKeys,
    config::DnsConfig,
    error::{AppError, Result},
    integrations::{
        dns::{DnsBackend, DnsError, powerdns::PowerDns, registrar_dns::RegistrarDns},
        outbound::TargetPolicy,
        registrars::{RegistrarConfig, registrar_for},
    },
    service::{Ctx, domains::registrars::config_of},
    store::{dns_zones::Zone, domains, registrars},
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

/// The backend `zone` lives on: its domain's registrar (`registrar`), else
/// PowerDNS.
pub(super) async fn backend_of(ctx: &Ctx, zone: &Zone) -> Result<Box<dyn DnsBackend>> {
    if zone.backend != "registrar" {
        return backend(&ctx.config.dns);
    }
    let (keys, domain_id) = (ctx.keys.clone(), zone.domain_id);
    let config = ctx
        .db
        .run(move |db| db.read(|c| registrar_of(c, &keys, domain_id)))
        .await?
        .ok_or_else(|| {
            AppError::Unavailable("the registrar that hosts this zone is not set up".into())
        })?;
    let policy = TargetPolicy::from_config(&ctx.config.http.allow_private_targets);
    let registrar =
        registrar_for(&config, &policy).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(Box::new(RegistrarDns::new(registrar)))
}

/// The settings of the enabled registrar that hosts the DNS of
/// `domain_id`, if it does.
pub(super) fn registrar_of(
    conn: &Connection,
    keys: &AuthKeys,
    domain_id: Option<i64>,
) -> Result<Option<RegistrarConfig>> {
    let Some(domain) = domain_id
        .map(|id| domains::find_by_id(conn, id))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    let Some(r) = domain
        .registrar_id
        .map(|id| registrars::find(conn, id))
        .transpose()?
        .flatten()
        .filter(|r| r.enabled)
    else {
        return Ok(None);
    };
    let config = config_of(keys, &r)?;
    Ok(config.hosts_dns().then_some(config))
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
