//! A cycle change that starts now: invoiced first, applied when paid (see
//! the module above for the rule).

use crate::domain::time::today;
use jiff::{Span, Timestamp};
use rusqlite::Connection;

use super::{checked, parse_cycle, recurring_addons};
use crate::domain::status::ServiceStatus;
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{
        cycle::{self, BillingCycle},
        proration,
        time::stamp,
    },
    error::{AppError, Result},
    service::{
        billing::invoice_notices,
        billing::manual_invoices::{self, Checked},
        billing::paid_periods,
        billing::{self, format_money},
        email::Branding,
        notifications,
        services::service_actions::{ServiceRecord, audit_change, owned, record},
    },
    store::{
        automation,
        invoices::{self, Invoice},
        orders::{self, Service},
        payments,
        service_changes::{self, NewChange},
        service_periods::{self, NewPeriod},
    },
};

/// What asking for a cycle change now made: its invoice, and what the
/// unused part of the current period would credit if paid today.
#[derive(Debug, Clone)]
pub struct CycleChangeNow {
    pub record: ServiceRecord,
    pub invoice: Invoice,
    pub unused_credit: i64,
}

/// A paid period a cycle change now ends: where it is cut, and what of
/// it goes back as credit.
struct Ending {
    held: paid_periods::Held,
    cut_at: jiff::civil::Date,
    credit: i64,
}

/// What a change whose new period starts on `from` ends: the current
/// period from `from` on (from today, unless the new period starts back at
/// an overdue date) and every period paid after it, each worth its plan
/// price for the days left, capped at the money left of what paid for it.
/// No day is ever held by both an old period and the new one.
fn endings(
    conn: &Connection,
    s: &Service,
    today: jiff::civil::Date,
    from: jiff::civil::Date,
) -> Result<Vec<Ending>> {
    let mut out = Vec::new();
    let current = paid_periods::current(conn, s, today)?;
    let later = match &current {
        Some(held) => paid_periods::later(conn, s, held)?,
        // Overdue: what was paid after the unpaid time (out of order).
        None => match s.next_due_date.as_deref() {
            Some(due) => service_periods::from(conn, s.id, due)?
                .iter()
                .map(paid_periods::Held::of)
                .collect::<Result<_>>()?,
            None => Vec::new(),
        },
    };
    for (held, cut_at) in current
        .map(|h| {
            let cut = from.max(h.start).min(today);
            (h, cut)
        })
        .into_iter()
        .chain(later.into_iter().map(|h| {
            let start = h.start;
            (h, start)
        }))
    {
        let left = cycle::days_between(cut_at, held.end);
        let worth = proration::prorate(held.plan_price, left, held.days())
            .ok_or_else(|| AppError::internal("proration out of range"))?;
        let credit = worth.min(paid_periods::value_left(conn, &held)?);
        out.push(Ending {
            held,
            cut_at,
            credit,
        });
    }
    Ok(out)
}

/// Where the new cycle's first period starts: today, or back when the
/// unpaid time began for an overdue service.
fn new_start(s: &Service, today: jiff::civil::Date) -> jiff::civil::Date {
    match s.next_due_date.as_deref().and_then(|d| d.parse().ok()) {
        Some(due) if due < today => due,
        _ => today,
    }
}

/// Ask to bill the service in `cycle` from today: an invoice for the new
/// cycle's first period, applied when paid (`apply_paid`).
#[allow(clippy::too_many_arguments)]
pub fn change_now(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    client: &str,
    service: &str,
    cycle: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<CycleChangeNow> {
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        let cycle = parse_cycle(cycle)?;
        let amount = checked(tx, &s, cycle)?;
        if s.status != ServiceStatus::Active {
            return Err(AppError::Conflict(format!("the service is {}", s.status)));
        }
        if !recurring_addons(tx, &s)?.is_empty() {
            return Err(AppError::invalid(
                "effective",
                "a service with recurring addons changes its cycle from the next due date",
            ));
        }
        if cycle.as_str() == s.billing_cycle {
            return Err(AppError::invalid(
                "billing_cycle",
                "the service is already billed in this cycle",
            ));
        }
        let day = today(now);
        if paid_periods::current(tx, &s, day)?.is_none() {
            return Err(AppError::Conflict(
                "the service has no paid period to change from".into(),
            ));
        }
        let credit: i64 = endings(tx, &s, day, new_start(&s, day))?
            .iter()
            .map(|e| e.credit)
            .sum();
        let from = s.next_due_date.clone().unwrap_or_else(|| day.to_string());
        if automation::has_shared_unpaid_renewal(tx, s.id, &from)? {
            return Err(AppError::Conflict(
                "a renewal invoice for this service also bills others; pay it, or ask us to split it"
                    .into(),
            ));
        }
        let end = day
            .checked_add(Span::new().months(cycle.months().unwrap_or(1)))
            .map_err(AppError::internal)?;
        let currency = billing::currency(tx, &s.currency)?;
        let product = crate::store::catalog::find_product(tx, &s.product_id.to_string())?
            .map(|p| p.name)
            .unwrap_or_default();
        let invoice = manual_invoices::issue(
            tx,
            brand,
            &c,
            &[Checked {
                description: format!(
                    "{product} - {} {day} to {}",
                    cycle.label(),
                    end.yesterday().unwrap_or(end)
                ),
                unit: amount,
                quantity: 1,
                taxed: true,
            }],
            day,
            day,
            &format!(
                "Once this invoice is paid the billing cycle changes to {}, and the unused part of the current period ({} if paid today) is added to your account credit.",
                cycle.label().to_lowercase(),
                format_money(credit, &currency)
            ),
            now,
        )?;
        invoice_notices::created(tx, brand, &c, &invoice, now)?;
        service_changes::insert_change(
            tx,
            &NewChange {
                kind: "cycle",
                service_id: s.id,
                from_product_id: s.product_id,
                to_product_id: s.product_id,
                billing_cycle: cycle.as_str(),
                new_recurring: amount,
                amount: invoice.total,
                invoice_id: Some(invoice.id),
                status: "pending",
                now: &stamp(now),
            },
        )?;
        audit_change(
            tx,
            principal,
            &c,
            "service.cycle_change_requested",
            &s,
            serde_json::json!({ "from": s.billing_cycle, "to": cycle.as_str(), "invoice": invoice.id, "unused_credit": credit }),
            meta,
            now,
        )?;
        let s = orders::find_service(tx, &s.id.to_string())?.ok_or(AppError::NotFound)?;
        Ok(CycleChangeNow {
            record: record(tx, s)?,
            invoice,
            unused_credit: credit,
        })
    })
}

/// Apply the cycle changes paid for by `invoice_id` (called when an
/// invoice is paid in full).
pub(crate) fn apply_paid(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    for change in service_changes::pending_of_invoice(tx, invoice_id)? {
        if change.kind != "cycle" {
            continue;
        }
        let Some(s) = orders::find_service(tx, &change.service_id.to_string())? else {
            continue;
        };
        let now_s = stamp(now);
        if !matches!(s.status, ServiceStatus::Active | ServiceStatus::Suspended) {
            // Ended meanwhile: the money stays on the paid invoice for staff.
            service_changes::set_change_status(tx, change.id, "cancelled", &now_s)?;
            continue;
        }
        let cycle: BillingCycle = change.billing_cycle.parse().map_err(AppError::internal)?;
        let day = today(now);
        // The rest of what was paid ends today (a period paid ahead meanwhile
        // ends before it starts), its unused part credited.
        // Overdue: the new period starts when the unpaid time began.
        let start = new_start(&s, day);
        let mut credit = 0;
        for e in endings(tx, &s, day, start)? {
            let id = paid_periods::record(tx, s.id, &e.held, now)?;
            credit += paid_periods::give_back(tx, id, e.credit, now)?;
            service_periods::cut(tx, id, &e.cut_at.to_string(), &now_s)?;
        }
        let end = start
            .checked_add(Span::new().months(cycle.months().unwrap_or(1)))
            .map_err(AppError::internal)?;
        let (period, _) = service_periods::insert(
            tx,
            &NewPeriod {
                service_id: s.id,
                period_start: &start.to_string(),
                period_end: &end.to_string(),
                billing_cycle: cycle.as_str(),
                plan_price: change.new_recurring,
                now: &now_s,
            },
        )?;
        let charged: i64 = invoices::items(tx, invoice_id)?
            .iter()
            .filter(|i| i.kind == "manual")
            .map(|i| i.amount)
            .sum();
        let holds = invoices::find(tx, &invoice_id.to_string())?.map_or(0, |i| i.holds());
        paid_periods::add_fund(tx, period, invoice_id, charged.min(holds))?;
        if let Some(next) = s.next_due_date.as_deref() {
            billing::cancel_renewals_from(tx, s.id, next, "cycle_changed", now)?;
        }
        orders::restart_periods(
            tx,
            s.id,
            cycle.as_str(),
            change.new_recurring,
            &start.to_string(),
            &end.to_string(),
            &now_s,
        )?;
        if credit > 0 {
            payments::move_credit(
                tx,
                s.client_id,
                credit,
                "unused_time",
                Some(invoice_id),
                &now_s,
            )?
            .ok_or_else(|| AppError::internal("credit balance went negative"))?;
        }
        service_changes::set_change_status(tx, change.id, "applied", &now_s)?;
        notifications::notify(
            tx,
            s.client_id,
            "cycle_changed",
            &format!(
                "Your service is now billed {}",
                cycle.label().to_lowercase()
            ),
            &format!("Next due {end}."),
            &format!("/account/services/{}", s.id),
            now,
        )?;
    }
    Ok(())
}
