//! What each period of a service was actually paid: the rule that credit
//! is never created. A period is recorded when it is paid (the first one
//! when the service goes live, a renewal when its invoice is paid, a
//! waived one with no money), with the money that paid for it (its funds:
//! net of discounts, before tax). Whatever is given back for unused time
//! (a downgrade, a cycle change that starts now) comes out of those funds,
//! and never more than their invoices still hold: a refund that emptied
//! the invoice leaves nothing to credit.

use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;

use crate::{
    domain::{
        cycle::{self, BillingCycle},
        time::stamp,
    },
    error::{AppError, Result},
    store::{
        invoices,
        orders::Service,
        service_periods::{self, NewPeriod, Period},
    },
};

/// The period a service is in today, as held: a recorded one, or (for a
/// service that never paid through till, such as one staff created) the
/// period its dates say, with no money behind it.
#[derive(Debug, Clone)]
pub struct Held {
    /// `None` until it is recorded (`record`).
    pub id: Option<i64>,
    pub start: Date,
    pub end: Date,
    pub cycle: BillingCycle,
    pub plan_price: i64,
}

impl Held {
    pub fn of(p: &Period) -> Result<Held> {
        Ok(Held {
            id: Some(p.id),
            start: p.period_start.parse().map_err(AppError::internal)?,
            end: p.period_end.parse().map_err(AppError::internal)?,
            cycle: p.billing_cycle.parse().map_err(AppError::internal)?,
            plan_price: p.plan_price,
        })
    }

    pub fn days(&self) -> i64 {
        cycle::days_between(self.start, self.end)
    }
}

/// The period `s` is in on `today`, if it has one that is paid (or has
/// dates that say so); `None` when it is overdue or not started.
pub fn current(conn: &Connection, s: &Service, today: Date) -> Result<Option<Held>> {
    if let Some(p) = service_periods::covering(conn, s.id, &today.to_string())? {
        return Held::of(&p).map(Some);
    }
    // No record: the period its anchor, cycle and next due date give.
    let Ok(cycle) = s.billing_cycle.parse::<BillingCycle>() else {
        return Ok(None);
    };
    let anchor: Option<Date> = s.anchor().and_then(|d| d.parse().ok());
    let next: Option<Date> = s.next_due_date.as_deref().and_then(|d| d.parse().ok());
    let (Some(anchor), Some(next)) = (anchor, next) else {
        return Ok(None);
    };
    let Some(index) = next
        .yesterday()
        .ok()
        .and_then(|d| cycle::period_index(anchor, cycle, d))
    else {
        return Ok(None);
    };
    let Some((start, end)) = cycle::period(anchor, cycle, index) else {
        return Ok(None);
    };
    Ok((start <= today && today < end).then_some(Held {
        id: None,
        start,
        end,
        cycle,
        plan_price: s.recurring_amount,
    }))
}

/// The paid periods of a service after `held` (paid ahead), oldest first.
pub fn later(conn: &Connection, s: &Service, held: &Held) -> Result<Vec<Held>> {
    service_periods::from(conn, s.id, &held.end.to_string())?
        .iter()
        .map(Held::of)
        .collect()
}

/// Make sure `held` is recorded; answers its id.
pub fn record(tx: &Connection, service_id: i64, held: &Held, now: Timestamp) -> Result<i64> {
    if let Some(id) = held.id {
        return Ok(id);
    }
    let (id, _) = service_periods::insert(
        tx,
        &NewPeriod {
            service_id,
            period_start: &held.start.to_string(),
            period_end: &held.end.to_string(),
            billing_cycle: held.cycle.as_str(),
            plan_price: held.plan_price,
            now: &stamp(now),
        },
    )?;
    Ok(id)
}

/// What of the money that paid for a period can still be given back.
pub fn value_left(conn: &Connection, held: &Held) -> Result<i64> {
    let Some(id) = held.id else {
        return Ok(0);
    };
    Ok(service_periods::funds(conn, id)?
        .iter()
        .map(|f| f.left())
        .sum())
}

/// Give back up to `wanted` of a period's money (last in, first out), each
/// part taken out of its fund's invoice. Answers what was given back,
/// which the caller credits.
pub fn give_back(tx: &Connection, period_id: i64, wanted: i64, now: Timestamp) -> Result<i64> {
    let now_s = stamp(now);
    let mut given = 0;
    for fund in service_periods::funds(tx, period_id)? {
        let part = fund.left().min(wanted - given);
        if part <= 0 {
            continue;
        }
        if !service_periods::return_from_fund(tx, fund.id, part)?
            || !invoices::give_back(tx, fund.invoice_id, part, &now_s)?
        {
            return Err(AppError::internal(
                "a period's fund changed under its change",
            ));
        }
        given += part;
    }
    Ok(given)
}

/// Money that paid for a period (an upgrade's charge).
pub fn add_fund(tx: &Connection, period_id: i64, invoice_id: i64, amount: i64) -> Result<()> {
    if amount > 0 {
        service_periods::add_fund(tx, period_id, invoice_id, amount)?;
    }
    Ok(())
}

/// The first period of a service that just went live: from its
/// activation to its first due date, funded by what the order charged for
/// it (the plan and its options, after the promotion, before tax).
pub fn record_first(tx: &Connection, s: &Service, now: Timestamp) -> Result<()> {
    let (Some(start), Some(end)) = (s.registration_date.as_deref(), s.next_due_date.as_deref())
    else {
        return Ok(());
    };
    let (id, new) = service_periods::insert(
        tx,
        &NewPeriod {
            service_id: s.id,
            period_start: start,
            period_end: end,
            billing_cycle: &s.billing_cycle,
            plan_price: s.recurring_amount,
            now: &stamp(now),
        },
    )?;
    let invoice = match s.order_id {
        Some(order) => invoices::of_order(tx, order)?,
        None => None,
    };
    if let (true, Some(invoice)) = (new, invoice) {
        let charged = match s.first_period_amount {
            Some(a) => a,
            None => service_periods::first_charge_on(tx, invoice.id, s.id)?,
        };
        add_fund(tx, id, invoice.id, charged.min(invoice.holds()))?;
    }
    Ok(())
}

/// The renewal periods a paid (or, with `waived`, staff-waived) invoice
/// paid for, each funded by its line. An order's own invoice is left to
/// `record_first`, which knows when its service really started.
pub fn record_renewals(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    let invoice = invoices::find(tx, &invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    if invoice.order_id.is_some() {
        return Ok(());
    }
    for line in service_periods::renewal_lines(tx, invoice_id)? {
        let (Ok(start), Ok(end)) = (
            line.period_start.parse::<Date>(),
            line.period_end.parse::<Date>(),
        ) else {
            continue;
        };
        let cycle = BillingCycle::of_period(start, end)
            .map(BillingCycle::as_str)
            .unwrap_or(&line.service_cycle);
        // The plan price of its cycle: what the service renews at, when it
        // still renews in that cycle, else what the line charged.
        let plan_price = if cycle == line.service_cycle {
            line.service_recurring
        } else {
            line.amount
        };
        let (id, new) = service_periods::insert(
            tx,
            &NewPeriod {
                service_id: line.service_id,
                period_start: &line.period_start,
                period_end: &line.period_end,
                billing_cycle: cycle,
                plan_price,
                now: &stamp(now),
            },
        )?;
        if new && !line.waived {
            add_fund(tx, id, invoice_id, line.amount.max(0))?;
        }
    }
    Ok(())
}
