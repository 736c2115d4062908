//! Changing a service's billing cycle (reference 001 `/service/{id}/cycle`).
//!
//! From the next due date (the default): the paid period keeps its end,
//! and the periods after it follow the new cycle from there. Renewals of
//! the old cycle already invoiced and unpaid are released, to be invoiced
//! again in the new one; periods paid ahead run out first.
//!
//! Now: an invoice-first change. The invoice charges the new cycle's
//! first period; once it is paid the current period ends that day (and
//! any period paid ahead ends before it starts), the unused part goes to
//! account credit (never more than the money that paid for it and is
//! still on its invoice, `paid_periods`), and the new period starts. A
//! service overdue when it is paid starts its new period on its due date
//! instead, so no day goes unbilled.

mod now;

pub(crate) use now::apply_paid;
pub use now::{CycleChangeNow, change_now};

use jiff::Timestamp;
use rusqlite::Connection;

use crate::domain::status::ServiceStatus;
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{cycle::BillingCycle, time::stamp},
    error::{AppError, Result},
    service::{
        billing,
        services::service_actions::{ServiceRecord, audit_change, owned, record, recurring_in},
    },
    store::{
        addons, automation,
        orders::{self, Service},
        service_changes,
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
                && matches!(
                    a.status,
                    ServiceStatus::Active | ServiceStatus::Pending | ServiceStatus::Suspended
                )
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
    if !matches!(s.status, ServiceStatus::Active | ServiceStatus::Suspended) {
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

/// The owner of cycle-change lines: a paid change of billing cycle "now" starts the new cycle.
pub struct CycleChanges;

impl crate::service::billing::owner::LineOwner for CycleChanges {
    fn name(&self) -> &'static str {
        "cycle changes"
    }

    fn paid(
        &self,
        tx: &rusqlite::Connection,
        paid: &crate::service::billing::owner::PaidInvoice<'_>,
    ) -> crate::error::Result<()> {
        apply_paid(tx, paid.invoice.id, paid.now)
    }
}
