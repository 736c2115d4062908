//! Stopping a domain's renewal: its open renewal invoices are cancelled.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::RequestMeta,
    error::{AppError, Result},
    service::{audit::Actor, billing::cancel_core},
    store::{domain_renewals as store, invoices},
};

/// The customer stopped renewing `domain_id`: its unpaid renewal invoices
/// that bill nothing else are cancelled (their terms released), so nobody
/// is chased for a term they will not have. Answers how many.
pub(crate) fn cancel_open_renewals(
    tx: &Connection,
    domain_id: i64,
    actor: Actor,
    now: Timestamp,
) -> Result<usize> {
    let ids = store::unpaid_renewals_only_of(tx, domain_id)?;
    for id in &ids {
        let invoice = invoices::find(tx, &id.to_string())?.ok_or(AppError::NotFound)?;
        cancel_core(
            tx,
            &invoice,
            actor,
            &RequestMeta::default(),
            now,
            "the domain's renewal was stopped",
        )?;
    }
    Ok(ids.len())
}
