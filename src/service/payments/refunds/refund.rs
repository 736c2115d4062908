//! Refunding a payment: set the amount aside, then ask the gateway.

use crate::integrations::gateways::Gateways;
use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{money_input::MoneyInput, scopes::Scope, time::stamp},
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing,
        email::Branding,
    },
    store::{
        clients, invoices, payments,
        refunds::{self, Refund},
    },
};

use super::destination::Destination;
use super::refused::put_back;
use super::split::Split;
use super::succeeded::succeed;
use crate::domain::status::InvoiceStatus;

pub struct RefundRequest {
    /// In the payment's currency; none means all that is left of it.
    pub amount: Option<MoneyInput>,
    pub destination: String,
    pub reason: String,
}

/// Refund a payment. Answers the refund as it ended (succeeded, or failed
/// with the gateway's words).
#[allow(clippy::too_many_arguments)]
pub async fn refund(
    db: &Db,
    gateways: &Gateways,
    brand: &Branding,
    staff: StaffPrincipal,
    payment: String,
    input: RefundRequest,
    meta: RequestMeta,
    now: Timestamp,
) -> Result<Refund> {
    staff.require(Scope::BillingWrite)?;
    let destination = Destination::parse(&input.destination)
        .ok_or_else(|| AppError::invalid("destination", "must be credit, gateway or external"))?;
    let reason = input.reason.trim().to_string();
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "at most 500 characters"));
    }
    let (b, st, m) = (brand.clone(), staff.clone(), meta.clone());
    let offered = gateways.clone();
    let begun = db
        .run(move |db| {
            db.write(|tx| {
                let payment = payments::find(tx, &payment)?.ok_or(AppError::NotFound)?;
                if destination == Destination::Gateway && !offered.has(&payment.gateway) {
                    return Err(AppError::invalid(
                        "destination",
                        "this payment's gateway cannot refund through till; refund to credit, or pay it back yourself and record it as external",
                    ));
                }
                let currency = billing::currency(tx, &payment.currency)?;
                let invoice = invoices::find(tx, &payment.invoice_id.to_string())?
                    .ok_or(AppError::NotFound)?;
                let client = clients::find(tx, payment.client_id)?.ok_or(AppError::NotFound)?;
                let split = Split::of(tx, &payment, &invoice, &client, destination)?;
                let wanted = match input.amount.as_ref().filter(|a| !a.is_blank()) {
                    // All that is left of it: refused, naming what can
                    // go back, when part of it was spent as credit.
                    None => split.left,
                    Some(asked) => asked
                        .to_minor(currency.decimals)
                        .map_err(|e| AppError::invalid("amount", e))?,
                };
                let (amount, from_credit) = split.take(wanted, destination, &currency)?;
                let now_s = stamp(now);
                if from_credit > 0
                    && payments::move_credit(tx, payment.client_id, -from_credit, "refunded", Some(invoice.id), &now_s)?
                        .is_none()
                {
                    return Err(AppError::Conflict("the account credit changed; try again".into()));
                }
                // An unpaid invoice owes again what is refunded of it; a paid
                // one keeps its status and holds less.
                let reopen = invoice.status == InvoiceStatus::Unpaid;
                let from_invoice = amount - from_credit;
                let taken = from_invoice == 0
                    || if reopen {
                        invoices::reopen(tx, invoice.id, from_invoice, &now_s)?
                            && payments::shift_applied(tx, payment.id, from_invoice)?
                    } else {
                        invoices::give_back(tx, invoice.id, from_invoice, &now_s)?
                    };
                if !taken {
                    return Err(AppError::Conflict("the invoice changed; try again".into()));
                }
                if !payments::reserve_refund(tx, payment.id, amount)? {
                    return Err(AppError::Conflict("the payment has already been refunded".into()));
                }
                let id = refunds::insert(
                    tx,
                    &refunds::NewRefund {
                        uuid: &uuid::Uuid::new_v4().to_string(),
                        client_id: payment.client_id,
                        invoice_id: payment.invoice_id,
                        payment_id: payment.id,
                        amount,
                        currency: &payment.currency,
                        destination: destination.as_str(),
                        status: if destination == Destination::Gateway { "pending" } else { "succeeded" },
                        reason: &reason,
                        created_by: &format!("staff:{}", st.staff_id),
                        from_credit,
                        reopened_invoice: reopen && from_invoice > 0,
                        now: &now_s,
                    },
                )?;
                let refund = refunds::find(tx, id)?.ok_or(AppError::NotFound)?;
                if destination != Destination::Gateway {
                    succeed(tx, &b, &st, &payment, &refund, destination, &m, now)?;
                }
                Ok((payment, refunds::find(tx, id)?.ok_or(AppError::NotFound)?))
            })
        })
        .await?;
    let (payment, pending) = begun;
    if pending.status != "pending" {
        return Ok(pending);
    }
    let Some(gateway) = gateways.get(&payment.gateway) else {
        return Err(AppError::internal("gateway vanished"));
    };
    let answer = gateway
        .refund(&payment.transaction_id, pending.amount, &pending.uuid)
        .await;
    let brand = brand.clone();
    db.run(move |db| {
        db.write(|tx| {
            let now_s = stamp(now);
            match answer {
                Ok(reference) => {
                    refunds::finish(tx, pending.id, "succeeded", Some(&reference), None, &now_s)?;
                    let refund = refunds::find(tx, pending.id)?.ok_or(AppError::NotFound)?;
                    succeed(tx, &brand, &staff, &payment, &refund, Destination::Gateway, &meta, now)?;
                }
                Err(e) => {
                    refunds::finish(tx, pending.id, "failed", None, Some(&e.to_string()), &now_s)?;
                    payments::release_refund(tx, payment.id, pending.amount)?;
                    put_back(tx, &brand, &staff, &payment, &pending, &meta, now)?;
                    audit::record(
                        tx,
                        now,
                        Event {
                            actor: Actor::from(&Principal::Staff(staff.clone())),
                            action: "refund.failed",
                            subject: Some(("payment", payment.id)),
                            client_id: Some(payment.client_id),
                            ip: meta.ip.as_deref(),
                            details: serde_json::json!({ "amount": pending.amount, "error": e.to_string() }),
                        },
                    )?;
                }
            }
            refunds::find(tx, pending.id)?.ok_or(AppError::NotFound)
        })
    })
    .await
}
