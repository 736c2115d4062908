//! Changing a zone's records: add, edit or delete one, or replace them
//! all. The zone is held while a change is in flight (a second change
//! meanwhile is a 409), the whole new zone is validated, the backend gets
//! the record sets that differ in one change set, and only once it took
//! them is till's copy rewritten, with the audit row.

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        dns::{Record, RecordInput, RecordType, ZoneErrors, validate_zone},
        scopes::Scope,
        time::stamp,
    },
    error::{AppError, FieldErrors, Result},
    integrations::dns::changes,
    service::{
        Ctx,
        audit::{self, Actor, Event},
    },
    store::{dns_records::StoredRecord, dns_zones},
};

use super::{
    access::owned_zone,
    backend::{backend_of, dns_error},
    making::write_copy,
    zones::{ZoneDetail, detail},
};

/// How long a change may hold its zone (longer than a backend call).
const HOLD: SignedDuration = SignedDuration::from_secs(60);

/// What to do to a zone's records.
#[derive(Debug, Clone)]
pub enum Edit {
    Add(RecordInput),
    Update(i64, RecordInput),
    Remove(i64),
    /// The zone's records become exactly these (errors name `records.N.field`).
    ReplaceAll(Vec<RecordInput>),
}

/// The zone after the change, and the record added or edited.
#[derive(Debug, Clone)]
pub struct Edited {
    pub detail: ZoneDetail,
    pub record_id: Option<i64>,
}

/// Check the caller may change the zone and hold it for the change.
pub(super) async fn hold(
    db: &Db,
    principal: &Principal,
    client: &str,
    zone: &str,
    now: Timestamp,
) -> Result<ZoneDetail> {
    let (p, client, zone) = (principal.clone(), client.to_string(), zone.to_string());
    db.run(move |db| {
        db.write(|tx| {
            let (_, z) = owned_zone(tx, &p, &client, &zone, true)?;
            if !dns_zones::hold(tx, z.id, &stamp(now), &stamp(now + HOLD))? {
                return Err(AppError::Conflict(
                    "the zone is being changed; try again in a moment".into(),
                ));
            }
            detail(tx, z.id)
        })
    })
    .await
}

/// A stored record as the domain type (stored records are canonical).
fn record_of(s: &StoredRecord) -> Option<Record> {
    Some(Record {
        kind: RecordType::parse(&s.kind)?,
        name: s.name.clone(),
        data: s.data.clone(),
        priority: s.priority.and_then(|p| u16::try_from(p).ok()),
        ttl: u32::try_from(s.ttl).ok()?,
    })
}

fn input_of(s: &StoredRecord) -> RecordInput {
    RecordInput {
        kind: s.kind.clone(),
        name: s.name.clone(),
        content: s.data.clone(),
        ttl: Some(s.ttl),
        priority: s.priority,
    }
}

/// The new zone as (kept id, input), the edited record last, so a problem
/// the set has lands on it.
fn plan(stored: &[StoredRecord], edit: Edit) -> Result<Vec<(Option<i64>, RecordInput)>> {
    let others = |skip: Option<i64>| -> Vec<(Option<i64>, RecordInput)> {
        stored
            .iter()
            .filter(|s| Some(s.id) != skip)
            .map(|s| (Some(s.id), input_of(s)))
            .collect()
    };
    let known = |id: i64| stored.iter().any(|s| s.id == id);
    Ok(match edit {
        Edit::ReplaceAll(inputs) => inputs.into_iter().map(|i| (None, i)).collect(),
        Edit::Add(input) => {
            let mut all = others(None);
            all.push((None, input));
            all
        }
        Edit::Update(id, input) if known(id) => {
            let mut all = others(Some(id));
            all.push((Some(id), input));
            all
        }
        Edit::Remove(id) if known(id) => others(Some(id)),
        Edit::Update(..) | Edit::Remove(_) => return Err(AppError::NotFound),
    })
}

/// The problems as field errors: `records.N.field` for a replace, the
/// bare field for a single record (the last one planned).
/// A registrar's DNS keeps A, AAAA, CNAME, MX, TXT and NS records only:
/// anything else is a 422 before the registrar is asked.
fn registrar_kinds(records: &[Record], whole: bool) -> Result<()> {
    let mut out = FieldErrors::new();
    for (i, r) in records.iter().enumerate() {
        if matches!(r.kind, RecordType::Srv | RecordType::Caa) {
            let key = if whole {
                format!("records.{i}.type")
            } else {
                "type".to_string()
            };
            out.entry(key).or_default().push(format!(
                "the registrar's DNS does not take {} records",
                r.kind.as_str()
            ));
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(out))
    }
}

fn field_errors(errors: ZoneErrors, whole: bool) -> AppError {
    let mut out = FieldErrors::new();
    for (index, field, message) in errors {
        let key = match index {
            Some(i) if whole => format!("records.{i}.{field}"),
            Some(_) => field.to_string(),
            None => field.to_string(),
        };
        out.entry(key).or_default().push(message);
    }
    AppError::Validation(out)
}

/// Change the client's zone `zone`.
pub async fn change(
    ctx: &Ctx,
    principal: &Principal,
    client: &str,
    zone: &str,
    edit: Edit,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Edited> {
    let held = hold(&ctx.db, principal, client, zone, now).await?;
    let zone_id = held.zone.id;
    let done = apply(ctx, principal, held, edit, meta, now).await;
    if done.is_err() {
        ctx.db
            .run(move |db| db.write(|tx| Ok(dns_zones::release(tx, zone_id)?)))
            .await?;
    }
    done
}

async fn apply(
    ctx: &Ctx,
    principal: &Principal,
    held: ZoneDetail,
    edit: Edit,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Edited> {
    let (action, whole) = match &edit {
        Edit::Add(_) => ("dns.record_added", false),
        Edit::Update(..) => ("dns.record_updated", false),
        Edit::Remove(_) => ("dns.record_deleted", false),
        Edit::ReplaceAll(_) => ("dns.records_replaced", true),
    };
    let dns = backend_of(ctx, &held.zone).await?;
    if held.zone.status != "active" {
        return Err(AppError::Conflict(format!(
            "the zone is {}",
            held.zone.status
        )));
    }
    let removed = matches!(edit, Edit::Remove(_));
    let planned = plan(&held.records, edit)?;
    let inputs: Vec<RecordInput> = planned.iter().map(|(_, i)| i.clone()).collect();
    let records = validate_zone(&inputs, &held.zone.name, ctx.config.dns.default_ttl)
        .map_err(|e| field_errors(e, whole))?;
    if held.zone.backend == "registrar" {
        registrar_kinds(&records, whole)?;
    }
    let old: Vec<Record> = held.records.iter().filter_map(record_of).collect();
    dns.apply(&format!("{}.", held.zone.name), &changes(&old, &records))
        .await
        .map_err(dns_error)?;
    let kept: Vec<(Option<i64>, Record)> =
        planned.into_iter().map(|(id, _)| id).zip(records).collect();
    let (zone, actor, ip) = (held.zone, Actor::from(principal), meta.ip.clone());
    ctx.db
        .run(move |db| {
            db.write(|tx| {
                let ids = write_copy(tx, zone.id, &kept)?;
                dns_zones::release(tx, zone.id)?;
                let record_id = if removed || whole {
                    None
                } else {
                    ids.last().copied()
                };
                audit::record(
                    tx,
                    now,
                    Event {
                        actor,
                        action,
                        subject: Some(("dns_zone", zone.id)),
                        client_id: Some(zone.client_id),
                        ip: ip.as_deref(),
                        details: serde_json::json!({
                            "zone": zone.name, "record": record_id, "records": ids.len()
                        }),
                    },
                )?;
                Ok(Edited {
                    detail: detail(tx, zone.id)?,
                    record_id,
                })
            })
        })
        .await
}

/// Staff changing any client's zone: `services:write`, and `clients:read`
/// to reach the client (`access::client_access`).
pub async fn staff_change(
    ctx: &Ctx,
    staff: &StaffPrincipal,
    zone: i64,
    edit: Edit,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Edited> {
    staff.require(Scope::ServicesWrite)?;
    let z = ctx
        .db
        .run(move |db| db.read(|c| dns_zones::find(c, zone)?.ok_or(AppError::NotFound)))
        .await?;
    let principal = Principal::Staff(staff.clone());
    let (client, zone) = (z.client_id.to_string(), z.id.to_string());
    change(ctx, &principal, &client, &zone, edit, meta, now).await
}
