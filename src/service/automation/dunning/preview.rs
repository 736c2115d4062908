//! A dunning preview: what a run would do now, changing nothing.

use crate::domain::time::today;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::time::stamp,
    error::{AppError, Result},
    service::{automation::AutomationSettings, billing},
    store::automation::{self as store, Unpaid},
};

use super::batches::{BATCH, EPOCH, days};
use super::counts::DunningPreview;
use super::windows::{overdue_window, reminder_window, steps_reached};

/// What `run` would do at `now`, without doing it.
pub fn preview(
    conn: &Connection,
    now: Timestamp,
    s: &AutomationSettings,
) -> Result<DunningPreview> {
    let today = today(now);
    let mut p = DunningPreview::default();
    let all = |from: &str, to: &str| -> Result<Vec<Unpaid>> {
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = store::unpaid_due_between(conn, from, to, after, BATCH)?;
            let Some(last) = page.last().map(|u| u.id) else {
                return Ok(out);
            };
            out.extend(page);
            after = last;
        }
    };
    let sent = |id: i64, kind: &str, step: i64| -> Result<bool> {
        Ok(store::was_sent(conn, id, kind, step)?)
    };
    if let Some((from, to)) = reminder_window(today, s)? {
        for u in all(&from, &to)? {
            if u.issue_date < today.to_string()
                && !sent(u.id, "reminder", i64::from(s.reminder_days_before))?
            {
                p.reminders.push((u.id, u.due_date));
            }
        }
    }
    if let Some(to) = overdue_window(today, s)? {
        for u in all(EPOCH, &to)? {
            let (_, steps) = steps_reached(&u.due_date, today, s)?;
            if let Some(step) = steps.last()
                && !sent(u.id, "overdue", i64::from(*step))?
            {
                p.overdue_notices.push((u.id, u.due_date.clone(), *step));
            }
        }
    }
    if s.late_fee.enabled {
        for u in all(EPOCH, &days(today, -i64::from(s.late_fee.after_days))?)? {
            let charged = store::late_fee_charged(conn, u.id)?;
            let decimals = billing::currency(conn, &u.currency)?.decimals;
            if let (false, Some(fee)) = (charged, s.late_fee_on(u.total, decimals)) {
                p.late_fees.push((u.id, fee));
            }
        }
    }
    let overdue = |statuses: &[&str; 2], days_over: u32| -> Result<Vec<(i64, i64)>> {
        let due_by = days(today, -i64::from(days_over))?;
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = store::overdue_services(conn, statuses, &due_by, after, BATCH)?;
            let Some(last) = page.last().map(|o| o.service_id) else {
                return Ok(out);
            };
            out.extend(page.iter().map(|o| (o.service_id, o.invoice_id)));
            after = last;
        }
    };
    if let Some(d) = s.suspend_after_days {
        p.suspensions = overdue(&["active", "active"], d)?;
    }
    if let Some(d) = s.terminate_after_days {
        p.terminations = overdue(&["active", "suspended"], d)?;
    }
    p.cancellations = store::ending_services(conn, &today.to_string(), 0, i64::MAX)?
        .into_iter()
        .map(|e| e.0)
        .collect();
    if s.cancel_unpaid_orders_after_days > 0 {
        let cutoff = stamp(
            now.checked_sub(jiff::SignedDuration::from_hours(
                24 * i64::from(s.cancel_unpaid_orders_after_days),
            ))
            .map_err(AppError::internal)?,
        );
        p.stale_orders = store::stale_order_invoices(conn, &cutoff, 0, i64::MAX)?;
    }
    Ok(p)
}
