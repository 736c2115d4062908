//! The addons a service could add, with their prices for its cycle.

use crate::domain::cycle::period_from;
use crate::domain::time::today;
use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;

use crate::domain::status::ServiceStatus;
use crate::{
    auth::principal::Principal,
    db::Db,
    domain::{
        cycle::{self, BillingCycle},
        proration,
    },
    error::{AppError, Result},
    service::{billing, billing::paid_periods, services::service_actions::owned},
    store::{
        addons::{self, Addon},
        automation,
        currencies::Currency,
        orders::Service,
    },
};

/// An addon the service could add now, priced.
#[derive(Debug, Clone)]
pub struct AddonOffer {
    pub addon: Addon,
    /// The service's cycle, or `onetime`.
    pub cycle: String,
    /// What it renews at (0 for a one-time addon).
    pub recurring: i64,
    /// What is charged now, line by line (description, minor units).
    pub lines: Vec<(String, i64)>,
}

impl AddonOffer {
    pub fn due_now(&self) -> i64 {
        self.lines.iter().map(|(_, a)| a).sum()
    }
}

/// What adding `addon` to `s` costs today, or `None` when it is not sold
/// for this service (not attached to its product, not visible, no price in
/// the service's cycle or one-time in its currency).
pub(super) fn offer(
    conn: &Connection,
    s: &Service,
    addon: Addon,
    today: Date,
) -> Result<Option<AddonOffer>> {
    if addon.status != "visible" || !addons::products_of(conn, addon.id)?.contains(&s.product_id) {
        return Ok(None);
    }
    let prices = addons::prices(conn, addon.id)?;
    let in_currency = |cycle: &str| {
        prices
            .iter()
            .find(|p| p.currency == s.currency && p.cycle == cycle)
            .cloned()
    };
    let Some(price) = in_currency(&s.billing_cycle).or_else(|| in_currency("onetime")) else {
        return Ok(None);
    };
    let mut lines = Vec::new();
    let recurring = if price.cycle == "onetime" {
        lines.push((format!("Addon: {}", addon.name), price.price));
        0
    } else {
        let cycle: BillingCycle = s.billing_cycle.parse().map_err(AppError::internal)?;
        let Some(held) = paid_periods::current(conn, s, today)? else {
            // Overdue (or not started): no current period to prorate.
            return Ok(None);
        };
        // The current period may still run in the cycle the service is
        // leaving: the addon's price in that cycle is what its days cost.
        let Some(period_price) = in_currency(held.cycle.as_str()) else {
            return Ok(None);
        };
        let end = held.end;
        let (left, days) = (cycle::days_between(today, end), held.days());
        let now_part = proration::prorate(period_price.price, left, days)
            .ok_or_else(|| AppError::internal("proration out of range"))?;
        let last = end.yesterday().unwrap_or(end);
        lines.push((
            format!(
                "Addon: {} {today} to {last} ({left} of {days} days)",
                addon.name
            ),
            now_part,
        ));
        // Periods already invoiced renew without this addon: charge them
        // here so none is given away.
        let anchor: Option<Date> = s.anchor().and_then(|d| d.parse().ok());
        if let Some(until) = automation::billed_until(conn, s.id, &end.to_string())?
            .and_then(|d| d.parse::<Date>().ok())
        {
            let mut from = end;
            while from < until {
                let Some((ps, pe)) = period_from(anchor, cycle, from) else {
                    break;
                };
                let last = pe.yesterday().unwrap_or(pe);
                lines.push((format!("Addon: {} {ps} to {last}", addon.name), price.price));
                from = pe;
            }
        }
        price.price
    };
    if price.setup_fee > 0 {
        lines.push((format!("Addon setup: {}", addon.name), price.setup_fee));
    }
    Ok(Some(AddonOffer {
        addon,
        cycle: price.cycle,
        recurring,
        lines,
    }))
}

/// The addons the service could add now, with what each costs today: the
/// visible addons of its product it does not hold yet. Only an active
/// service can add one.
pub fn offers(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
    now: Timestamp,
) -> Result<(Service, Currency, Vec<AddonOffer>)> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        let currency = billing::currency(c, &s.currency)?;
        let mut out = Vec::new();
        if s.status == ServiceStatus::Active {
            for a in addons::of_product(c, s.product_id, &["visible"])? {
                if addons::holds(c, s.id, a.id)? {
                    continue;
                }
                if let Some(o) = offer(c, &s, a, today(now))? {
                    out.push(o);
                }
            }
        }
        Ok((s, currency, out))
    })
}
