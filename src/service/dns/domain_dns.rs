//! Reference 000's DNS of a domain (`GET/PUT .../domains/{domain}/dns`):
//! the records of the domain's zone, and replacing them all. The first
//! replace makes the zone (with the configured NS) when there is none; a
//! live zone of the same name that is the client's (a hosting service's)
//! is the domain's zone too.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{
        dns::{RecordInput, validate_zone, zone_name},
        privileges::Privilege,
        time::stamp,
    },
    error::{AppError, FieldErrors, Result},
    service::{Ctx, access::client_access, audit::Actor},
    store::{
        dns_zones::{self, NewZone, Zone},
        domains::{self, Domain},
    },
};

use super::{
    backend::{configured_name, registrar_of},
    making::{OnFailure, make, reserve},
    records::{Edit, change},
    template::default_records,
    zones::{ZoneDetail, detail},
};

/// A domain and its zone, if it has one.
#[derive(Debug, Clone)]
pub struct DomainDns {
    pub domain: Domain,
    pub zone: Option<ZoneDetail>,
}

fn domain_and_zone(
    conn: &Connection,
    principal: &Principal,
    client: &str,
    domain: &str,
    change: bool,
) -> Result<(Domain, Option<Zone>)> {
    let access = client_access(conn, principal, client)?;
    let domain = domain
        .trim()
        .parse::<i64>()
        .ok()
        .map(|id| domains::of_client(conn, access.client.id, id))
        .transpose()?
        .flatten()
        .ok_or(AppError::NotFound)?;
    if change {
        access.require_change(Privilege::DomainsFull)?;
    } else {
        access.require(Privilege::DomainsFull)?;
    }
    let zone = match dns_zones::of_domain(conn, domain.id)? {
        Some(z) => Some(z),
        None => {
            dns_zones::find_by_name(conn, &domain.name)?.filter(|z| z.client_id == access.client.id)
        }
    };
    Ok((domain, zone))
}

pub fn domain_records(
    db: &Db,
    principal: &Principal,
    client: &str,
    domain: &str,
) -> Result<DomainDns> {
    db.read(|c| {
        let (domain, zone) = domain_and_zone(c, principal, client, domain, false)?;
        let zone = zone.map(|z| detail(c, z.id)).transpose()?;
        Ok(DomainDns { domain, zone })
    })
}

/// Replace every record of the domain's zone with `records`, all or none
/// (`None`, records missing from the request, is a 422 after the access
/// check).
pub async fn replace_domain_records(
    ctx: &Ctx,
    principal: &Principal,
    client: &str,
    domain: &str,
    records: Option<Vec<RecordInput>>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ZoneDetail> {
    let (p, c, d) = (principal.clone(), client.to_string(), domain.to_string());
    let (config, keys) = (ctx.config.clone(), ctx.keys.clone());
    let zone = ctx
        .db
        .run(move |db| {
            db.write(|tx| {
                let (domain, zone) = domain_and_zone(tx, &p, &c, &d, true)?;
                let inputs = records.ok_or_else(|| AppError::invalid("records", "is required"))?;
                // The registrar's DNS when it hosts the domain's zone, else
                // till's DNS hosting (a 503 when that is off).
                let at_registrar = registrar_of(tx, &keys, Some(domain.id))?.is_some();
                let backend_name = if at_registrar {
                    "registrar"
                } else {
                    configured_name(&config.dns)?
                };
                let name = zone_name(&domain.name).map_err(|m| AppError::invalid("domain", m))?;
                // Every record is checked before a zone is made for them.
                if let Err(errors) = validate_zone(&inputs, &name, config.dns.default_ttl) {
                    let mut out = FieldErrors::new();
                    for (i, field, message) in errors {
                        let key = i.map_or(field.to_string(), |i| format!("records.{i}.{field}"));
                        out.entry(key).or_default().push(message);
                    }
                    return Err(AppError::Validation(out));
                }
                match zone {
                    Some(z) => Ok((z, None, inputs)),
                    None => {
                        let new = NewZone {
                            client_id: domain.client_id,
                            domain_id: Some(domain.id),
                            service_id: None,
                            name: &name,
                            backend: backend_name,
                            now: &stamp(now),
                        };
                        // A registrar's zone starts empty (the registrar
                        // serves it on its own nameservers); till's gets
                        // its NS.
                        let start = if at_registrar {
                            Vec::new()
                        } else {
                            validate_zone(
                                &default_records(&config.dns.nameservers, None),
                                &name,
                                config.dns.default_ttl,
                            )
                            .map_err(|e| AppError::internal(format!("{e:?}")))?
                        };
                        Ok((reserve(tx, &new)?, Some(start), inputs))
                    }
                }
            })
        })
        .await?;
    let (zone, records) = match zone {
        (z, None, inputs) => (z, inputs),
        (z, Some(start), inputs) => {
            let by = (Actor::from(principal), meta.ip.clone());
            let made = make(ctx, z, start, by, OnFailure::Drop, now).await?;
            (made.zone, inputs)
        }
    };
    let edit = Edit::ReplaceAll(records);
    let done = change(
        ctx,
        principal,
        client,
        &zone.id.to_string(),
        edit,
        meta,
        now,
    )
    .await?;
    Ok(done.detail)
}
