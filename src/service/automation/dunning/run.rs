//! One dunning run: every step in order, each in batches.

use crate::domain::time::today;
use jiff::Timestamp;

use crate::{
    auth::principal::RequestMeta,
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::{audit::Actor, automation, email::Branding},
    store::{automation as store, invoices},
};

use super::batches::{BATCH, EPOCH, days, in_batches};
use super::counts::DunningCounts;
use super::invoice_steps::{charge_late_fee, remind};
use super::service_steps::{end_cancelled, suspend, terminate};
use super::windows::{overdue_window, reminder_window, steps_reached};

/// Run every dunning step for `now`.
pub fn run(db: &Db, brand: &Branding, now: Timestamp) -> Result<DunningCounts> {
    let s = db.read(automation::load)?;
    let today = today(now);
    let now_s = stamp(now);
    let mut c = DunningCounts::default();

    if let Some((from, to)) = reminder_window(today, &s)? {
        let step = i64::from(s.reminder_days_before);
        let today_s = today.to_string();
        c.reminders = in_batches(
            db,
            |conn, after| Ok(store::unpaid_due_between(conn, &from, &to, after, BATCH)?),
            |u| u.id,
            |tx, u| {
                if u.issue_date >= today_s || !store::mark_sent(tx, u.id, "reminder", step, &now_s)?
                {
                    return Ok(false);
                }
                remind(tx, brand, u, None, now)?;
                Ok(true)
            },
        )?;
    }
    if let Some(to) = overdue_window(today, &s)? {
        c.overdue_notices = in_batches(
            db,
            |conn, after| Ok(store::unpaid_due_between(conn, EPOCH, &to, after, BATCH)?),
            |u| u.id,
            |tx, u| {
                let (late, steps) = steps_reached(&u.due_date, today, &s)?;
                let mut fresh = false;
                for step in steps {
                    fresh |= store::mark_sent(tx, u.id, "overdue", i64::from(step), &now_s)?;
                }
                if fresh {
                    remind(tx, brand, u, Some(late), now)?;
                }
                Ok(fresh)
            },
        )?;
    }
    if s.late_fee.enabled {
        let to = days(today, -i64::from(s.late_fee.after_days))?;
        c.late_fees = in_batches(
            db,
            |conn, after| Ok(store::unpaid_due_between(conn, EPOCH, &to, after, BATCH)?),
            |u| u.id,
            |tx, u| charge_late_fee(tx, &s, u, now),
        )?;
    }
    if let Some(d) = s.suspend_after_days {
        let due_by = days(today, -i64::from(d))?;
        c.suspended = in_batches(
            db,
            |conn, after| {
                Ok(store::overdue_services(
                    conn,
                    &["active", "active"],
                    &due_by,
                    after,
                    BATCH,
                )?)
            },
            |o| o.service_id,
            |tx, o| suspend(tx, brand, o, now),
        )?;
    }
    if let Some(d) = s.terminate_after_days {
        let due_by = days(today, -i64::from(d))?;
        c.terminated = in_batches(
            db,
            |conn, after| {
                Ok(store::overdue_services(
                    conn,
                    &["active", "suspended"],
                    &due_by,
                    after,
                    BATCH,
                )?)
            },
            |o| o.service_id,
            |tx, o| terminate(tx, brand, o, now),
        )?;
    }
    let today_s = today.to_string();
    c.cancelled = in_batches(
        db,
        |conn, after| Ok(store::ending_services(conn, &today_s, after, BATCH)?),
        |e| e.0,
        |tx, (service_id, client_id)| end_cancelled(tx, *service_id, *client_id, now),
    )?;
    if s.cancel_unpaid_orders_after_days > 0 {
        let cutoff = stamp(
            now.checked_sub(jiff::SignedDuration::from_hours(
                24 * i64::from(s.cancel_unpaid_orders_after_days),
            ))
            .map_err(AppError::internal)?,
        );
        c.orders_cancelled = in_batches(
            db,
            |conn, after| Ok(store::stale_order_invoices(conn, &cutoff, after, BATCH)?),
            |id| *id,
            |tx, id| {
                let invoice = invoices::find(tx, &id.to_string())?.ok_or(AppError::NotFound)?;
                crate::service::settlement::cancel_unpaid(
                    tx,
                    &invoice,
                    Actor::System,
                    &RequestMeta::default(),
                    now,
                    "stale_order",
                )
            },
        )?;
    }
    Ok(c)
}
