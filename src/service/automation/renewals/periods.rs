//! The periods of a service due by a horizon (the one starting on a date
//! is `domain::cycle::period_from`).

use jiff::{Span, civil::Date};

use crate::{
    domain::cycle::{BillingCycle, period_from},
    error::{AppError, Result},
    service::automation::AutomationSettings,
    store::automation::Candidate,
};

use super::due::DueRenewal;

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
