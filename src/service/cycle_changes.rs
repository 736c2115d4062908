//! Changing a service's billing cycle (reference 001 `/service/{id}/cycle`).
//!
//! From the next due date (the default): the paid period keeps its end,
//! and the periods after it follow the new cycle from there. Renewals of
//! the old cycle already invoiced and unpaid are released, to be invoiced
//! again in the new one; periods paid ahead run out first.
//!
//! Now: an invoice-first change. The invoice charges the new cycle's
//! first period; once it is paid the current period ends that day, its
//! unused part goes to account credit (never more than the money that
//! paid for it and is still on its invoice, `paid_periods`), and the new
//! period starts. A service overdue when it is paid starts its new period
//! on its due date instead, so no day goes unbilled.

use jiff::{Span, Timestamp};
use rusqlite::Connection;

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
        billing::{self, format_money},
        email::Branding,
        invoice_notices,
        manual_invoices::{self, Checked},
        notifications,
        orders::today,
        paid_periods,
        service_actions::{ServiceRecord, audit_change, owned, record, recurring_in},
    },
    store::{
        addons, automation,
        invoices::{self, Invoice},
        orders::{self, Service},
        payments,
        service_changes::{self, NewChange},
        service_periods::{self, NewPeriod},
    },
};

/// When a cycle change takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effective {
    NextDueDate,
    Now,
}

impl Effective {
    pub fn parse(text: &str) -> Option<Effective> {
        match text.trim() {
            "" | "next_due_date" => Some(Effective::NextDueDate),
            "now" => Some(Effective::Now),
            _ => None,
        }
    }
}

/// What each recurring addon of the service (active or waiting) would
/// renew at in `cycle`: (service addon id, price); `None` when one of them
/// is not sold in that cycle and currency, since it could then not be
/// billed with the service.
fn addons_in(
    conn: &Connection,
    service: &Service,
    cycle: BillingCycle,
) -> Result<Option<Vec<(i64, i64)>>> {
    let mut out = Vec::new();
    for a in recurring_addons(conn, service)? {
        let price = addons::prices(conn, a.addon_id)?
            .into_iter()
            .find(|p| p.currency == service.currency && p.cycle == cycle.as_str())
            .map(|p| p.price);
        match price {
            Some(p) => out.push((a.id, p)),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

fn recurring_addons(conn: &Connection, service: &Service) -> Result<Vec<addons::ServiceAddon>> {
    Ok(addons::of_service(conn, service.id)?
        .into_iter()
        .filter(|a| {
            a.billing_cycle != BillingCycle::Onetime.as_str()
                && matches!(a.status.as_str(), "active" | "pending" | "suspended")
        })
        .collect())
}

/// The cycles the service could be billed in (the plan, its options and its
/// addons all sold in it), with what the service itself would cost.
pub fn cycle_options(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
) -> Result<(ServiceRecord, Vec<(BillingCycle, i64)>)> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        let mut out = Vec::new();
        for cycle in BillingCycle::ALL
            .into_iter()
            .filter(|c| *c != BillingCycle::Onetime)
        {
            if let Some(amount) = recurring_in(c, &s, s.product_id, cycle, true)?
                && addons_in(c, &s, cycle)?.is_some()
            {
                out.push((cycle, amount));
            }
        }
        Ok((record(c, s)?, out))
    })
}

/// The checks both kinds of change share; answers the new renewal price.
fn checked(tx: &Connection, s: &Service, cycle: BillingCycle) -> Result<i64> {
    if !matches!(s.status.as_str(), "active" | "suspended") {
        return Err(AppError::Conflict(format!("the service is {}", s.status)));
    }
    if cycle == BillingCycle::Onetime || s.billing_cycle == BillingCycle::Onetime.as_str() {
        return Err(AppError::invalid(
            "billing_cycle",
            "one-time services have no cycle to change",
        ));
    }
    if service_changes::pending_of_service(tx, s.id)?.is_some() {
        return Err(AppError::Conflict(
            "a change is waiting for its invoice to be paid".into(),
        ));
    }
    recurring_in(tx, s, s.product_id, cycle, true)?.ok_or_else(|| {
        AppError::invalid("billing_cycle", "this service is not sold for that cycle")
    })
}

fn parse_cycle(text: &str) -> Result<BillingCycle> {
    text.trim()
        .parse()
        .map_err(|_| AppError::invalid("billing_cycle", "is not a billing cycle"))
}

/// Bill the service in another cycle from its next due date (the current
/// paid period stays as it is). The renewal price is the catalog's now,
/// so a recurring promotion on the old cycle ends; its recurring addons
/// move to the new cycle at their prices in it (a cycle one of them is not
/// sold in is refused).
pub fn change_cycle(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
    cycle: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServiceRecord> {
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        let cycle = parse_cycle(cycle)?;
        let amount = checked(tx, &s, cycle)?;
        let addon_prices = addons_in(tx, &s, cycle)?.ok_or_else(|| {
            AppError::invalid(
                "billing_cycle",
                "an addon of this service is not sold for that cycle",
            )
        })?;
        let now_s = stamp(now);
        orders::set_plan(tx, s.id, s.product_id, cycle.as_str(), amount, &now_s)?;
        for (id, price) in addon_prices {
            addons::set_cycle(tx, id, cycle.as_str(), price, &now_s)?;
        }
        if let Some(next) = s.next_due_date.as_deref() {
            // The old cycle's renewals not yet paid are invoiced again in
            // the new one; the new cycle counts from the end of what is
            // paid, so its periods keep their day of the month.
            billing::cancel_renewals_from(tx, s.id, next, "cycle_changed", now)?;
            let from = automation::billed_until(tx, s.id, next)?
                .filter(|until| until.as_str() > next)
                .unwrap_or_else(|| next.to_string());
            orders::set_period_anchor(tx, s.id, &from, &now_s)?;
        }
        audit_change(
            tx,
            principal,
            &c,
            "service.cycle_changed",
            &s,
            serde_json::json!({ "from": s.billing_cycle, "to": cycle.as_str(), "recurring_amount": amount }),
            meta,
            now,
        )?;
        let s = orders::find_service(tx, &s.id.to_string())?.ok_or(AppError::NotFound)?;
        record(tx, s)
    })
}

/// What asking for a cycle change now made: its invoice, and what the
/// unused part of the current period would credit if paid today.
#[derive(Debug, Clone)]
pub struct CycleChangeNow {
    pub record: ServiceRecord,
    pub invoice: Invoice,
    pub unused_credit: i64,
}

/// The unused part of the period `s` is in today that can go back as
/// credit: its plan price for the days left, capped at the money left of
/// what paid for it.
fn unused(
    conn: &Connection,
    s: &Service,
    today: jiff::civil::Date,
) -> Result<Option<(paid_periods::Held, i64)>> {
    let Some(held) = paid_periods::current(conn, s, today)? else {
        return Ok(None);
    };
    let left = cycle::days_between(today, held.end);
    let worth = proration::prorate(held.plan_price, left, held.days())
        .ok_or_else(|| AppError::internal("proration out of range"))?;
    let credit = worth.min(paid_periods::value_left(conn, &held)?);
    Ok(Some((held, credit)))
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
        if s.status != "active" {
            return Err(AppError::Conflict(format!("the service is {}", s.status)));
        }
        if !recurring_addons(tx, &s)?.is_empty() {
            return Err(AppError::invalid(
                "effective",
                "a service with recurring addons changes its cycle from the next due date",
            ));
        }
        let day = today(now);
        let Some((held, credit)) = unused(tx, &s, day)? else {
            return Err(AppError::Conflict(
                "the service has no paid period to change from".into(),
            ));
        };
        if let Some(ahead) = paid_periods::later(tx, &s, &held)?.last() {
            return Err(AppError::Conflict(format!(
                "the service is paid until {}; change the cycle from the next due date instead",
                ahead.end
            )));
        }
        if automation::has_shared_unpaid_renewal(tx, s.id, &held.end.to_string())? {
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
        if !matches!(s.status.as_str(), "active" | "suspended") {
            // Ended meanwhile: the money stays on the paid invoice for staff.
            service_changes::set_change_status(tx, change.id, "cancelled", &now_s)?;
            continue;
        }
        let cycle: BillingCycle = change.billing_cycle.parse().map_err(AppError::internal)?;
        let day = today(now);
        let credit = match unused(tx, &s, day)? {
            Some((held, credit)) => {
                let id = paid_periods::record(tx, s.id, &held, now)?;
                let given = paid_periods::give_back(tx, id, credit, now)?;
                service_periods::cut(tx, id, &day.to_string(), &now_s)?;
                given
            }
            None => 0,
        };
        // Overdue: the new period starts when the unpaid time began.
        let start = match s.next_due_date.as_deref().and_then(|d| d.parse().ok()) {
            Some(due) if due < day => due,
            _ => day,
        };
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
