//! Paying an invoice from the account's credit (reference 001 apply
//! credit).

use jiff::Timestamp;

use crate::domain::status::InvoiceStatus;
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{money_input::MoneyInput, privileges::Privilege, scopes::Scope, time::stamp},
    error::{AppError, Result},
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        billing::{currency, format_money},
        email::Branding,
        settlement,
    },
    store::{
        invoices::{self, Invoice},
        payments,
    },
};

/// Pay an invoice from the client's account credit (reference 001 apply
/// credit). Without an amount, the most that helps: the smaller of the
/// credit and the balance due. Credit is checked and taken in the same
/// write transaction, so two concurrent payments cannot spend it twice.
#[allow(clippy::too_many_arguments)]
pub fn apply_credit(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    ident: &str,
    invoice_ident: &str,
    amount: Option<&MoneyInput>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        match principal {
            Principal::Staff(s) => s.require(Scope::BillingWrite)?,
            Principal::User(_) => access.require(Privilege::BillingPayInvoice)?,
        }
        let invoice = invoices::find(tx, invoice_ident)?
            .filter(|i| i.client_id == access.client.id)
            .ok_or(AppError::NotFound)?;
        if invoice.status != InvoiceStatus::Unpaid {
            return Err(AppError::Conflict(format!(
                "the invoice is {}",
                invoice.status
            )));
        }
        if invoice.currency != access.client.currency_code {
            return Err(AppError::Conflict(
                "account credit is held in another currency than this invoice".into(),
            ));
        }
        if invoices::items(tx, invoice.id)?
            .iter()
            .any(|i| i.kind == "credit")
        {
            return Err(AppError::Conflict(
                "an add-funds invoice cannot be paid from credit".into(),
            ));
        }
        let currency = currency(tx, &invoice.currency)?;
        let credit = access.client.credit_balance;
        let due = invoice.balance_due();
        let wanted = match amount.filter(|a| !a.is_blank()) {
            Some(asked) => {
                let wanted = asked
                    .to_minor(currency.decimals)
                    .map_err(|e| AppError::invalid("amount", e))?;
                if wanted <= 0 {
                    return Err(AppError::invalid("amount", "must be more than zero"));
                }
                if wanted > due {
                    return Err(AppError::invalid(
                        "amount",
                        format!(
                            "is more than the balance due ({})",
                            format_money(due, &currency)
                        ),
                    ));
                }
                if wanted > credit {
                    return Err(AppError::invalid(
                        "amount",
                        format!(
                            "is more than the credit available ({})",
                            format_money(credit, &currency)
                        ),
                    ));
                }
                wanted
            }
            None => credit.min(due),
        };
        if wanted <= 0 {
            return Err(AppError::invalid("amount", "there is no credit to apply"));
        }
        let now_s = stamp(now);
        payments::move_credit(
            tx,
            access.client.id,
            -wanted,
            "applied_to_invoice",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::invalid("amount", "is more than the credit available"))?;
        invoices::apply_credit(tx, invoice.id, wanted, &now_s)?;
        let actor = Actor::from(principal);
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "invoice.credit_applied",
                subject: Some(("invoice", invoice.id)),
                client_id: Some(invoice.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": invoice.number, "amount": wanted }),
            },
        )?;
        settlement::settle_if_paid(tx, brand, &invoice, wanted, &currency, actor, meta, now)
    })
}
