//! Domains as staff see them: every domain, its registrar tasks, a failed
//! task retried, and a domain the manual registrar left to them marked
//! registered.

use jiff::{Timestamp, civil::Date};

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, Result},
    service::audit::{self, Event},
    store::{
        domains::{self, Domain},
        registrars::tasks::{self, RegistrarTask},
    },
};

use super::registrar_outcomes::registered;
use crate::service::email::Branding;

/// The statuses a domain can be in.
pub const STATUSES: [&str; 5] = [
    "pending",
    "active",
    "expired",
    "transferred_away",
    "cancelled",
];

/// Every domain, or those of `status` and/or expiring by `expires_before`
/// (soonest first), at most 500.
pub fn list(
    db: &Db,
    staff: &StaffPrincipal,
    status: Option<&str>,
    expires_before: Option<&str>,
) -> Result<Vec<Domain>> {
    staff.require(Scope::ServicesRead)?;
    if let Some(s) = status.filter(|s| !STATUSES.contains(s)) {
        return Err(AppError::invalid(
            "status",
            format!("{s} is not one of {}", STATUSES.join(", ")),
        ));
    }
    let before = expires_before
        .map(|d| {
            d.parse::<Date>()
                .map_err(|_| AppError::invalid("expires_before", "must be a date (YYYY-MM-DD)"))
        })
        .transpose()?
        .map(|d| d.to_string());
    db.read(|c| Ok(domains::list(c, status, before.as_deref(), 500)?))
}

/// Ask the registrar about a domain now (`services:write`), rather than at
/// its turn in the daily sync: a `sync` task due at once. The manual
/// registrar has nothing to ask (422).
pub fn sync_now(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<RegistrarTask> {
    staff.require(Scope::ServicesWrite)?;
    db.write(|tx| {
        let domain = domains::find_by_id(tx, id)?.ok_or(AppError::NotFound)?;
        if domain.registrar_id.is_none() {
            return Err(AppError::invalid(
                "domain",
                "is with the manual registrar, which has nothing to ask",
            ));
        }
        if !matches!(domain.status.as_str(), "pending" | "active" | "expired") {
            return Err(AppError::Conflict(format!(
                "a {} domain is not synced",
                domain.status
            )));
        }
        let key = format!("sync:{}:staff:{}", domain.id, stamp(now));
        tasks::insert(tx, domain.id, "sync", &key, "{}", &stamp(now))?;
        audit_staff(
            tx,
            staff,
            "domain.sync_requested",
            &domain,
            meta,
            now,
            serde_json::json!({}),
        )?;
        tasks::of_domain(tx, domain.id)?
            .into_iter()
            .find(|t| t.dedupe_key == key)
            .ok_or(AppError::NotFound)
    })
}

pub fn get(db: &Db, staff: &StaffPrincipal, id: i64) -> Result<(Domain, Vec<RegistrarTask>)> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| {
        let d = domains::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        let t = tasks::of_domain(c, id)?;
        Ok((d, t))
    })
}

fn audit_staff(
    tx: &rusqlite::Connection,
    staff: &StaffPrincipal,
    action: &str,
    domain: &Domain,
    meta: &RequestMeta,
    now: Timestamp,
    details: serde_json::Value,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: staff.into(),
            action,
            subject: Some(("domain", domain.id)),
            client_id: Some(domain.client_id),
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}

/// Queue a failed task again (`services:write`); one that is not failed is
/// a 409.
pub fn retry_task(
    db: &Db,
    staff: &StaffPrincipal,
    task_id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<RegistrarTask> {
    staff.require(Scope::ServicesWrite)?;
    db.write(|tx| {
        let task = tasks::find(tx, task_id)?.ok_or(AppError::NotFound)?;
        if !tasks::retry(tx, task.id, &stamp(now))? {
            return Err(AppError::Conflict(format!(
                "the task is {}, not failed",
                task.status
            )));
        }
        let domain = domains::find_by_id(tx, task.domain_id)?.ok_or(AppError::NotFound)?;
        audit_staff(
            tx,
            staff,
            "domain.task_retried",
            &domain,
            meta,
            now,
            serde_json::json!({ "task": task.id }),
        )?;
        tasks::find(tx, task.id)?.ok_or(AppError::NotFound)
    })
}

/// Staff registered a pending domain by hand (the manual registrar's
/// to-do): it turns active, expiring on `expiry_date` (default: its term
/// from today).
pub fn mark_registered(
    db: &Db,
    brand: &Branding,
    staff: &StaffPrincipal,
    id: i64,
    expiry_date: Option<&str>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Domain> {
    staff.require(Scope::ServicesWrite)?;
    let expiry = expiry_date
        .map(|d| {
            d.parse::<Date>()
                .map_err(|_| AppError::invalid("expiry_date", "must be a date (YYYY-MM-DD)"))
        })
        .transpose()?;
    if let Some(d) = expiry
        && d <= crate::domain::time::today(now)
    {
        return Err(AppError::invalid("expiry_date", "must be in the future"));
    }
    db.write(|tx| {
        let domain = domains::find_by_id(tx, id)?.ok_or(AppError::NotFound)?;
        let at = expiry
            .map(|d| d.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp()))
            .transpose()
            .map_err(AppError::internal)?;
        if !registered(tx, brand, &domain, at, now)? {
            return Err(AppError::Conflict(format!(
                "the domain is {}, not pending",
                domain.status
            )));
        }
        audit_staff(
            tx,
            staff,
            "domain.marked_registered",
            &domain,
            meta,
            now,
            serde_json::json!({}),
        )?;
        domains::find_by_id(tx, id)?.ok_or(AppError::NotFound)
    })
}
