//! The steps that touch an invoice: the payment reminder and the late fee.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        automation::AutomationSettings,
        billing,
        billing::invoice_notices,
        email::Branding,
    },
    store::{
        automation::{self as store, Unpaid},
        clients, invoices,
    },
};

pub(super) fn remind(
    tx: &Connection,
    brand: &Branding,
    u: &Unpaid,
    late: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let invoice = invoices::find(tx, &u.id.to_string())?.ok_or(AppError::NotFound)?;
    let client = clients::find(tx, u.client_id)?.ok_or(AppError::NotFound)?;
    invoice_notices::reminder(tx, brand, &client, &invoice, late, now)
}

pub(super) fn charge_late_fee(
    tx: &Connection,
    s: &AutomationSettings,
    u: &Unpaid,
    now: Timestamp,
) -> Result<bool> {
    let currency = billing::currency(tx, &u.currency)?;
    let Some(fee) = s.late_fee_on(u.total, currency.decimals) else {
        return Ok(false);
    };
    let description = format!("Late fee (invoice due {})", u.due_date);
    if !store::add_late_fee(tx, u.id, fee, &description, &stamp(now))? {
        return Ok(false);
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: "invoice.late_fee",
            subject: Some(("invoice", u.id)),
            client_id: Some(u.client_id),
            ip: None,
            details: serde_json::json!({ "amount": fee }),
        },
    )?;
    Ok(true)
}
