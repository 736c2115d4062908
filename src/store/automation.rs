//! What the billing automation reads and marks: services whose next period
//! may need an invoice, periods already billed, reminders sent, late fees,
//! overdue services and stale orders.

use rusqlite::{Connection, OptionalExtension, Row, params};

/// A service that may need a renewal invoice.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub service_id: i64,
    pub client_id: i64,
    pub product: String,
    pub domain: Option<String>,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount: i64,
    /// Where its periods are counted from (its registration date, or
    /// where its cycle last changed).
    pub registration_date: Option<String>,
    pub next_due_date: String,
    /// The end of the latest period billed from the next due date on.
    pub billed_until: Option<String>,
}

fn candidate(r: &Row<'_>) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        service_id: r.get(0)?,
        client_id: r.get(1)?,
        product: r.get(2)?,
        domain: r.get(3)?,
        billing_cycle: r.get(4)?,
        currency: r.get(5)?,
        recurring_amount: r.get(6)?,
        registration_date: r.get(7)?,
        next_due_date: r.get(8)?,
        billed_until: r.get(9)?,
    })
}

const CANDIDATE: &str = "SELECT s.id, s.client_id, p.name, s.domain, s.billing_cycle, s.currency,
        s.recurring_amount, COALESCE(s.period_anchor, s.registration_date), s.next_due_date,
        (SELECT MAX(ii.period_end) FROM invoice_items ii
          WHERE ii.service_id = s.id AND ii.kind = 'service' AND ii.period_start IS NOT NULL
            AND ii.period_start >= s.next_due_date AND ii.period_outcome IS NOT 'released')
     FROM services s JOIN products p ON p.id = s.product_id
     WHERE s.status IN ('active', 'suspended') AND s.next_due_date IS NOT NULL
       AND s.next_due_date <= ?1 AND s.billing_cycle <> 'onetime' AND s.cancel_at_period_end = 0";

/// The next clients (after `after_client`) with a service due by `horizon`.
pub fn candidate_clients(
    conn: &Connection,
    horizon: &str,
    after_client: i64,
    limit: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT client_id FROM services
         WHERE status IN ('active', 'suspended') AND next_due_date IS NOT NULL AND next_due_date <= ?1
           AND billing_cycle <> 'onetime' AND cancel_at_period_end = 0 AND client_id > ?2
         ORDER BY client_id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![horizon, after_client, limit], |r| r.get(0))?;
    rows.collect()
}

/// The candidate services of the clients from `first` to `last`.
pub fn candidates_of_clients(
    conn: &Connection,
    horizon: &str,
    first: i64,
    last: i64,
) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CANDIDATE} AND s.client_id BETWEEN ?2 AND ?3 ORDER BY s.client_id, s.id"
    ))?;
    let rows = stmt.query_map(params![horizon, first, last], candidate)?;
    rows.collect()
}

/// One service as a candidate, whatever its due date.
pub fn candidate_service(
    conn: &Connection,
    service_id: i64,
) -> rusqlite::Result<Option<Candidate>> {
    conn.prepare_cached(&format!("{CANDIDATE} AND s.id = ?2"))?
        .query_row(params!["9999-12-31", service_id], candidate)
        .optional()
}

/// The end of a period of the service that starts on `start` and was paid
/// (or waived by staff).
pub fn paid_period_end(
    conn: &Connection,
    service_id: i64,
    start: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT ii.period_end FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id
         WHERE ii.service_id = ?1 AND ii.kind = 'service' AND ii.period_start = ?2
           AND (i.status = 'paid' OR ii.period_outcome = 'waived')",
    )?
    .query_row(params![service_id, start], |r| r.get(0))
    .optional()
}

/// The end of the latest period of a service billed (and not released)
/// from `from` on.
pub fn billed_until(
    conn: &Connection,
    service_id: i64,
    from: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT MAX(period_end) FROM invoice_items
         WHERE service_id = ?1 AND kind = 'service' AND period_start IS NOT NULL
           AND period_start >= ?2 AND period_outcome IS NOT 'released'",
    )?
    .query_row(params![service_id, from], |r| r.get(0))
}

/// The services an invoice bills periods of.
pub fn services_billed_by(conn: &Connection, invoice_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT service_id FROM invoice_items
         WHERE invoice_id = ?1 AND kind = 'service' AND service_id IS NOT NULL AND period_start IS NOT NULL",
    )?;
    let rows = stmt.query_map([invoice_id], |r| r.get(0))?;
    rows.collect()
}

/// Mark the billed periods of a (cancelled) invoice `released` or `waived`
/// (a release becomes a waiver in the same transaction); answers the
/// services they belong to.
pub fn set_period_outcome(
    conn: &Connection,
    invoice_id: i64,
    outcome: &str,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "UPDATE invoice_items SET period_outcome = ?2
         WHERE invoice_id = ?1 AND kind = 'service' AND service_id IS NOT NULL
           AND period_start IS NOT NULL
         RETURNING service_id",
    )?;
    let mut ids: Vec<i64> = stmt
        .query_map(params![invoice_id, outcome], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Unpaid renewal invoices (no order) that bill a period of `service_id`
/// starting on or after `from`, and nothing of any other service.
pub fn unpaid_renewals_only_of(
    conn: &Connection,
    service_id: i64,
    from: &str,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT i.id FROM invoices i JOIN invoice_items ii ON ii.invoice_id = i.id
         WHERE i.status = 'unpaid' AND i.order_id IS NULL AND ii.kind = 'service'
           AND ii.service_id = ?1 AND ii.period_start >= ?2
           AND NOT EXISTS (SELECT 1 FROM invoice_items o WHERE o.invoice_id = i.id
                             AND o.service_id IS NOT NULL AND o.service_id <> ?1)
         ORDER BY i.id",
    )?;
    let rows = stmt.query_map(params![service_id, from], |r| r.get(0))?;
    rows.collect()
}

/// Whether an unpaid renewal invoice bills a period of the service from
/// `from` on together with another service (so it cannot be cancelled
/// for this one alone).
pub fn has_shared_unpaid_renewal(
    conn: &Connection,
    service_id: i64,
    from: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM invoices i JOIN invoice_items ii ON ii.invoice_id = i.id
         WHERE i.status = 'unpaid' AND i.order_id IS NULL AND ii.kind = 'service'
           AND ii.service_id = ?1 AND ii.period_start >= ?2
           AND EXISTS (SELECT 1 FROM invoice_items o WHERE o.invoice_id = i.id
                         AND o.service_id IS NOT NULL AND o.service_id <> ?1))",
    )?
    .query_row(params![service_id, from], |r| r.get(0))
}

/// An active addon renewing with its service, priced for the service's
/// cycle now (`None`: the addon has no price in that cycle).
#[derive(Debug, Clone)]
pub struct RenewingAddon {
    pub service_id: i64,
    pub name: String,
    pub amount: Option<i64>,
}

/// The renewing addons of the services of clients `first` to `last`.
pub fn renewing_addons_of_clients(
    conn: &Connection,
    first: i64,
    last: i64,
) -> rusqlite::Result<Vec<RenewingAddon>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sa.service_id, a.name,
            CASE WHEN sa.billing_cycle = s.billing_cycle THEN sa.recurring_amount ELSE ap.price END
         FROM service_addons sa
         JOIN services s ON s.id = sa.service_id
         JOIN addons a ON a.id = sa.addon_id
         LEFT JOIN addon_prices ap ON ap.addon_id = sa.addon_id AND ap.currency = s.currency
                                  AND ap.cycle = s.billing_cycle
         WHERE sa.status = 'active' AND sa.billing_cycle <> 'onetime'
           AND s.client_id BETWEEN ?1 AND ?2
         ORDER BY sa.service_id, sa.id",
    )?;
    let rows = stmt.query_map(params![first, last], |r| {
        Ok(RenewingAddon {
            service_id: r.get(0)?,
            name: r.get(1)?,
            amount: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// Move a service's next due date forward (never back).
pub fn set_next_due(
    conn: &Connection,
    service_id: i64,
    date: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE services SET next_due_date = ?2, updated_at = ?3
             WHERE id = ?1 AND next_due_date < ?2",
        )?
        .execute(params![service_id, date, now])?
        == 1)
}

/// A service's status and why it is suspended.
pub fn service_state(
    conn: &Connection,
    service_id: i64,
) -> rusqlite::Result<Option<(String, Option<String>)>> {
    conn.prepare_cached("SELECT status, suspended_reason FROM services WHERE id = ?1")?
        .query_row([service_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// Does the service have an unpaid invoice due on or before `date`?
pub fn has_unpaid_due_by(conn: &Connection, service_id: i64, date: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id
           WHERE ii.service_id = ?1 AND i.status = 'unpaid' AND i.due_date <= ?2)",
    )?
    .query_row(params![service_id, date], |r| r.get(0))
}

/// Move a service from one of `from` to `to`, recording why it is
/// suspended (NULL otherwise); answers whether it moved.
pub fn set_service_status(
    conn: &Connection,
    service_id: i64,
    from: &[&str; 2],
    to: &str,
    suspended_reason: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE services SET status = ?4, suspended_reason = ?5,
                suspended_at = CASE WHEN ?4 = 'suspended' THEN ?6 ELSE NULL END,
                cancelled_at = CASE WHEN ?4 = 'cancelled' THEN ?6 ELSE cancelled_at END,
                updated_at = ?6
             WHERE id = ?1 AND status IN (?2, ?3)",
        )?
        .execute(params![
            service_id,
            from[0],
            from[1],
            to,
            suspended_reason,
            now
        ])?
        == 1)
}

/// Ask for a service to be cancelled when its paid period ends.
pub fn set_cancel_at_period_end(
    conn: &Connection,
    service_id: i64,
    reason: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE services SET cancel_at_period_end = 1, cancellation_reason = ?2, updated_at = ?3
             WHERE id = ?1 AND status IN ('active', 'suspended')",
        )?
        .execute(params![service_id, reason, now])?
        == 1)
}

/// An unpaid invoice the dunning steps look at.
#[derive(Debug, Clone)]
pub struct Unpaid {
    pub id: i64,
    pub client_id: i64,
    pub currency: String,
    pub total: i64,
    pub issue_date: String,
    pub due_date: String,
}

/// Unpaid invoices (after `after_id`) due between `from` and `to`.
pub fn unpaid_due_between(
    conn: &Connection,
    from: &str,
    to: &str,
    after_id: i64,
    limit: i64,
) -> rusqlite::Result<Vec<Unpaid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, client_id, currency, total, issue_date, due_date FROM invoices
         WHERE status = 'unpaid' AND due_date BETWEEN ?1 AND ?2 AND id > ?3
           AND total > credit_applied + amount_paid
         ORDER BY id LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![from, to, after_id, limit], |r| {
        Ok(Unpaid {
            id: r.get(0)?,
            client_id: r.get(1)?,
            currency: r.get(2)?,
            total: r.get(3)?,
            issue_date: r.get(4)?,
            due_date: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// Record that a reminder or notice was sent; false if it already was.
pub fn mark_sent(
    conn: &Connection,
    invoice_id: i64,
    kind: &str,
    step: i64,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO reminders_sent (invoice_id, kind, step, sent_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![invoice_id, kind, step, now])?
        == 1)
}

/// Charge a late fee on an unpaid invoice once: the row, a `manual` line
/// and the totals; false if it was charged before.
pub fn add_late_fee(
    conn: &Connection,
    invoice_id: i64,
    amount: i64,
    description: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    let fresh = conn
        .prepare_cached(
            "INSERT INTO late_fees (invoice_id, amount, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![invoice_id, amount, now])?
        == 1;
    if !fresh {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO invoice_items (invoice_id, position, kind, description, quantity, unit_amount, amount)
         SELECT ?1, COALESCE(MAX(position), 0) + 1, 'manual', ?2, 1, ?3, ?3
         FROM invoice_items WHERE invoice_id = ?1",
    )?
    .execute(params![invoice_id, description, amount])?;
    conn.prepare_cached(
        "UPDATE invoices SET subtotal = subtotal + ?2, total = total + ?2, updated_at = ?3
         WHERE id = ?1 AND status = 'unpaid'",
    )?
    .execute(params![invoice_id, amount, now])?;
    Ok(true)
}

/// A service with an unpaid invoice overdue since `due_by` or earlier.
#[derive(Debug, Clone)]
pub struct Overdue {
    pub service_id: i64,
    pub client_id: i64,
    pub product: String,
    pub domain: Option<String>,
    /// The oldest overdue invoice: the cause.
    pub invoice_id: i64,
}

/// Services in `statuses` (after `after_id`) with an unpaid invoice due on
/// or before `due_by`.
pub fn overdue_services(
    conn: &Connection,
    statuses: &[&str; 2],
    due_by: &str,
    after_id: i64,
    limit: i64,
) -> rusqlite::Result<Vec<Overdue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.client_id, p.name, s.domain, MIN(i.id)
         FROM invoices i
         JOIN invoice_items ii ON ii.invoice_id = i.id AND ii.kind = 'service'
         JOIN services s ON s.id = ii.service_id
         JOIN products p ON p.id = s.product_id
         WHERE i.status = 'unpaid' AND i.due_date <= ?3 AND s.status IN (?1, ?2) AND s.id > ?4
         GROUP BY s.id ORDER BY s.id LIMIT ?5",
    )?;
    let rows = stmt.query_map(
        params![statuses[0], statuses[1], due_by, after_id, limit],
        |r| {
            Ok(Overdue {
                service_id: r.get(0)?,
                client_id: r.get(1)?,
                product: r.get(2)?,
                domain: r.get(3)?,
                invoice_id: r.get(4)?,
            })
        },
    )?;
    rows.collect()
}

/// Services (after `after_id`) set to cancel at period end whose paid
/// period ended by `today`.
pub fn ending_services(
    conn: &Connection,
    today: &str,
    after_id: i64,
    limit: i64,
) -> rusqlite::Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, client_id FROM services
         WHERE cancel_at_period_end = 1 AND status IN ('active', 'suspended')
           AND next_due_date <= ?1 AND id > ?2
         ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![today, after_id, limit], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    rows.collect()
}

/// Unpaid first invoices (after `after_id`) of pending orders placed on or
/// before `cutoff`.
pub fn stale_order_invoices(
    conn: &Connection,
    cutoff: &str,
    after_id: i64,
    limit: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id FROM invoices i JOIN orders o ON o.id = i.order_id
         WHERE i.status = 'unpaid' AND o.status = 'pending' AND o.created_at <= ?1 AND i.id > ?2
         ORDER BY i.id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![cutoff, after_id, limit], |r| r.get(0))?;
    rows.collect()
}

/// A service's client, product name and domain.
pub fn service_summary(
    conn: &Connection,
    service_id: i64,
) -> rusqlite::Result<Option<(i64, String, Option<String>)>> {
    conn.prepare_cached(
        "SELECT s.client_id, p.name, s.domain FROM services s JOIN products p ON p.id = s.product_id
         WHERE s.id = ?1",
    )?
    .query_row([service_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()
}

/// A service's next due date.
pub fn next_due(conn: &Connection, service_id: i64) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT next_due_date FROM services WHERE id = ?1")?
        .query_row([service_id], |r| r.get(0))
        .optional()?
        .flatten())
}

pub fn was_sent(
    conn: &Connection,
    invoice_id: i64,
    kind: &str,
    step: i64,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM reminders_sent WHERE invoice_id = ?1 AND kind = ?2 AND step = ?3)",
    )?
    .query_row(params![invoice_id, kind, step], |r| r.get(0))
}

pub fn late_fee_charged(conn: &Connection, invoice_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM late_fees WHERE invoice_id = ?1)")?
        .query_row([invoice_id], |r| r.get(0))
}
