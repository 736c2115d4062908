//! Add-funds invoices: an invoice whose one `credit` line becomes account
//! credit once it is paid (reference 000 credit invoices).

use jiff::Timestamp;
use rusqlite::Connection;

use super::{
    buyer_snapshot, currency, format_money,
    owner::{LineOwner, PaidInvoice},
    seller_snapshot,
};
use crate::domain::time::today;
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{money_input::MoneyInput, privileges::Privilege, time::stamp},
    error::{AppError, Result},
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        email::Branding,
        numbering,
    },
    store::{
        invoices::{self, Invoice, Item},
        payments,
    },
};

/// The most one add-funds invoice may be for, in major units.
pub const MAX_ADD_FUNDS: i64 = 100_000;

/// An invoice that adds account credit once paid (reference 000 credit
/// invoices; needs `billing.addfunds`). No tax: credit is a prepayment,
/// taxed when it pays for something.
pub fn add_funds_invoice(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    ident: &str,
    amount: Option<&MoneyInput>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        access.require_change(Privilege::BillingAddFunds)?;
        let client = &access.client;
        let currency = currency(tx, &client.currency_code)?;
        let minor = amount
            .filter(|a| !a.is_blank())
            .ok_or_else(|| AppError::invalid("amount", MoneyInput::ASK))?
            .to_minor(currency.decimals)
            .map_err(|e| AppError::invalid("amount", e))?;
        let most = MAX_ADD_FUNDS * 10_i64.pow(currency.decimals);
        if minor <= 0 || minor > most {
            return Err(AppError::invalid(
                "amount",
                format!(
                    "must be more than zero and at most {}",
                    format_money(most, &currency)
                ),
            ));
        }
        let today = today(now);
        let now_s = stamp(now);
        let number = numbering::number_at_issue(tx, today)?;
        let invoice_id = invoices::insert(
            tx,
            &invoices::NewInvoice {
                uuid: &uuid::Uuid::new_v4().to_string(),
                client_id: client.id,
                order_id: None,
                number: number.as_deref(),
                currency: &currency.code,
                subtotal: minor,
                tax_total: 0,
                issue_date: &today.to_string(),
                due_date: &today.to_string(),
                seller: &seller_snapshot(brand),
                buyer: &buyer_snapshot(client),
                notes: "",
                now: &now_s,
            },
        )?;
        invoices::insert_item(
            tx,
            invoice_id,
            &Item {
                position: 1,
                kind: "credit".into(),
                description: "Add funds to account credit".into(),
                service_id: None,
                domain_id: None,
                period_start: None,
                period_end: None,
                quantity: 1,
                unit_amount: minor,
                amount: minor,
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(principal),
                action: "invoice.add_funds",
                subject: Some(("invoice", invoice_id)),
                client_id: Some(client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": number, "amount": minor }),
            },
        )?;
        invoices::find(tx, &invoice_id.to_string())?.ok_or(AppError::NotFound)
    })
}

/// The owner of `credit` lines: a paid add-funds invoice's money leaves the
/// invoice for the credit balance (so a refund of it must take that credit
/// back).
pub struct AddedFunds;

impl LineOwner for AddedFunds {
    fn name(&self) -> &'static str {
        "added funds"
    }

    fn paid(&self, tx: &Connection, paid: &PaidInvoice<'_>) -> Result<()> {
        let funds: i64 = paid
            .lines
            .iter()
            .filter(|i| i.kind == "credit")
            .map(|i| i.amount)
            .sum();
        if funds <= 0 {
            return Ok(());
        }
        let (invoice, now_s) = (paid.invoice, stamp(paid.now));
        if !invoices::give_back(tx, invoice.id, funds, &now_s)? {
            return Err(AppError::internal(
                "an add-funds invoice holds less than it adds",
            ));
        }
        payments::move_credit(
            tx,
            invoice.client_id,
            funds,
            "add_funds",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
        Ok(())
    }
}
