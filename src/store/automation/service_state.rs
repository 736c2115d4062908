//! A service's dates and status as the automation reads and moves them.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::status::ServiceStatus;

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
) -> rusqlite::Result<Option<(ServiceStatus, Option<String>)>> {
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
