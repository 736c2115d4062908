//! Issuing one client's renewal invoice.

use crate::domain::time::today;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::RequestMeta,
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        automation::AutomationSettings,
        billing::invoice_notices,
        billing::taxes,
        billing::{self, buyer_snapshot, seller_snapshot},
        email::Branding,
        numbering,
    },
    store::{
        clients,
        invoices::{self, Invoice, Item},
        payments,
    },
};

use super::due::DueRenewal;
use super::lines::{describe, describe_addon};

/// Write one renewal invoice for `periods` (one client, one currency),
/// taxed like a manual invoice, due on its first period's start; email it
/// and pay it from credit when the settings say so.
pub(super) fn issue(
    tx: &Connection,
    brand: &Branding,
    periods: &[DueRenewal],
    s: &AutomationSettings,
    now: Timestamp,
) -> Result<Invoice> {
    let first = periods
        .first()
        .ok_or_else(|| AppError::internal("nothing to invoice"))?;
    let client = clients::find(tx, first.client_id)?.ok_or(AppError::NotFound)?;
    let currency = billing::currency(tx, &first.currency)?;
    // Each period is a service line followed by a line per addon.
    let lines: Vec<(&DueRenewal, Option<&str>, i64)> = periods
        .iter()
        .flat_map(|p| {
            std::iter::once((p, None, p.amount)).chain(
                p.addons
                    .iter()
                    .map(move |(name, amount)| (p, Some(name.as_str()), *amount)),
            )
        })
        .collect();
    let amounts: Vec<i64> = lines.iter().map(|(_, _, a)| *a).collect();
    let applied = taxes::applied_for(tx, Some(&client))?;
    let tax = taxes::line_tax(applied.as_ref(), &amounts, &vec![true; amounts.len()]);
    let issue_date = today(now);
    // Due when the (earliest) period starts, even if that has passed (a
    // catch-up): the client owes it since then.
    let due_date = periods
        .iter()
        .map(|p| p.period_start)
        .min()
        .unwrap_or(first.period_start);
    let now_s = stamp(now);
    let number = numbering::number_at_issue(tx, issue_date)?;
    let notes = taxes::invoice_note(applied.as_ref()).unwrap_or("");
    let invoice_id = invoices::insert(
        tx,
        &invoices::NewInvoice {
            uuid: &uuid::Uuid::new_v4().to_string(),
            client_id: client.id,
            order_id: None,
            number: number.as_deref(),
            currency: &currency.code,
            subtotal: tax.subtotal,
            tax_total: tax.tax_total,
            issue_date: &issue_date.to_string(),
            due_date: &due_date.to_string(),
            seller: &seller_snapshot(brand),
            buyer: &buyer_snapshot(&client),
            notes,
            now: &now_s,
        },
    )?;
    let mut position = 0;
    for ((p, addon, amount), share) in lines.iter().zip(&tax.shares) {
        position += 1;
        let net = amount - share;
        // Only the service line holds the period's once-only claim (the
        // UNIQUE index is on `service` lines); addon lines ride with it.
        let (kind, description) = match addon {
            None => ("service", describe(p)),
            Some(name) => ("addon", describe_addon(p, name)),
        };
        invoices::insert_item(
            tx,
            invoice_id,
            &Item {
                position,
                kind: kind.into(),
                description,
                service_id: Some(p.service_id),
                domain_id: None,
                period_start: Some(p.period_start.to_string()),
                period_end: Some(p.period_end.to_string()),
                quantity: 1,
                unit_amount: net,
                amount: net,
            },
        )?;
    }
    if let Some(t) = applied.as_ref().filter(|_| tax.tax_total > 0) {
        position += 1;
        let mut item = Item::manual(position, &t.label, 1, tax.tax_total);
        item.kind = "tax".into();
        invoices::insert_item(tx, invoice_id, &item)?;
    }
    let invoice = invoices::find(tx, &invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: "invoice.renewal_created",
            subject: Some(("invoice", invoice_id)),
            client_id: Some(client.id),
            ip: None,
            details: serde_json::json!({
                "number": invoice.number, "total": invoice.total, "currency": currency.code,
                "services": periods.iter().map(|p| serde_json::json!({
                    "service": p.service_id, "period_start": p.period_start, "period_end": p.period_end,
                })).collect::<Vec<_>>(),
            }),
        },
    )?;
    invoice_notices::created(tx, brand, &client, &invoice, now)?;
    let meta = RequestMeta::default();
    if invoice.total == 0 {
        invoices::mark_paid(tx, invoice.id, &now_s)?;
        return crate::service::settlement::settle_if_paid(
            tx,
            brand,
            &invoice,
            0,
            &currency,
            Actor::System,
            &meta,
            now,
        );
    }
    let credit = client.credit_balance.min(invoice.total);
    if s.apply_credit_automatically && credit > 0 && client.currency_code == invoice.currency {
        if payments::move_credit(
            tx,
            client.id,
            -credit,
            "applied_to_invoice",
            Some(invoice.id),
            &now_s,
        )?
        .is_none()
        {
            return Ok(invoice);
        }
        invoices::apply_credit(tx, invoice.id, credit, &now_s)?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::System,
                action: "invoice.credit_applied",
                subject: Some(("invoice", invoice.id)),
                client_id: Some(invoice.client_id),
                ip: None,
                details: serde_json::json!({ "number": invoice.number, "amount": credit, "automatic": true }),
            },
        )?;
        return crate::service::settlement::settle_if_paid(
            tx,
            brand,
            &invoice,
            credit,
            &currency,
            Actor::System,
            &meta,
            now,
        );
    }
    Ok(invoice)
}
