//! Renewal invoices. A service's periods follow `domain::cycle` from its
//! registration date; the period starting on `next_due_date` (and any
//! after it, for a server that was down or a client who did not pay) is
//! invoiced `invoice_days_before` days ahead, oldest first, each period
//! once (a UNIQUE index on the service lines). `next_due_date` moves only
//! when a renewal is paid (`advance_paid`, called by `billing` when an
//! invoice is paid in full).

use std::collections::{BTreeMap, HashMap};

use jiff::{Span, Timestamp, civil::Date};
use rusqlite::Connection;
use serde::Serialize;

use crate::{
    auth::principal::RequestMeta,
    db::Db,
    domain::{
        cycle::{self, BillingCycle},
        time::stamp,
    },
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        automation::{self, AutomationSettings},
        billing::{self, buyer_snapshot, seller_snapshot},
        email::Branding,
        invoice_notices, numbering,
        orders::today,
        taxes,
    },
    store::{
        addons,
        automation::{self as store, Candidate},
        clients,
        invoices::{self, Invoice, Item},
        payments,
    },
};

/// Clients per write transaction.
const CLIENTS_PER_BATCH: i64 = 200;

/// One period of a service to invoice.
#[derive(Debug, Clone, Serialize)]
pub struct DueRenewal {
    pub service_id: i64,
    pub client_id: i64,
    pub product: String,
    pub domain: Option<String>,
    pub billing_cycle: BillingCycle,
    pub currency: String,
    /// Minor units.
    pub amount: i64,
    pub period_start: Date,
    pub period_end: Date,
    /// The service's active addons renewing with it: (name, minor units).
    pub addons: Vec<(String, i64)>,
}

impl DueRenewal {
    /// The service and its addons together.
    pub fn total(&self) -> i64 {
        self.amount + self.addons.iter().map(|(_, a)| a).sum::<i64>()
    }
}

/// The addons renewing with each service, by service id. An addon with no
/// price in its service's current cycle (the cycle changed to one the
/// addon is not sold in) cannot be priced, so it is left out and logged.
fn addons_by_service(addons: Vec<store::RenewingAddon>) -> HashMap<i64, Vec<(String, i64)>> {
    let mut by: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for a in addons {
        match a.amount {
            Some(amount) => by.entry(a.service_id).or_default().push((a.name, amount)),
            None => tracing::warn!(
                service = a.service_id,
                addon = %a.name,
                "addon has no price in its service's cycle; not renewed"
            ),
        }
    }
    by
}

/// The period of a service that starts on `start`: on the service's grid
/// (from its registration date) when `start` is on it, else one cycle on.
pub fn period_from(anchor: Option<Date>, cycle: BillingCycle, start: Date) -> Option<(Date, Date)> {
    let months = cycle.months()?;
    if let Some(anchor) = anchor.filter(|a| *a <= start) {
        let diff = (i32::from(start.year()) - i32::from(anchor.year())) * 12
            + i32::from(start.month())
            - i32::from(anchor.month());
        let guess = u32::try_from(diff / months).unwrap_or(0);
        for n in [guess, guess + 1, guess.saturating_sub(1)] {
            if let Some((s, e)) = cycle::period(anchor, cycle, n)
                && s == start
            {
                return Some((s, e));
            }
        }
    }
    let end = start.checked_add(Span::new().months(months)).ok()?;
    Some((start, end))
}

/// Every period of `c` due by `today` (invoice date reached) not billed yet.
fn periods_due(
    c: &Candidate,
    addons: &[(String, i64)],
    today: Date,
    s: &AutomationSettings,
    any_date: bool,
) -> Result<Vec<DueRenewal>> {
    let cycle: BillingCycle = c.billing_cycle.parse().map_err(AppError::internal)?;
    let next_due: Date = c.next_due_date.parse().map_err(AppError::internal)?;
    let anchor: Option<Date> = c.registration_date.as_deref().and_then(|d| d.parse().ok());
    let mut start = match c.billed_until.as_deref().map(str::parse::<Date>) {
        Some(Ok(until)) if until > next_due => until,
        _ => next_due,
    };
    let lead = Span::new().days(i64::from(s.days_before(cycle)));
    let mut out = Vec::new();
    // At most ten years of periods in one go.
    for _ in 0..120 {
        let invoice_on = start.checked_sub(lead).map_err(AppError::internal)?;
        if invoice_on > today && !(any_date && out.is_empty()) {
            break;
        }
        let Some((ps, pe)) = period_from(anchor, cycle, start) else {
            break;
        };
        out.push(DueRenewal {
            service_id: c.service_id,
            client_id: c.client_id,
            product: c.product.clone(),
            domain: c.domain.clone(),
            billing_cycle: cycle,
            currency: c.currency.clone(),
            amount: c.recurring_amount,
            period_start: ps,
            period_end: pe,
            addons: addons.to_vec(),
        });
        start = pe;
        if any_date {
            break;
        }
    }
    Ok(out)
}

fn horizon(today: Date, s: &AutomationSettings) -> Result<String> {
    Ok(today
        .checked_add(Span::new().days(i64::from(s.max_days_before())))
        .map_err(AppError::internal)?
        .to_string())
}

/// What the next run would invoice, for clients after `after_client`, in
/// batches; answers the periods and the last client looked at.
fn due_batch(
    conn: &Connection,
    today: Date,
    s: &AutomationSettings,
    after_client: i64,
) -> Result<(Vec<DueRenewal>, Option<i64>)> {
    let h = horizon(today, s)?;
    let clients = store::candidate_clients(conn, &h, after_client, CLIENTS_PER_BATCH)?;
    let (Some(first), Some(last)) = (clients.first(), clients.last()) else {
        return Ok((Vec::new(), None));
    };
    let addons = addons_by_service(store::renewing_addons_of_clients(conn, *first, *last)?);
    let mut out = Vec::new();
    for c in store::candidates_of_clients(conn, &h, *first, *last)? {
        let of = addons.get(&c.service_id).map_or(&[][..], Vec::as_slice);
        out.extend(periods_due(&c, of, today, s, false)?);
    }
    Ok((out, Some(*last)))
}

/// Every period the renewal run would invoice at `now` (oldest first per
/// service), without writing anything.
pub fn due(conn: &Connection, now: Timestamp, s: &AutomationSettings) -> Result<Vec<DueRenewal>> {
    let today = today(now);
    let mut out = Vec::new();
    let mut after = 0;
    while let (batch, Some(last)) = due_batch(conn, today, s, after)? {
        out.extend(batch);
        after = last;
    }
    Ok(out)
}

/// Issue every renewal invoice due at `now`: one per period, or one per
/// client and currency when the settings say so; a batch of clients per
/// transaction, so a crash loses nothing committed and a re-run finds the
/// rest. Answers how many invoices were issued.
pub fn invoice_due(db: &Db, brand: &Branding, now: Timestamp) -> Result<u64> {
    let today = today(now);
    let s = db.read(automation::load)?;
    let mut issued = 0;
    let mut after = 0;
    loop {
        let (n, last) = db.write(|tx| {
            let (periods, last) = due_batch(tx, today, &s, after)?;
            let mut n = 0;
            for group in group(periods, s.one_invoice_per_client) {
                issue(tx, brand, &group, &s, now)?;
                n += 1;
            }
            Ok((n, last))
        })?;
        issued += n;
        match last {
            Some(last) => after = last,
            None => break,
        }
    }
    Ok(issued)
}

/// Invoice the next unbilled period of one service now, whatever the
/// invoice date (the client area's "renew now"). Answers the invoice, or
/// `None` when the service has no period to bill (not active or suspended,
/// one-time, or cancelling at period end). The caller checks access.
pub fn renew_now(
    tx: &Connection,
    brand: &Branding,
    service_id: i64,
    now: Timestamp,
) -> Result<Option<Invoice>> {
    let s = automation::load(tx)?;
    let Some(c) = store::candidate_service(tx, service_id)? else {
        return Ok(None);
    };
    let addons = addons_by_service(store::renewing_addons_of_clients(
        tx,
        c.client_id,
        c.client_id,
    )?);
    let of = addons.get(&c.service_id).map_or(&[][..], Vec::as_slice);
    let periods = periods_due(&c, of, today(now), &s, true)?;
    if periods.is_empty() {
        return Ok(None);
    }
    issue(tx, brand, &periods, &s, now).map(Some)
}

fn group(periods: Vec<DueRenewal>, per_client: bool) -> Vec<Vec<DueRenewal>> {
    if !per_client {
        return periods.into_iter().map(|p| vec![p]).collect();
    }
    let mut by: BTreeMap<(i64, String), Vec<DueRenewal>> = BTreeMap::new();
    for p in periods {
        by.entry((p.client_id, p.currency.clone()))
            .or_default()
            .push(p);
    }
    by.into_values().collect()
}

fn describe(p: &DueRenewal) -> String {
    let what = match &p.domain {
        Some(d) => format!("{} ({d})", p.product),
        None => p.product.clone(),
    };
    let last = p.period_end.yesterday().unwrap_or(p.period_end);
    format!("{what} {} to {last}", p.period_start)
}

fn describe_addon(p: &DueRenewal, name: &str) -> String {
    let last = p.period_end.yesterday().unwrap_or(p.period_end);
    format!("Addon: {name} {} to {last}", p.period_start)
}

/// Write one renewal invoice for `periods` (one client, one currency),
/// taxed like a manual invoice, due on its first period's start; email it
/// and pay it from credit when the settings say so.
fn issue(
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
        return billing::settle_if_paid(
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
        return billing::settle_if_paid(
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

/// After `invoice_id` was paid in full: each service it renews moves its
/// next due date over every period now paid in a row, and a service
/// suspended for non-payment runs again when nothing overdue is left.
pub(crate) fn advance_paid(
    tx: &Connection,
    brand: &Branding,
    invoice_id: i64,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    let today = today(now).to_string();
    crate::service::paid_periods::record_renewals(tx, invoice_id, now)?;
    for service_id in store::services_billed_by(tx, invoice_id)? {
        let Some((status, reason)) = store::service_state(tx, service_id)? else {
            continue;
        };
        let mut next = store::next_due(tx, service_id)?;
        let mut moved = false;
        while let Some(start) = next.clone() {
            match store::paid_period_end(tx, service_id, &start)? {
                Some(end) if end > start => {
                    store::set_next_due(tx, service_id, &end, &now_s)?;
                    addons::follow_service_due(tx, service_id, &end, &now_s)?;
                    next = Some(end);
                    moved = true;
                }
                _ => break,
            }
        }
        if moved {
            audit::record(
                tx,
                now,
                Event {
                    actor: Actor::System,
                    action: "service.renewed",
                    subject: Some(("service", service_id)),
                    client_id: None,
                    ip: None,
                    details: serde_json::json!({ "invoice": invoice_id, "next_due_date": next }),
                },
            )?;
        }
        if status == "suspended"
            && reason.as_deref() == Some("overdue")
            && !store::has_unpaid_due_by(tx, service_id, &today)?
        {
            crate::service::dunning::unsuspend(tx, brand, service_id, invoice_id, now)?;
        }
    }
    Ok(())
}

/// Ask for a service to be cancelled (and terminated) when its paid period
/// ends; no renewal is invoiced meanwhile.
pub fn cancel_at_period_end(
    tx: &Connection,
    service_id: i64,
    reason: &str,
    actor: Actor,
    now: Timestamp,
) -> Result<bool> {
    let done = store::set_cancel_at_period_end(tx, service_id, reason, &stamp(now))?;
    if done {
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "service.cancellation_requested",
                subject: Some(("service", service_id)),
                client_id: None,
                ip: None,
                details: serde_json::json!({ "reason": reason, "when": "end_of_period" }),
            },
        )?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn periods_follow_the_anchor_not_the_previous_period() {
        let a = Some(d("2027-01-31"));
        assert_eq!(
            period_from(a, BillingCycle::Monthly, d("2027-02-28")),
            Some((d("2027-02-28"), d("2027-03-31")))
        );
        assert_eq!(
            period_from(a, BillingCycle::Monthly, d("2027-03-31")),
            Some((d("2027-03-31"), d("2027-04-30")))
        );
        let leap = Some(d("2028-02-29"));
        assert_eq!(
            period_from(leap, BillingCycle::Annually, d("2029-02-28")),
            Some((d("2029-02-28"), d("2030-02-28")))
        );
        assert_eq!(
            period_from(leap, BillingCycle::Annually, d("2032-02-29")),
            Some((d("2032-02-29"), d("2033-02-28")))
        );
        // Off the grid: one cycle on.
        assert_eq!(
            period_from(a, BillingCycle::Quarterly, d("2027-02-10")),
            Some((d("2027-02-10"), d("2027-05-10")))
        );
    }
}
