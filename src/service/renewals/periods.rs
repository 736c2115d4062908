//! A service's periods: the one starting on a date, the ones due by a
//! horizon.

use jiff::{Span, civil::Date};

use crate::{
    domain::cycle::{self, BillingCycle},
    error::{AppError, Result},
    service::automation::AutomationSettings,
    store::automation::Candidate,
};

use super::due::DueRenewal;

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
pub(super) fn periods_due(
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

pub(super) fn horizon(today: Date, s: &AutomationSettings) -> Result<String> {
    Ok(today
        .checked_add(Span::new().days(i64::from(s.max_days_before())))
        .map_err(AppError::internal)?
        .to_string())
}
