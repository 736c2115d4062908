//! Refunds (staff, `billing:write`): give back part or all of a payment,
//! to the client's account credit, through the gateway that took it, or as
//! a record of money paid back outside till (a bank transfer back).
//!
//! The amount is set aside on the payment (`payments.refunded`) in the same
//! transaction that writes the refund, so two refunds can never return
//! more than was paid. A gateway refund is written as pending, the gateway
//! is called outside any transaction, and the answer is recorded after;
//! a refused refund gives its amount back to the payment.

use crate::integrations::gateways::Gateways;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{money::parse_decimal, scopes::Scope, time::stamp},
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing::{self, format_money},
        email::{self, Branding},
    },
    store::{
        clients, invoices,
        payments::{self, Payment},
        refunds::{self, Refund},
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Credit,
    Gateway,
    External,
}

impl Destination {
    pub fn parse(text: &str) -> Option<Destination> {
        match text.trim() {
            "credit" => Some(Destination::Credit),
            "gateway" => Some(Destination::Gateway),
            "external" => Some(Destination::External),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Destination::Credit => "credit",
            Destination::Gateway => "gateway",
            Destination::External => "external",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Destination::Credit => "to your account credit",
            Destination::Gateway => "to the card or account you paid with",
            Destination::External => "by bank transfer",
        }
    }
}

/// Where the money of a payment is now: still on its invoice (refundable
/// as is), or turned into account credit (refundable only by taking that
/// credit back, and not to credit).
struct Split {
    /// Not yet refunded of the payment.
    left: i64,
    /// What of it its invoice still holds.
    on_invoice: i64,
    /// The client's credit that can be taken back for it.
    credit: i64,
}

impl Split {
    fn of(
        tx: &Connection,
        payment: &Payment,
        invoice: &crate::store::invoices::Invoice,
        client: &crate::store::clients::Client,
        destination: Destination,
    ) -> Result<Split> {
        let left = payment.amount - payment.refunded;
        let drawn = refunds::drawn_from_invoice(tx, payment.id)?;
        let on_invoice = (payment.applied - drawn)
            .min(invoice.holds())
            .clamp(0, left);
        let credit =
            if destination == Destination::Credit || client.currency_code != payment.currency {
                0
            } else {
                client.credit_balance.min(left - on_invoice).max(0)
            };
        Ok(Split {
            left,
            on_invoice,
            credit,
        })
    }

    /// The most that can be refunded now.
    fn most(&self) -> i64 {
        self.on_invoice + self.credit
    }

    /// `(amount, taken from credit)` for a refund of `wanted`.
    fn take(
        &self,
        wanted: i64,
        destination: Destination,
        currency: &crate::store::currencies::Currency,
    ) -> Result<(i64, i64)> {
        if wanted <= 0 || wanted > self.left {
            return Err(AppError::invalid(
                "amount",
                format!(
                    "must be more than zero and at most {}",
                    format_money(self.left.max(0), currency)
                ),
            ));
        }
        if wanted > self.most() {
            let why = if destination == Destination::Credit {
                "the rest of this payment is already account credit"
            } else {
                "the rest of this payment became account credit that has been spent"
            };
            return Err(AppError::invalid(
                "amount",
                format!(
                    "at most {} can be refunded: {why}",
                    format_money(self.most(), currency)
                ),
            ));
        }
        Ok((wanted, (wanted - self.on_invoice).max(0)))
    }
}

pub struct RefundRequest {
    /// Decimal text; none means all that is left of the payment.
    pub amount: Option<String>,
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
                let wanted = match input.amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                    // All that is left of it: refused, naming what can
                    // go back, when part of it was spent as credit.
                    None => split.left,
                    Some(text) => parse_decimal(text, currency.decimals)
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
                let reopen = invoice.status == "unpaid";
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

/// A gateway refused a refund: what was set aside for it goes back where
/// it came from. A part that reopened an unpaid invoice pays it again as
/// far as it still owes (settling it if that pays it); whatever has no
/// place to go back to (the invoice was cancelled or paid meanwhile)
/// becomes account credit, so no money is lost.
#[allow(clippy::too_many_arguments)]
fn put_back(
    tx: &Connection,
    brand: &Branding,
    staff: &StaffPrincipal,
    payment: &Payment,
    refund: &Refund,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    let invoice = invoices::find(tx, &payment.invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    let back = refund.from_invoice();
    let mut to_credit = refund.from_credit;
    if refund.reopened_invoice {
        let onto = if invoice.status == "unpaid" {
            back.min(invoice.balance_due())
        } else {
            0
        };
        if onto > 0 {
            invoices::add_payment(tx, invoice.id, onto, &now_s)?;
            if !payments::shift_applied(tx, payment.id, -onto)? {
                return Err(AppError::internal(
                    "a payment's applied part went out of range",
                ));
            }
            let currency = billing::currency(tx, &invoice.currency)?;
            let actor = Actor::from(&Principal::Staff(staff.clone()));
            billing::settle_if_paid(tx, brand, &invoice, onto, &currency, actor, meta, now)?;
        }
        to_credit += back - onto;
    } else if invoice.status == "cancelled" {
        to_credit += back;
    } else {
        invoices::undo_give_back(tx, invoice.id, back, &now_s)?;
    }
    if to_credit > 0 {
        payments::move_credit(
            tx,
            payment.client_id,
            to_credit,
            "refund_failed",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    Ok(())
}

/// A refund went through: credit it if it goes to credit, mark the invoice
/// refunded once everything paid was given back, tell the client.
#[allow(clippy::too_many_arguments)]
fn succeed(
    tx: &Connection,
    brand: &Branding,
    staff: &StaffPrincipal,
    payment: &Payment,
    refund: &Refund,
    destination: Destination,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    if destination == Destination::Credit {
        payments::move_credit(
            tx,
            payment.client_id,
            refund.amount,
            "refund",
            Some(payment.invoice_id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    let all_back = payments::of_invoice(tx, payment.invoice_id)?
        .iter()
        .all(|p| p.refunded >= p.amount);
    if all_back {
        invoices::mark_refunded(tx, payment.invoice_id, &now_s)?;
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::from(&Principal::Staff(staff.clone())),
            action: "refund.issued",
            subject: Some(("payment", payment.id)),
            client_id: Some(payment.client_id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "amount": refund.amount, "destination": destination.as_str(), "reason": refund.reason }),
        },
    )?;
    let invoice = invoices::find(tx, &payment.invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    let client = clients::find(tx, payment.client_id)?.ok_or(AppError::NotFound)?;
    let currency = billing::currency(tx, &payment.currency)?;
    email::queue(
        tx,
        now,
        &client.email,
        &email::RefundIssued {
            brand: brand.clone(),
            name: client.display_name(),
            invoice_number: invoice.display_number(),
            amount: format_money(refund.amount, &currency),
            destination: destination.words().into(),
            link: brand.link(&format!("/account/invoices/{}", invoice.id)),
        },
    )?;
    Ok(())
}
