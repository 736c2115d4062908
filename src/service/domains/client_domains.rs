//! A client's domains (reference 000's Domains tag): list, one domain,
//! and new nameservers, which reach the registrar through a task. A
//! contact needs the domains privilege; another client's domain is a 404.

use jiff::Timestamp;

use super::renewals;
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{privileges::Privilege, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::{
        access::client_access,
        audit::{self, Event},
    },
    store::{
        domains::{self, Domain},
        registrars::tasks,
    },
};

pub fn list(db: &Db, principal: &Principal, client: &str) -> Result<Vec<Domain>> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::DomainsFull)?;
        Ok(domains::list_of_client(c, access.client.id)?)
    })
}

pub fn get(db: &Db, principal: &Principal, client: &str, id: i64) -> Result<Domain> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::DomainsFull)?;
        domains::of_client(c, access.client.id, id)?.ok_or(AppError::NotFound)
    })
}

/// 2 to 13 host names (RFC 5731 allows 13), each a valid name.
pub fn check_nameservers(given: &[String]) -> Result<Vec<String>> {
    let mut errors = FieldErrors::new();
    let hosts: Vec<String> = given
        .iter()
        .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
        .collect();
    if !(2..=13).contains(&hosts.len()) {
        errors
            .entry("nameservers".into())
            .or_default()
            .push("give 2 to 13 nameservers".into());
    }
    for (i, h) in hosts.iter().enumerate() {
        // A host name as registries take it: already ASCII (LDH) labels.
        if !crate::domain::domain_name::DomainName::parse(h).is_ok_and(|n| n.ascii() == h) {
            errors
                .entry(format!("nameservers.{i}"))
                .or_default()
                .push("is not a host name".into());
        }
        if hosts[..i].contains(h) {
            errors
                .entry(format!("nameservers.{i}"))
                .or_default()
                .push("is listed twice".into());
        }
    }
    if errors.is_empty() {
        Ok(hosts)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Point an active domain at new nameservers: kept at once, sent to the
/// registrar by a task.
pub fn set_nameservers(
    db: &Db,
    principal: &Principal,
    client: &str,
    id: i64,
    nameservers: &[String],
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Domain> {
    let hosts = check_nameservers(nameservers)?;
    db.write(|tx| {
        let access = client_access(tx, principal, client)?;
        access.require_change(Privilege::DomainsFull)?;
        let domain = domains::of_client(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        if domain.status != "active" {
            return Err(AppError::Conflict(format!(
                "a {} domain's nameservers cannot be changed",
                domain.status
            )));
        }
        let now_s = stamp(now);
        domains::set_nameservers(tx, domain.id, &hosts, &now_s)?;
        tasks::insert(
            tx,
            domain.id,
            "nameservers",
            &format!("nameservers:{}:{now_s}", domain.id),
            "{}",
            &now_s,
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "domain.nameservers_changed",
                subject: Some(("domain", domain.id)),
                client_id: Some(domain.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "nameservers": hosts }),
            },
        )?;
        domains::find_by_id(tx, domain.id)?.ok_or(AppError::NotFound)
    })
}

/// Stop a domain at its expiry (reference 000 `POST .../cancel`): it is
/// not renewed again and lapses at the registry when its term ends. The
/// term already paid for is kept, so nothing is refunded. `reason` (the
/// customer's words) is kept in the audit row.
#[allow(clippy::too_many_arguments)]
pub fn cancel(
    db: &Db,
    principal: &Principal,
    client: &str,
    id: i64,
    reason: Option<&str>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Domain> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::invalid("reason", "is at most 1000 characters"));
    }
    let change = Switch {
        on: false,
        action: "domain.cancelled_at_expiry",
        reason,
    };
    switch_renewal(db, principal, (client, id), change, meta, now)
}

/// Turn auto-renew on or off for an active domain. Off: the domain is not
/// invoiced again and lapses at its expiry; on again: it renews as usual.
pub fn set_auto_renew(
    db: &Db,
    principal: &Principal,
    client: &str,
    id: i64,
    on: bool,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Domain> {
    let action = if on {
        "domain.auto_renew_on"
    } else {
        "domain.auto_renew_off"
    };
    let change = Switch {
        on,
        action,
        reason: None,
    };
    switch_renewal(db, principal, (client, id), change, meta, now)
}

/// Auto-renew on or off, audited as `action` with the customer's reason.
struct Switch<'a> {
    on: bool,
    action: &'a str,
    reason: Option<&'a str>,
}

/// Switch auto-renew for one of the client's active domains. Only an
/// active domain has a renewal to switch; an unpaid order is cancelled
/// with its invoice.
fn switch_renewal(
    db: &Db,
    principal: &Principal,
    (client, id): (&str, i64),
    change: Switch<'_>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Domain> {
    db.write(|tx| {
        let access = client_access(tx, principal, client)?;
        access.require_change(Privilege::DomainsFull)?;
        let domain = domains::of_client(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        if domain.status != "active" {
            return Err(AppError::Conflict(format!(
                "a {} domain has no renewal to switch; an unpaid order is cancelled with its invoice",
                domain.status
            )));
        }
        domains::set_auto_renew(tx, domain.id, change.on, &stamp(now))?;
        let cancelled = if change.on {
            0
        } else {
            renewals::cancel_open_renewals(tx, domain.id, principal.into(), now)?
        };
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: change.action,
                subject: Some(("domain", domain.id)),
                client_id: Some(domain.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({
                    "expiry_date": domain.expiry_date, "reason": change.reason,
                    "renewal_invoices_cancelled": cancelled,
                }),
            },
        )?;
        domains::find_by_id(tx, domain.id)?.ok_or(AppError::NotFound)
    })
}
