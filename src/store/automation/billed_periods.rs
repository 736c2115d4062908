//! Periods already billed: how far a service is paid or invoiced, and
//! each period's outcome.

use rusqlite::{Connection, OptionalExtension, params};

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
