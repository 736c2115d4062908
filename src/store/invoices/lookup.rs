//! Finding invoices: by id or number, by order, by client.

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{Page, PageRequest};

use super::invoice::{COLUMNS, Invoice, from_row};

/// An invoice by id, uuid or number.
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Invoice>> {
    let id = ident.parse::<i64>().ok();
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE id = ?1 OR uuid = ?2 OR number = ?2"
    ))?
    .query_row(params![id, ident], from_row)
    .optional()
}

pub fn of_order(conn: &Connection, order_id: i64) -> rusqlite::Result<Option<Invoice>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE order_id = ?1"
    ))?
    .query_row([order_id], from_row)
    .optional()
}

pub fn of_client(
    conn: &Connection,
    client_id: i64,
    status: Option<&str>,
    page: PageRequest,
) -> rusqlite::Result<Page<Invoice>> {
    let total = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM invoices WHERE client_id = ?1 AND (?2 IS NULL OR status = ?2)",
        )?
        .query_row(params![client_id, status], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE client_id = ?1 AND (?2 IS NULL OR status = ?2)
         ORDER BY id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(
            params![client_id, status, page.limit(), page.offset()],
            from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page { rows, total })
}

/// The invoice that already bills a domain's term from `period_start`
/// (a line of kind `domain` not released by a cancellation), whatever its
/// status: a term is billed once (`invoice_items_domain_period`).
pub fn billing_domain_period(
    conn: &Connection,
    domain_id: i64,
    period_start: &str,
) -> rusqlite::Result<Option<Invoice>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE id IN (
            SELECT invoice_id FROM invoice_items
            WHERE kind = 'domain' AND domain_id = ?1 AND period_start = ?2
              AND period_outcome IS NOT 'released')
         ORDER BY id LIMIT 1"
    ))?
    .query_row(params![domain_id, period_start], from_row)
    .optional()
}
