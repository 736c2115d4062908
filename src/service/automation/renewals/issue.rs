//! Issuing one client's renewal invoice.

use crate::domain::time::today;
use jiff::{Timestamp, civil::Date};
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

/// One line of a renewal invoice: a service's period, an addon renewing
/// with it, or a domain's term.
#[derive(Debug, Clone)]
pub struct RenewalLine {
    /// `service`, `addon` or `domain` (only the service and domain lines
    /// hold their period's once-only claim: the UNIQUE indexes are on them).
    pub kind: &'static str,
    pub description: String,
    pub service_id: Option<i64>,
    pub domain_id: Option<i64>,
    pub period_start: Date,
    pub period_end: Date,
    /// Minor units, tax not yet added (or included, as the catalog says).
    pub amount: i64,
}

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
    // Each period is a service line followed by a line per addon.
    let lines: Vec<RenewalLine> = periods
        .iter()
        .flat_map(|p| {
            let line = |kind, description, amount| RenewalLine {
                kind,
                description,
                service_id: Some(p.service_id),
                domain_id: None,
                period_start: p.period_start,
                period_end: p.period_end,
                amount,
            };
            std::iter::once(line("service", describe(p), p.amount)).chain(
                p.addons
                    .iter()
                    .map(move |(name, amount)| line("addon", describe_addon(p, name), *amount)),
            )
        })
        .collect();
    issue_lines(tx, brand, first.client_id, &first.currency, &lines, s, now)
}

/// Write one renewal invoice of `lines` for a client in `currency` (see
/// `issue`); shared by services' periods and domains' terms.
pub(crate) fn issue_lines(
    tx: &Connection,
    brand: &Branding,
    client_id: i64,
    currency: &str,
    lines: &[RenewalLine],
    s: &AutomationSettings,
    now: Timestamp,
) -> Result<Invoice> {
    let first = lines
        .first()
        .ok_or_else(|| AppError::internal("nothing to invoice"))?;
    let client = clients::find(tx, client_id)?.ok_or(AppError::NotFound)?;
    let currency = billing::currency(tx, currency)?;
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount).collect();
    let applied = taxes::applied_for(tx, Some(&client))?;
    let tax = taxes::line_tax(applied.as_ref(), &amounts, &vec![true; amounts.len()]);
    let issue_date = today(now);
    // Due when the (earliest) period starts, even if that has passed (a
    // catch-up): the client owes it since then.
    let due_date = lines
        .iter()
        .map(|l| l.period_start)
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
    for (line, share) in lines.iter().zip(&tax.shares) {
        position += 1;
        let net = line.amount - share;
        invoices::insert_item(
            tx,
            invoice_id,
            &Item {
                position,
                kind: line.kind.into(),
                description: line.description.clone(),
                service_id: line.service_id,
                domain_id: line.domain_id,
                period_start: Some(line.period_start.to_string()),
                period_end: Some(line.period_end.to_string()),
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
                "services": lines.iter().filter(|l| l.kind == "service").map(|l| serde_json::json!({
                    "service": l.service_id, "period_start": l.period_start, "period_end": l.period_end,
                })).collect::<Vec<_>>(),
                "domains": lines.iter().filter(|l| l.kind == "domain").map(|l| serde_json::json!({
                    "domain": l.domain_id, "period_start": l.period_start, "period_end": l.period_end,
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
