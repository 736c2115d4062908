//! Deleting a domain before its expiry: reference 000's `POST .../cancel`
//! with `cancel_type: immediate`, offered where the domain's registrar can
//! delete (EPP, LogicBoxes; the manual registrar's customers ask support).
//! The request turns auto-renew off, cancels open renewal invoices and
//! queues one `delete` task (its key per domain, so asking twice deletes
//! once); the domain turns `cancelled` when the registry took it. Nothing
//! is refunded: the term was sold and the registry keeps its fee.

use jiff::Timestamp;
use rusqlite::Connection;

use super::renewals;
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{privileges::Privilege, time::stamp},
    error::{AppError, Result},
    integrations::registrars::RegistrarConfig,
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        notifications,
    },
    store::{
        domains::{self, Domain},
        registrars::{self, tasks, tasks::RegistrarTask},
    },
};

/// Ask the registrar to delete one of the client's live domains now.
#[allow(clippy::too_many_arguments)]
pub fn request(
    db: &Db,
    principal: &Principal,
    client: &str,
    id: i64,
    reason: Option<&str>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(Domain, RegistrarTask)> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::invalid("reason", "is at most 1000 characters"));
    }
    db.write(|tx| {
        let access = client_access(tx, principal, client)?;
        access.require_change(Privilege::DomainsFull)?;
        let domain = domains::of_client(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        if !matches!(domain.status.as_str(), "active" | "expired") {
            return Err(AppError::Conflict(format!(
                "a {} domain is not held at a registry; an unpaid order is cancelled with its invoice",
                domain.status
            )));
        }
        if !deletable(tx, &domain)? {
            return Err(AppError::invalid(
                "cancel_type",
                "this domain's registrar cannot delete it at once: cancel it at end_of_term, or open a support ticket",
            ));
        }
        let now_s = stamp(now);
        domains::set_auto_renew(tx, domain.id, false, &now_s)?;
        let cancelled = renewals::cancel_open_renewals(tx, domain.id, principal.into(), now)?;
        let key = format!("delete:{}", domain.id);
        tasks::insert(tx, domain.id, "delete", &key, "{}", &now_s)?;
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "domain.deletion_requested",
                subject: Some(("domain", domain.id)),
                client_id: Some(domain.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({
                    "expiry_date": domain.expiry_date, "reason": reason,
                    "renewal_invoices_cancelled": cancelled,
                }),
            },
        )?;
        let task = tasks::of_domain(tx, domain.id)?
            .into_iter()
            .find(|t| t.dedupe_key == key)
            .ok_or(AppError::NotFound)?;
        let domain = domains::find_by_id(tx, domain.id)?.ok_or(AppError::NotFound)?;
        Ok((domain, task))
    })
}

/// Whether the domain's registrar is one that deletes (read from its
/// module, so no sealed settings are opened for the question).
fn deletable(conn: &Connection, domain: &Domain) -> Result<bool> {
    let Some(id) = domain.registrar_id else {
        return Ok(RegistrarConfig::Manual.deletes());
    };
    Ok(registrars::find(conn, id)?.is_some_and(|r| r.enabled && r.module != "manual"))
}

/// The registry took the deletion: the domain is `cancelled` and its owner
/// told.
pub(crate) fn deleted(tx: &Connection, domain: &Domain, now: Timestamp) -> Result<()> {
    if !domains::set_cancelled(tx, domain.id, &stamp(now))? {
        return Ok(());
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: "domain.deleted",
            subject: Some(("domain", domain.id)),
            client_id: Some(domain.client_id),
            ip: None,
            details: serde_json::json!({ "expiry_date": domain.expiry_date }),
        },
    )?;
    notifications::notify(
        tx,
        domain.client_id,
        "domain_deleted",
        &format!("{} was deleted", domain.name),
        "The registry deleted it at your request; it no longer resolves.",
        &format!("/account/domains/{}", domain.id),
        now,
    )?;
    Ok(())
}
