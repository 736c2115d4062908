//! What moving a service to another plan costs today: per paid period
//! (the current one for its days left, any paid ahead in full), the
//! difference between the plan price the period is held at and the new
//! plan's price in that period's own cycle, a credit capped at what is
//! left of the money that paid for it (`paid_periods::value_left`).

use jiff::civil::Date;
use rusqlite::Connection;

use crate::{
    domain::{
        cycle::{self, BillingCycle},
        proration,
    },
    error::{AppError, Result},
    service::{
        billing::paid_periods::{self, Held},
        services::service_actions::recurring_in,
    },
    store::{catalog::Product, orders::Service},
};

/// What a move does to one paid period.
#[derive(Debug, Clone)]
pub struct PeriodPart {
    pub held: Held,
    /// Charged (> 0) or credited (< 0).
    pub amount: i64,
    /// The new plan's price in the period's cycle.
    pub plan_price: i64,
}

/// A product the service could move to, priced for now.
#[derive(Debug, Clone)]
pub struct PlanOption {
    pub product: Product,
    pub cycle: BillingCycle,
    /// What the new plan renews at.
    pub new_recurring: i64,
    /// Due now for the days left (negative: credited).
    pub amount_now: i64,
    pub days_left: i64,
    pub days_in_period: i64,
    /// The current period first, then any paid ahead.
    pub parts: Vec<PeriodPart>,
}

/// What moving `s` to `product` costs on `today`: per paid period, the
/// prorated difference of plan prices in that period's cycle, a credit
/// capped at what is left of the money that paid for it. `None` when the
/// plan is not sold in the cycles involved, when the service has no paid
/// period today, or when the periods would go both ways (one charged, one
/// credited), which no price list of one group should produce.
pub(crate) fn option_for(
    conn: &Connection,
    s: &Service,
    product: Product,
    today: Date,
) -> Result<Option<PlanOption>> {
    let Ok(cycle) = s.billing_cycle.parse::<BillingCycle>() else {
        return Ok(None);
    };
    let Some(new_recurring) = recurring_in(conn, s, product.id, cycle, false)? else {
        return Ok(None);
    };
    let Some(current) = paid_periods::current(conn, s, today)? else {
        return Ok(None);
    };
    let mut periods = vec![current];
    periods.extend(paid_periods::later(conn, s, &periods[0])?);
    let mut parts = Vec::new();
    for (i, held) in periods.into_iter().enumerate() {
        let price = if held.cycle == cycle {
            new_recurring
        } else {
            match recurring_in(conn, s, product.id, held.cycle, false)? {
                Some(p) => p,
                None => return Ok(None),
            }
        };
        let left = if i == 0 {
            cycle::days_between(today, held.end)
        } else {
            held.days()
        };
        let difference = proration::change_of_plan(held.plan_price, price, left, held.days())
            .ok_or_else(|| AppError::internal("proration out of range"))?;
        let amount = if difference < 0 {
            -(-difference).min(paid_periods::value_left(conn, &held)?)
        } else {
            difference
        };
        parts.push(PeriodPart {
            held,
            amount,
            plan_price: price,
        });
    }
    if parts.iter().any(|p| p.amount > 0) && parts.iter().any(|p| p.amount < 0) {
        return Ok(None);
    }
    let first = &parts[0];
    Ok(Some(PlanOption {
        product,
        cycle,
        new_recurring,
        amount_now: parts.iter().map(|p| p.amount).sum(),
        days_left: cycle::days_between(today, first.held.end),
        days_in_period: first.held.days(),
        parts,
    }))
}
