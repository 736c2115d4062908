//! Overdue services, services ending at period end, and stale order
//! invoices.

use rusqlite::{Connection, params};

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
