//! Which invoices a step looks at: the reminder and overdue windows, and
//! the steps an overdue invoice has reached.

use jiff::civil::Date;

use crate::{
    error::{AppError, Result},
    service::automation::AutomationSettings,
};

use super::batches::days;

pub(super) fn reminder_window(
    today: Date,
    s: &AutomationSettings,
) -> Result<Option<(String, String)>> {
    if s.reminder_days_before == 0 {
        return Ok(None);
    }
    Ok(Some((
        days(today, 1)?,
        days(today, i64::from(s.reminder_days_before))?,
    )))
}

pub(super) fn overdue_window(today: Date, s: &AutomationSettings) -> Result<Option<String>> {
    match s.overdue_reminder_days.first() {
        Some(first) => Ok(Some(days(today, -i64::from(*first))?)),
        None => Ok(None),
    }
}

/// The overdue steps an invoice due on `due` has reached by `today`.
pub(super) fn steps_reached(
    due: &str,
    today: Date,
    s: &AutomationSettings,
) -> Result<(i64, Vec<u32>)> {
    let due: Date = due.parse().map_err(AppError::internal)?;
    let late = (today - due).get_days().into();
    let late: i64 = late;
    Ok((
        late,
        s.overdue_reminder_days
            .iter()
            .copied()
            .filter(|d| i64::from(*d) <= late)
            .collect(),
    ))
}
