//! What a registrar task's answer does to its domain, in one transaction
//! with the task's own state: registered (active, expiry and due date from
//! the registry), waiting (a staff to-do, or a registry or transfer that
//! answers later: a sync is queued), renewed (the new expiry), or failed
//! (retried, then left for staff, who are told; a customer whose transfer
//! failed is told too).

use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use crate::{
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    integrations::registrars::{DomainInfo, Pending},
    service::{
        audit::{self, Actor, Event},
        domains::{
            notices,
            renewals::{Term, renewed},
        },
        email::Branding,
    },
    store::{
        domains::{self, Domain, RegistryState},
        registrars::tasks::{self, RegistrarTask},
        servers, services,
    },
};

use super::{
    registrar_settings,
    registrar_tasks::{Answer, Failure, expiry_after, retry_at},
};

/// How long a registry or a transfer is given before it is asked again.
const AWAIT: SignedDuration = SignedDuration::from_hours(1);

/// The nameservers a new registration gets: the domain's own, else those
/// of the server its hosting service is on, else `defaults` (the
/// configured ones: a domain ordered alone still needs nameservers).
pub fn nameservers_for(
    conn: &Connection,
    domain: &Domain,
    defaults: &[String],
) -> Result<Vec<String>> {
    if !domain.nameservers.is_empty() {
        return Ok(domain.nameservers.clone());
    }
    let hosting = hosting_nameservers(conn, domain)?;
    if !hosting.is_empty() {
        return Ok(hosting);
    }
    Ok(defaults.iter().map(|h| h.to_ascii_lowercase()).collect())
}

/// The nameservers of the server the domain's hosting service is on.
fn hosting_nameservers(conn: &Connection, domain: &Domain) -> Result<Vec<String>> {
    let Some(service) = domain
        .service_id
        .map(|id| services::find_by_id(conn, id))
        .transpose()?
        .flatten()
    else {
        return Ok(Vec::new());
    };
    let Some(server) = service
        .server_id
        .map(|id| servers::find(conn, &id.to_string()))
        .transpose()?
        .flatten()
    else {
        return Ok(Vec::new());
    };
    // Servers keep theirs as a JSON array.
    let hosts: Vec<String> = serde_json::from_str(&server.nameservers).unwrap_or_default();
    Ok(hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect())
}

fn event<'a>(domain: &Domain, action: &'a str, details: serde_json::Value) -> Event<'a> {
    Event {
        actor: Actor::System,
        action,
        subject: Some(("domain", domain.id)),
        client_id: Some(domain.client_id),
        ip: None,
        details,
    }
}

/// A pending domain became registered: active, expiring when the registry
/// says (or `years` from now), due for renewal then; the client is told.
pub(crate) fn registered(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    expiry: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool> {
    let expiry = match expiry {
        Some(t) => crate::domain::time::today(t).to_string(),
        None => expiry_after(now, domain.years),
    };
    if !domains::set_registered(tx, domain.id, &expiry, &expiry, &stamp(now))? {
        return Ok(false);
    }
    audit::record(
        tx,
        now,
        event(
            domain,
            "domain.registered",
            serde_json::json!({ "expiry_date": expiry }),
        ),
    )?;
    notices::registered(tx, brand, domain, &expiry, now)?;
    Ok(true)
}

/// The term a `renew` task carries.
fn term(task: &RegistrarTask) -> Result<Term> {
    serde_json::from_str(&task.payload)
        .map_err(|_| AppError::internal(format!("renew task {} has no term", task.id)))
}

fn waiting(
    tx: &Connection,
    brand: &Branding,
    task: &RegistrarTask,
    domain: &Domain,
    why: &Pending,
    now: Timestamp,
) -> Result<()> {
    let note = match why {
        Pending::Manual(todo) => format!("staff to-do: {todo}"),
        Pending::TransferApproval => "the transfer waits for approval".into(),
        Pending::Registry(r) => format!("the registry is working on it: {r}"),
    };
    tasks::mark_done(tx, task.id, Some(&note), &stamp(now))?;
    match why {
        Pending::Manual(todo) => {
            audit::record(
                tx,
                now,
                event(
                    domain,
                    "domain.manual_task",
                    serde_json::json!({ "action": task.action, "todo": todo }),
                ),
            )?;
            // A paid term is the customer's whatever staff still have to
            // do at the registry (as WHMCS advances a manual renewal).
            if task.action == "renew" {
                renewed(tx, brand, domain, None, &term(task)?, now)?;
            }
        }
        _ => {
            let at = now.checked_add(AWAIT).unwrap_or(now);
            tasks::insert(
                tx,
                domain.id,
                "sync",
                &format!("await:{}:{}", domain.id, task.id),
                "{}",
                &stamp(at),
            )?;
        }
    }
    Ok(())
}

pub(crate) fn synced(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    info: &DomainInfo,
    now: Timestamp,
) -> Result<()> {
    let expiry = info
        .expiry
        .map(|t| crate::domain::time::today(t).to_string());
    domains::set_registry_state(
        tx,
        domain.id,
        &RegistryState {
            expiry_date: expiry.as_deref(),
            nameservers: &info.nameservers,
            locked: info.locked,
            statuses: &info.statuses,
        },
        &stamp(now),
    )?;
    let still_moving = info
        .statuses
        .iter()
        .any(|s| s.to_ascii_lowercase().contains("pending"));
    if domain.status == "pending" && info.expiry.is_some() && !still_moving {
        registered(tx, brand, domain, info.expiry, now)?;
    }
    Ok(())
}

/// Record what the call came to.
pub fn record(
    db: &Db,
    brand: &Branding,
    task: &RegistrarTask,
    answer: std::result::Result<Answer, Failure>,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        let domain = domains::find_by_id(tx, task.domain_id)?.ok_or(AppError::NotFound)?;
        let now_s = stamp(now);
        match answer {
            Ok(Answer::Done { .. }) if registrar_settings::is_setting(&task.action) => {
                registrar_settings::applied(tx, task, &domain, now)?;
            }
            Ok(Answer::Done { expiry }) => {
                tasks::mark_done(tx, task.id, None, &now_s)?;
                match task.action.as_str() {
                    "renew" => {
                        renewed(tx, brand, &domain, expiry, &term(task)?, now)?;
                    }
                    "delete" => super::deletion::deleted(tx, &domain, now)?,
                    "register" | "transfer" => {
                        registered(tx, brand, &domain, expiry, now)?;
                    }
                    // Nameservers were kept when they were asked for; the
                    // registry taking them changes nothing more here.
                    _ => {}
                }
            }
            Ok(Answer::Waiting(why)) => waiting(tx, brand, task, &domain, &why, now)?,
            Ok(Answer::Info(info)) => {
                tasks::mark_done(tx, task.id, None, &now_s)?;
                synced(tx, brand, &domain, &info, now)?;
            }
            Err(failure) => {
                let again = retry_at(task, &failure, now);
                tasks::mark_failed_attempt(
                    tx,
                    task.id,
                    &failure.message,
                    again.as_deref(),
                    &now_s,
                )?;
                if again.is_none() && task.action == "transfer" {
                    notices::transfer_failed(tx, brand, &domain, now)?;
                }
                if again.is_none() {
                    audit::record(
                        tx,
                        now,
                        event(
                            &domain,
                            "domain.task_failed",
                            serde_json::json!({
                                "task": task.id, "action": task.action, "error": failure.message,
                            }),
                        ),
                    )?;
                }
            }
        }
        Ok(())
    })
}
