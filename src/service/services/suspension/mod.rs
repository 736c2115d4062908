//! A service's status steps for non-payment and cancellation: suspend,
//! terminate, end a cancelled one, and resume one whose overdue invoice is
//! paid (the dunning run decides when; a paid renewal resumes).

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::module_action::ModuleAction,
    error::Result,
    service::email::Branding,
    store::automation::{self as store, Overdue},
};

mod change;

use change::{change, notify};

pub(crate) fn suspend(
    tx: &Connection,
    brand: &Branding,
    o: &Overdue,
    now: Timestamp,
) -> Result<bool> {
    let key = format!("suspend:{}:{}", o.service_id, o.invoice_id);
    if !change(
        tx,
        o.service_id,
        o.client_id,
        &["active", "active"],
        "suspended",
        Some("overdue"),
        ModuleAction::Suspend,
        &key,
        now,
    )? {
        return Ok(false);
    }
    notify(
        tx,
        brand,
        o.client_id,
        o.product.clone(),
        o.domain.clone(),
        "suspended",
        now,
    )?;
    Ok(true)
}

pub(crate) fn terminate(
    tx: &Connection,
    brand: &Branding,
    o: &Overdue,
    now: Timestamp,
) -> Result<bool> {
    let key = format!("terminate:{}:{}", o.service_id, o.invoice_id);
    if !change(
        tx,
        o.service_id,
        o.client_id,
        &["active", "suspended"],
        "terminated",
        None,
        ModuleAction::Terminate,
        &key,
        now,
    )? {
        return Ok(false);
    }
    notify(
        tx,
        brand,
        o.client_id,
        o.product.clone(),
        o.domain.clone(),
        "terminated",
        now,
    )?;
    Ok(true)
}

pub(crate) fn end_cancelled(
    tx: &Connection,
    service_id: i64,
    client_id: i64,
    now: Timestamp,
) -> Result<bool> {
    let key = format!("terminate:{service_id}:cancelled");
    change(
        tx,
        service_id,
        client_id,
        &["active", "suspended"],
        "cancelled",
        None,
        ModuleAction::Terminate,
        &key,
        now,
    )
}

/// Resume a service suspended for non-payment, now that `invoice_id` paid
/// what was overdue (called from `renewals::advance_paid`).
pub(crate) fn unsuspend(
    tx: &Connection,
    brand: &Branding,
    service_id: i64,
    invoice_id: i64,
    now: Timestamp,
) -> Result<bool> {
    let Some((client_id, product, domain)) = store::service_summary(tx, service_id)? else {
        return Ok(false);
    };
    let key = format!("unsuspend:{service_id}:{invoice_id}");
    if !change(
        tx,
        service_id,
        client_id,
        &["suspended", "suspended"],
        "active",
        None,
        ModuleAction::Unsuspend,
        &key,
        now,
    )? {
        return Ok(false);
    }
    notify(tx, brand, client_id, product, domain, "active", now)?;
    Ok(true)
}
