//! Making a zone: reserve its name in till (`pending`), create it on the
//! backend outside any transaction, then record the outcome: `active`
//! with till's copy of its records, or (as the caller chose) the
//! reservation dropped or kept as `failed` with the reason for staff.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::{dns::Record, time::stamp},
    error::{AppError, Result},
    integrations::dns::sets_of,
    service::Ctx,
    service::audit::{self, Actor, Event},
    store::{
        dns_records::{self, KeptRecord},
        dns_zones::{self, NewZone, Zone},
    },
};

use super::{
    backend::{backend_of, dns_error},
    zones::ZoneDetail,
};

/// What a zone the backend would not make becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum OnFailure {
    /// Forgotten, and the caller told (a customer asked and can retry).
    Drop,
    /// Kept as `failed` for staff (nobody is waiting for it).
    Keep,
}

/// Reserve `name` for a new zone; a 409 when a live zone has it.
pub(super) fn reserve(conn: &Connection, zone: &NewZone<'_>) -> Result<Zone> {
    let id = dns_zones::insert(conn, zone)?
        .ok_or_else(|| AppError::Conflict(format!("a zone for {} exists already", zone.name)))?;
    dns_zones::find(conn, id)?.ok_or(AppError::NotFound)
}

/// Write till's copy of `records` (ids kept where given).
pub(super) fn write_copy(
    conn: &Connection,
    zone_id: i64,
    records: &[(Option<i64>, Record)],
) -> Result<Vec<i64>> {
    let kept: Vec<KeptRecord<'_>> = records
        .iter()
        .map(|(id, r)| KeptRecord {
            id: *id,
            name: &r.name,
            kind: r.kind.as_str(),
            data: &r.data,
            priority: r.priority.map(i64::from),
            ttl: i64::from(r.ttl),
        })
        .collect();
    Ok(dns_records::replace(conn, zone_id, &kept)?)
}

/// Create `zone` with `records` on the configured backend and record
/// what happened.
pub(super) async fn make(
    ctx: &Ctx,
    zone: Zone,
    records: Vec<Record>,
    (actor, ip): (Actor, Option<String>),
    on_failure: OnFailure,
    now: Timestamp,
) -> Result<ZoneDetail> {
    let db = &ctx.db;
    let made = match backend_of(ctx, &zone).await {
        Ok(dns) => {
            let sets = sets_of(&records);
            dns.create_zone(&format!("{}.", zone.name), &sets)
                .await
                .map_err(|e| (e.to_string(), dns_error(e)))
        }
        Err(e) => Err((e.to_string(), e)),
    };
    let failure = made.as_ref().err().map(|(text, _)| text.clone());
    let (zone_id, client_id, name) = (zone.id, zone.client_id, zone.name.clone());
    let written = db
        .run(move |db| {
            db.write(|tx| {
                let action = match (&failure, on_failure) {
                    (None, _) => {
                        dns_zones::set_status(tx, zone_id, "active", None, &stamp(now))?;
                        let kept: Vec<_> = records.into_iter().map(|r| (None, r)).collect();
                        write_copy(tx, zone_id, &kept)?;
                        "dns.zone_created"
                    }
                    (Some(_), OnFailure::Drop) => {
                        dns_zones::remove_unmade(tx, zone_id)?;
                        return Ok(None);
                    }
                    (Some(e), OnFailure::Keep) => {
                        dns_zones::set_status(tx, zone_id, "failed", Some(e), &stamp(now))?;
                        "dns.zone_failed"
                    }
                };
                audit::record(
                    tx,
                    now,
                    Event {
                        actor,
                        action,
                        subject: Some(("dns_zone", zone_id)),
                        client_id: Some(client_id),
                        ip: ip.as_deref(),
                        details: serde_json::json!({ "zone": name, "error": failure }),
                    },
                )?;
                super::zones::detail(tx, zone_id).map(Some)
            })
        })
        .await?;
    match (written, made) {
        (Some(detail), _) => Ok(detail),
        (None, Err((_, e))) => Err(e),
        (None, Ok(())) => Err(AppError::NotFound),
    }
}
