//! Chasing unpaid invoices: reminders before the due date, overdue notices,
//! the late fee, suspension and termination of overdue services, the end
//! of services cancelled at period end, and stale unpaid orders. Every
//! step is marked by a UNIQUE row or a guarded status change and works in
//! batches of one transaction each, so a re-run (or a run after a crash)
//! does nothing twice and a server that was down catches up.

use jiff::{Span, Timestamp, civil::Date};
use rusqlite::Connection;
use serde::Serialize;

use crate::{
    auth::principal::RequestMeta,
    db::Db,
    domain::{module_action::ModuleAction, time::stamp},
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        automation::{self, AutomationSettings},
        billing,
        email::{self, Branding},
        invoice_notices, notifications,
        orders::today,
        provisioning,
    },
    store::{
        automation::{self as store, Overdue, Unpaid},
        clients, invoices,
    },
};

const BATCH: i64 = 250;

/// What one dunning run did (or, in a preview, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DunningCounts {
    pub reminders: u64,
    pub overdue_notices: u64,
    pub late_fees: u64,
    pub suspended: u64,
    pub terminated: u64,
    pub cancelled: u64,
    pub orders_cancelled: u64,
}

impl DunningCounts {
    pub fn total(&self) -> u64 {
        self.reminders
            + self.overdue_notices
            + self.late_fees
            + self.suspended
            + self.terminated
            + self.cancelled
            + self.orders_cancelled
    }
}

/// What the next run would do, for `till jobs preview`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DunningPreview {
    /// (invoice id, due date)
    pub reminders: Vec<(i64, String)>,
    /// (invoice id, due date, step in days)
    pub overdue_notices: Vec<(i64, String, u32)>,
    /// (invoice id, fee in minor units)
    pub late_fees: Vec<(i64, i64)>,
    /// (service id, invoice id)
    pub suspensions: Vec<(i64, i64)>,
    pub terminations: Vec<(i64, i64)>,
    /// Services cancelled at period end.
    pub cancellations: Vec<i64>,
    /// Invoices of stale orders.
    pub stale_orders: Vec<i64>,
}

fn days(d: Date, n: i64) -> Result<String> {
    Ok(d.checked_add(Span::new().days(n))
        .map_err(AppError::internal)?
        .to_string())
}

const EPOCH: &str = "0000-01-01";

/// Page through `fetch` (after the last id) running `each` on every item,
/// one write transaction per page.
fn in_batches<T>(
    db: &Db,
    fetch: impl Fn(&Connection, i64) -> Result<Vec<T>>,
    id: impl Fn(&T) -> i64,
    each: impl Fn(&Connection, &T) -> Result<bool>,
) -> Result<u64> {
    let mut after = 0;
    let mut count = 0;
    loop {
        let (n, last) = db.write(|tx| {
            let items = fetch(tx, after)?;
            let mut n = 0;
            for item in &items {
                if each(tx, item)? {
                    n += 1;
                }
            }
            Ok((n, items.last().map(&id)))
        })?;
        count += n;
        match last {
            Some(last) => after = last,
            None => return Ok(count),
        }
    }
}

fn reminder_window(today: Date, s: &AutomationSettings) -> Result<Option<(String, String)>> {
    if s.reminder_days_before == 0 {
        return Ok(None);
    }
    Ok(Some((
        days(today, 1)?,
        days(today, i64::from(s.reminder_days_before))?,
    )))
}

fn overdue_window(today: Date, s: &AutomationSettings) -> Result<Option<String>> {
    match s.overdue_reminder_days.first() {
        Some(first) => Ok(Some(days(today, -i64::from(*first))?)),
        None => Ok(None),
    }
}

/// The overdue steps an invoice due on `due` has reached by `today`.
fn steps_reached(due: &str, today: Date, s: &AutomationSettings) -> Result<(i64, Vec<u32>)> {
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
                billing::cancel_unpaid(
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

fn remind(
    tx: &Connection,
    brand: &Branding,
    u: &Unpaid,
    late: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let invoice = invoices::find(tx, &u.id.to_string())?.ok_or(AppError::NotFound)?;
    let client = clients::find(tx, u.client_id)?.ok_or(AppError::NotFound)?;
    invoice_notices::reminder(tx, brand, &client, &invoice, late, now)
}

fn charge_late_fee(
    tx: &Connection,
    s: &AutomationSettings,
    u: &Unpaid,
    now: Timestamp,
) -> Result<bool> {
    let currency = billing::currency(tx, &u.currency)?;
    let Some(fee) = s.late_fee_on(u.total, currency.decimals) else {
        return Ok(false);
    };
    let description = format!("Late fee (invoice due {})", u.due_date);
    if !store::add_late_fee(tx, u.id, fee, &description, &stamp(now))? {
        return Ok(false);
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: "invoice.late_fee",
            subject: Some(("invoice", u.id)),
            client_id: Some(u.client_id),
            ip: None,
            details: serde_json::json!({ "amount": fee }),
        },
    )?;
    Ok(true)
}

/// Change a service's status, ask its module to follow (once per cause)
/// and write the audit row, in the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn change(
    tx: &Connection,
    service_id: i64,
    client_id: i64,
    from: &[&str; 2],
    to: &str,
    reason: Option<&str>,
    action: ModuleAction,
    dedupe: &str,
    now: Timestamp,
) -> Result<bool> {
    let now_s = stamp(now);
    if !store::set_service_status(tx, service_id, from, to, reason, &now_s)? {
        return Ok(false);
    }
    provisioning::request(
        tx,
        service_id,
        action,
        &serde_json::json!({ "reason": reason.unwrap_or(to) }),
        Some(dedupe),
        now,
    )?;
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: match to {
                "suspended" => "service.suspended",
                "active" => "service.unsuspended",
                "terminated" => "service.terminated",
                _ => "service.cancelled",
            },
            subject: Some(("service", service_id)),
            client_id: Some(client_id),
            ip: None,
            details: serde_json::json!({ "cause": dedupe }),
        },
    )?;
    Ok(true)
}

fn notify(
    tx: &Connection,
    brand: &Branding,
    client_id: i64,
    product: String,
    domain: Option<String>,
    to: &str,
    now: Timestamp,
) -> Result<()> {
    let client = clients::find(tx, client_id)?.ok_or(AppError::NotFound)?;
    let what = match &domain {
        Some(d) => format!("{product} ({d})"),
        None => product.clone(),
    };
    let title = match to {
        "suspended" => format!("{what} is suspended"),
        "active" => format!("{what} is active again"),
        "terminated" => format!("{what} was terminated"),
        _ => format!("{what} was cancelled"),
    };
    notifications::notify(
        tx,
        client_id,
        &format!("service_{to}"),
        &title,
        "",
        "/account/services",
        now,
    )?;
    let (name, link) = (client.display_name(), brand.link("/account"));
    let brand = brand.clone();
    match to {
        "suspended" => email::queue(
            tx,
            now,
            &client.email,
            &email::ServiceSuspended {
                brand,
                name,
                product,
                domain,
                link,
            },
        )?,
        "active" => email::queue(
            tx,
            now,
            &client.email,
            &email::ServiceUnsuspended {
                brand,
                name,
                product,
                domain,
                link,
            },
        )?,
        _ => email::queue(
            tx,
            now,
            &client.email,
            &email::ServiceTerminated {
                brand,
                name,
                product,
                domain,
                link,
            },
        )?,
    };
    Ok(())
}

fn suspend(tx: &Connection, brand: &Branding, o: &Overdue, now: Timestamp) -> Result<bool> {
    let key = format!("suspend:{}:{}", o.service_id, o.invoice_id);
    if !change(
        tx,
        o.service_id,
        o.client_id,
        &["active", "active"],
        "suspended",
        Some("overdue"),
        ModuleAction::Suspend,
        &key,
        now,
    )? {
        return Ok(false);
    }
    notify(
        tx,
        brand,
        o.client_id,
        o.product.clone(),
        o.domain.clone(),
        "suspended",
        now,
    )?;
    Ok(true)
}

fn terminate(tx: &Connection, brand: &Branding, o: &Overdue, now: Timestamp) -> Result<bool> {
    let key = format!("terminate:{}:{}", o.service_id, o.invoice_id);
    if !change(
        tx,
        o.service_id,
        o.client_id,
        &["active", "suspended"],
        "terminated",
        None,
        ModuleAction::Terminate,
        &key,
        now,
    )? {
        return Ok(false);
    }
    notify(
        tx,
        brand,
        o.client_id,
        o.product.clone(),
        o.domain.clone(),
        "terminated",
        now,
    )?;
    Ok(true)
}

fn end_cancelled(tx: &Connection, service_id: i64, client_id: i64, now: Timestamp) -> Result<bool> {
    let key = format!("terminate:{service_id}:cancelled");
    change(
        tx,
        service_id,
        client_id,
        &["active", "suspended"],
        "cancelled",
        None,
        ModuleAction::Terminate,
        &key,
        now,
    )
}

/// Resume a service suspended for non-payment, now that `invoice_id` paid
/// what was overdue (called from `renewals::advance_paid`).
pub(crate) fn unsuspend(
    tx: &Connection,
    brand: &Branding,
    service_id: i64,
    invoice_id: i64,
    now: Timestamp,
) -> Result<bool> {
    let Some((client_id, product, domain)) = store::service_summary(tx, service_id)? else {
        return Ok(false);
    };
    let key = format!("unsuspend:{service_id}:{invoice_id}");
    if !change(
        tx,
        service_id,
        client_id,
        &["suspended", "suspended"],
        "active",
        None,
        ModuleAction::Unsuspend,
        &key,
        now,
    )? {
        return Ok(false);
    }
    notify(tx, brand, client_id, product, domain, "active", now)?;
    Ok(true)
}
