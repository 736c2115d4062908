//! The records a new zone starts with: NS for each configured nameserver,
//! and for a hosting service on a server an A (or AAAA) at the apex and
//! at `www` pointing at the server's address. `apply_default_zone` makes
//! that zone when a hosting service with a domain goes live.

use std::net::IpAddr;

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    config::DnsConfig,
    domain::{
        dns::{Record, RecordInput, validate_zone, zone_name},
        time::stamp,
    },
    error::{AppError, Result},
    service::{Ctx, audit::Actor},
    store::{
        dns_zones::{self, NewZone},
        servers, services,
    },
};

use super::{
    backend::configured_name,
    making::{OnFailure, make},
};

/// The default records of `zone` with `nameservers` and the hosting
/// server's address, if there is one.
pub fn default_records(nameservers: &[String], server: Option<IpAddr>) -> Vec<RecordInput> {
    let mut out: Vec<RecordInput> = nameservers
        .iter()
        .map(|ns| RecordInput {
            kind: "NS".into(),
            name: "@".into(),
            content: ns.clone(),
            ..RecordInput::default()
        })
        .collect();
    if let Some(ip) = server {
        let kind = if ip.is_ipv4() { "A" } else { "AAAA" };
        for name in ["@", "www"] {
            out.push(RecordInput {
                kind: kind.into(),
                name: name.into(),
                content: ip.to_string(),
                ..RecordInput::default()
            });
        }
    }
    out
}

/// The default records for the zone `name` of service `service_id`.
pub(super) fn for_service(
    conn: &Connection,
    config: &DnsConfig,
    name: &str,
    service_id: i64,
) -> Result<Vec<Record>> {
    let server = services::find(conn, &service_id.to_string())?
        .and_then(|s| s.server_id)
        .map(|id| servers::find(conn, &id.to_string()))
        .transpose()?
        .flatten()
        .and_then(|s| s.address.trim().parse::<IpAddr>().ok());
    validate_zone(
        &default_records(&config.nameservers, server),
        name,
        config.default_ttl,
    )
    .map_err(|e| AppError::internal(format!("the default zone does not validate: {e:?}")))
}

/// Make the default zone of a hosting service that just went live, named
/// after its domain. Nothing is done when DNS hosting is off, the service
/// has no domain or a zone already, or the name is another live zone's.
/// A DNS outage never reaches the caller: the zone is kept as `failed`
/// with the reason (and an audit row) for staff.
pub async fn apply_default_zone(ctx: &Ctx, service_id: i64, now: Timestamp) {
    if let Err(e) = try_default(ctx, service_id, now).await {
        tracing::warn!(service_id, error = %e, "the default DNS zone was not made");
    }
}

async fn try_default(ctx: &Ctx, service_id: i64, now: Timestamp) -> Result<()> {
    if !ctx.config.dns.enabled() {
        return Ok(());
    }
    let (config, backend_name) = (ctx.config.clone(), configured_name(&ctx.config.dns)?);
    let reserved = ctx
        .db
        .run(move |db| {
            db.write(|tx| {
                let Some(s) = services::find(tx, &service_id.to_string())? else {
                    return Ok(None);
                };
                let Some(Ok(name)) = s.domain.as_deref().map(zone_name) else {
                    return Ok(None);
                };
                if dns_zones::of_service(tx, s.id)?.is_some() {
                    return Ok(None);
                }
                let records = for_service(tx, &config.dns, &name, s.id)?;
                let new = NewZone {
                    client_id: s.client_id,
                    domain_id: None,
                    service_id: Some(s.id),
                    name: &name,
                    backend: backend_name,
                    now: &stamp(now),
                };
                let Some(id) = dns_zones::insert(tx, &new)? else {
                    tracing::info!(service_id, zone = name, "a live zone has the name already");
                    return Ok(None);
                };
                Ok(dns_zones::find(tx, id)?.map(|z| (z, records)))
            })
        })
        .await?;
    if let Some((zone, records)) = reserved {
        let by = (Actor::System, None);
        make(ctx, zone, records, by, OnFailure::Keep, now).await?;
    }
    Ok(())
}
