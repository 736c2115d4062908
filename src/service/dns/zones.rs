//! A client's zones: list and read them, create one for a hosting
//! service, delete one; and the staff views of every zone.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{dns::zone_name, privileges::Privilege, scopes::Scope, time::stamp},
    error::{AppError, Result},
    integrations::dns::DnsError,
    service::{
        Ctx,
        access::client_access,
        audit::{self, Actor, Event},
    },
    store::{
        dns_records::{self, StoredRecord},
        dns_zones::{self, NewZone, Zone},
        orders,
    },
};

use super::{
    access::{owned_zone, privilege_for},
    backend::{backend_of, configured_name, dns_error},
    making::{OnFailure, make, reserve},
    template,
};

/// A zone with till's copy of its records.
#[derive(Debug, Clone)]
pub struct ZoneDetail {
    pub zone: Zone,
    pub records: Vec<StoredRecord>,
}

pub(super) fn detail(conn: &Connection, zone_id: i64) -> Result<ZoneDetail> {
    let zone = dns_zones::find(conn, zone_id)?.ok_or(AppError::NotFound)?;
    Ok(ZoneDetail {
        records: dns_records::of_zone(conn, zone.id)?,
        zone,
    })
}

/// The client's zones the caller may see.
pub fn list(db: &Db, principal: &Principal, client: &str) -> Result<Vec<Zone>> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::ServicesFull)?;
        Ok(dns_zones::of_client(c, access.client.id)?
            .into_iter()
            .filter(|z| access.can(privilege_for(z)))
            .collect())
    })
}

pub fn get(db: &Db, principal: &Principal, client: &str, zone: &str) -> Result<ZoneDetail> {
    db.read(|c| {
        let (_, z) = owned_zone(c, principal, client, zone, false)?;
        detail(c, z.id)
    })
}

/// The zone of the client's service `service`, if it has one.
pub fn of_service(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
) -> Result<Option<Zone>> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::ServicesFull)?;
        let s = orders::find_service(c, service.trim())?
            .filter(|s| s.client_id == access.client.id)
            .ok_or(AppError::NotFound)?;
        Ok(dns_zones::of_service(c, s.id)?)
    })
}

/// A zone for the client's hosting service, named `name` or else after
/// the service's domain, made with the default records.
pub async fn create_for_service(
    ctx: &Ctx,
    principal: &Principal,
    client: &str,
    service: &str,
    name: Option<String>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ZoneDetail> {
    let (p, client, service) = (principal.clone(), client.to_string(), service.to_string());
    let config = ctx.config.clone();
    let (zone, records) = ctx
        .db
        .run(move |db| {
            db.write(|tx| {
                let access = client_access(tx, &p, &client)?;
                access.require_change(Privilege::ServicesFull)?;
                let s = orders::find_service(tx, service.trim())?
                    .filter(|s| s.client_id == access.client.id)
                    .ok_or(AppError::NotFound)?;
                if !matches!(s.status.as_str(), "pending" | "active" | "suspended") {
                    return Err(AppError::Conflict(format!("the service is {}", s.status)));
                }
                if dns_zones::of_service(tx, s.id)?.is_some() {
                    return Err(AppError::Conflict("the service has a zone already".into()));
                }
                let backend_name = configured_name(&config.dns)?;
                let raw = name.or(s.domain.clone()).unwrap_or_default();
                let name = zone_name(&raw).map_err(|m| AppError::invalid("name", m))?;
                let records = template::for_service(tx, &config.dns, &name, s.id)?;
                let zone = reserve(
                    tx,
                    &NewZone {
                        client_id: access.client.id,
                        domain_id: None,
                        service_id: Some(s.id),
                        name: &name,
                        backend: backend_name,
                        now: &stamp(now),
                    },
                )?;
                Ok((zone, records))
            })
        })
        .await?;
    let by = (Actor::from(principal), meta.ip.clone());
    make(ctx, zone, records, by, OnFailure::Drop, now).await
}

/// Delete the zone from the backend, then from till.
pub async fn delete(
    ctx: &Ctx,
    principal: &Principal,
    client: &str,
    zone: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let held = super::records::hold(&ctx.db, principal, client, zone, now).await?;
    let (id, client_id, name) = (held.zone.id, held.zone.client_id, held.zone.name.clone());
    let gone = match backend_of(ctx, &held.zone).await {
        Ok(dns) => match dns.delete_zone(&format!("{name}.")).await {
            Ok(()) | Err(DnsError::NotFound) => Ok(()),
            Err(e) => Err(dns_error(e)),
        },
        Err(e) => Err(e),
    };
    if let Err(e) = gone {
        ctx.db
            .run(move |db| db.write(|tx| Ok(dns_zones::release(tx, id)?)))
            .await?;
        return Err(e);
    }
    let (actor, ip) = (Actor::from(principal), meta.ip.clone());
    ctx.db
        .run(move |db| {
            db.write(|tx| {
                dns_zones::mark_deleted(tx, id, &stamp(now))?;
                audit::record(
                    tx,
                    now,
                    Event {
                        actor,
                        action: "dns.zone_deleted",
                        subject: Some(("dns_zone", id)),
                        client_id: Some(client_id),
                        ip: ip.as_deref(),
                        details: serde_json::json!({ "zone": name }),
                    },
                )?;
                Ok(())
            })
        })
        .await
}

/// Every live zone, newest first, for staff with `services:read`.
pub fn staff_list(
    db: &Db,
    staff: &StaffPrincipal,
    client_id: Option<i64>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Zone>, i64)> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| Ok(dns_zones::page(c, client_id, status, limit, offset)?))
}

/// Any live zone with its records, for staff with `services:read`.
pub fn staff_get(db: &Db, staff: &StaffPrincipal, zone: i64) -> Result<ZoneDetail> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| detail(c, zone))
}
