//! What a gateway says about a charge, recorded once and only when it
//! matches its attempt.

use super::fees::*;
use crate::domain::status::AttemptStatus;
use crate::domain::status::InvoiceStatus;
use crate::integrations::gateways::{Charge, ChargeStatus, Gateways};
use crate::{
    auth::principal::RequestMeta,
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing::{self, Incoming},
        email::Branding,
    },
    store::{
        invoices,
        payment_attempts::{self, Attempt},
        payment_methods, payments,
    },
};
use jiff::Timestamp;
use rusqlite::Connection;

/// What became of a charge report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A payment was recorded (or had been already).
    Paid { payment_id: i64 },
    /// The attempt failed; nothing was recorded.
    Failed,
    /// Not finished yet.
    Pending,
    /// Nothing of ours.
    Ignored(String),
    /// It did not match its attempt; staff must look.
    Rejected(String),
}

impl Outcome {
    pub(super) fn label(&self) -> (&'static str, String) {
        match self {
            Outcome::Paid { payment_id } => ("processed", format!("payment {payment_id}")),
            Outcome::Failed => ("processed", "payment failed".into()),
            Outcome::Pending => ("ignored", "pending".into()),
            Outcome::Ignored(n) => ("ignored", n.clone()),
            Outcome::Rejected(n) => ("rejected", n.clone()),
        }
    }
}

/// Record what a gateway says about a charge, inside the caller's write
/// transaction.
pub(crate) fn record_charge(
    tx: &Connection,
    brand: &Branding,
    gateway: &str,
    charge: &Charge,
    now: Timestamp,
) -> Result<Outcome> {
    let attempt = match (&charge.attempt, &charge.reference) {
        (Some(uuid), _) => payment_attempts::find_by_uuid(tx, uuid)?,
        (None, Some(reference)) => payment_attempts::find_by_reference(tx, gateway, reference)?,
        (None, None) => None,
    };
    let Some(attempt) = attempt.filter(|a| a.gateway == gateway) else {
        return Ok(Outcome::Ignored("no payment attempt of ours".into()));
    };
    let now_s = stamp(now);
    match &charge.status {
        ChargeStatus::Pending => return Ok(Outcome::Pending),
        ChargeStatus::Failed(reason) => {
            if attempt.status != AttemptStatus::Succeeded {
                payment_attempts::mark_failed(tx, attempt.id, reason, &now_s)?;
            }
            return Ok(Outcome::Failed);
        }
        ChargeStatus::Succeeded => {}
    }
    if let Some(done) = payments::find_by_transaction(tx, gateway, &charge.transaction_id)? {
        return Ok(Outcome::Paid {
            payment_id: done.id,
        });
    }
    if charge.currency != attempt.currency || charge.amount != attempt.amount {
        let note = format!(
            "charge {} of {} {} does not match attempt {} for {} {}",
            charge.transaction_id,
            charge.amount,
            charge.currency,
            attempt.uuid,
            attempt.amount,
            attempt.currency
        );
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::System,
                action: "payment.mismatch",
                subject: Some(("invoice", attempt.invoice_id)),
                client_id: Some(attempt.client_id),
                ip: None,
                details: serde_json::json!({ "gateway": gateway, "note": note }),
            },
        )?;
        return Ok(Outcome::Rejected(note));
    }
    let invoice = invoices::find(tx, &attempt.invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    let currency = billing::currency(tx, &invoice.currency)?;
    if invoice.status == InvoiceStatus::Unpaid && invoice.amount_paid == 0 {
        // The customer paid this attempt's fee: put it back on the invoice
        // if a later start (another method) replaced it.
        if let Some(method) = payment_methods::find(tx, gateway)? {
            invoices::set_fee_line(
                tx,
                invoice.id,
                attempt.fee,
                &fee_description(&method),
                &now_s,
            )?;
        }
    }
    let invoice = invoices::find(tx, &invoice.id.to_string())?.ok_or(AppError::NotFound)?;
    let (_, payment) = crate::service::settlement::apply_payment(
        tx,
        brand,
        &invoice,
        &currency,
        &Incoming {
            gateway,
            amount: charge.amount,
            transaction_id: &charge.transaction_id,
            recorded_by: &format!("gateway:{gateway}"),
            actor: Actor::System,
        },
        &RequestMeta::default(),
        now,
    )?;
    payment_attempts::mark_succeeded(tx, attempt.id, &charge.transaction_id, payment.id, &now_s)?;
    Ok(Outcome::Paid {
        payment_id: payment.id,
    })
}

/// Ask the gateway about an attempt and record the answer: for the
/// customer's return from a hosted page (whose query string proves
/// nothing), and for webhooks that must be confirmed.
pub async fn confirm_attempt(
    db: &Db,
    gateways: &Gateways,
    brand: &Branding,
    attempt: &Attempt,
    now: Timestamp,
) -> Result<Outcome> {
    let Some(reference) = attempt.reference.clone() else {
        return Ok(Outcome::Pending);
    };
    let gateway = gateways
        .get(&attempt.gateway)
        .ok_or_else(|| AppError::Unavailable("this gateway is not configured".into()))?;
    let mut charge = gateway
        .lookup(&reference)
        .await
        .map_err(|e| AppError::BadGateway(e.to_string()))?;
    charge.attempt.get_or_insert_with(|| attempt.uuid.clone());
    let (brand, code) = (brand.clone(), attempt.gateway.clone());
    db.run(move |db| db.write(|tx| record_charge(tx, &brand, &code, &charge, now)))
        .await
}
