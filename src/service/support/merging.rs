//! Merging two tickets of one client: every message and watcher of one
//! moves to the other, which the first then points at. Staff name the
//! target by its number or id.

use jiff::Timestamp;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, Result},
    service::audit::{self, Event},
    store::support::{messages, tickets},
};

use super::thread::{self, Thread};

/// Merge `id` into `into` (both of the same client): every message and
/// watcher moves; `id` closes and points at `into`.
pub fn merge(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    into: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Thread> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        let from = tickets::find(tx, id)?.ok_or(AppError::NotFound)?;
        let target = tickets::find(tx, into)?
            .ok_or_else(|| AppError::invalid("into_ticket_id", "no such ticket"))?;
        if from.id == target.id || from.merged_into_id.is_some() || target.merged_into_id.is_some()
        {
            return Err(AppError::invalid(
                "into_ticket_id",
                "choose another open ticket",
            ));
        }
        if from.client_id.is_none() || from.client_id != target.client_id {
            return Err(AppError::invalid(
                "into_ticket_id",
                "both tickets must belong to the same client",
            ));
        }
        messages::move_all(tx, from.id, target.id)?;
        tickets::merged(tx, from.id, target.id, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: staff.into(),
                action: "ticket.merged",
                subject: Some(("ticket", target.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "from": from.number }),
            },
        )?;
        thread::load(
            tx,
            tickets::find(tx, target.id)?.ok_or(AppError::NotFound)?,
            true,
        )
    })
}

/// A ticket by its number (`TKT-483920`) or id, as staff type it; one
/// that does not exist is a field error on `into_ticket_id`.
pub fn resolve(db: &Db, staff: &StaffPrincipal, typed: &str) -> Result<i64> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| {
        let found = match typed.trim().parse::<i64>() {
            Ok(id) => tickets::find(c, id)?,
            Err(_) => tickets::find_by_number(c, typed.trim())?,
        };
        found
            .map(|t| t.id)
            .ok_or_else(|| AppError::invalid("into_ticket_id", "no ticket has this number"))
    })
}
