//! The `cancellation_requests` and `service_changes` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct CancellationRequest {
    pub service_id: i64,
    pub kind: String,
    pub reason: String,
    pub done_at: Option<String>,
    pub created_at: String,
}

pub fn insert_cancellation(
    conn: &Connection,
    service_id: i64,
    kind: &str,
    reason: &str,
    requested_by: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO cancellation_requests (service_id, kind, reason, requested_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (service_id) DO NOTHING",
        )?
        .execute(params![service_id, kind, reason, requested_by, now])?
        == 1)
}

pub fn cancellation_of(
    conn: &Connection,
    service_id: i64,
) -> rusqlite::Result<Option<CancellationRequest>> {
    conn.prepare_cached(
        "SELECT service_id, kind, reason, done_at, created_at FROM cancellation_requests
         WHERE service_id = ?1",
    )?
    .query_row([service_id], |r| {
        Ok(CancellationRequest {
            service_id: r.get(0)?,
            kind: r.get(1)?,
            reason: r.get(2)?,
            done_at: r.get(3)?,
            created_at: r.get(4)?,
        })
    })
    .optional()
}

pub fn mark_cancellation_done(
    conn: &Connection,
    service_id: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE cancellation_requests SET done_at = ?2 WHERE service_id = ?1 AND done_at IS NULL",
    )?
    .execute(params![service_id, now])?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ServiceChange {
    pub id: i64,
    pub service_id: i64,
    pub from_product_id: i64,
    pub to_product_id: i64,
    pub billing_cycle: String,
    pub new_recurring: i64,
    pub amount: i64,
    pub invoice_id: Option<i64>,
    pub status: String,
    pub created_at: String,
    /// `plan` (another product) or `cycle` (another cycle, starting now).
    pub kind: String,
}

const COLUMNS: &str = "id, service_id, from_product_id, to_product_id, billing_cycle, new_recurring, \
     amount, invoice_id, status, created_at, kind";

fn change_from_row(r: &Row<'_>) -> rusqlite::Result<ServiceChange> {
    Ok(ServiceChange {
        id: r.get(0)?,
        service_id: r.get(1)?,
        from_product_id: r.get(2)?,
        to_product_id: r.get(3)?,
        billing_cycle: r.get(4)?,
        new_recurring: r.get(5)?,
        amount: r.get(6)?,
        invoice_id: r.get(7)?,
        status: r.get(8)?,
        created_at: r.get(9)?,
        kind: r.get(10)?,
    })
}

pub struct NewChange<'a> {
    pub kind: &'a str,
    pub service_id: i64,
    pub from_product_id: i64,
    pub to_product_id: i64,
    pub billing_cycle: &'a str,
    pub new_recurring: i64,
    pub amount: i64,
    pub invoice_id: Option<i64>,
    pub status: &'a str,
    pub now: &'a str,
}

pub fn insert_change(conn: &Connection, c: &NewChange<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO service_changes (service_id, from_product_id, to_product_id, billing_cycle,
            new_recurring, amount, invoice_id, status, created_at, applied_at, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN ?8 = 'applied' THEN ?9 END, ?10)",
    )?
    .execute(params![
        c.service_id,
        c.from_product_id,
        c.to_product_id,
        c.billing_cycle,
        c.new_recurring,
        c.amount,
        c.invoice_id,
        c.status,
        c.now,
        c.kind
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn pending_of_service(
    conn: &Connection,
    service_id: i64,
) -> rusqlite::Result<Option<ServiceChange>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM service_changes WHERE service_id = ?1 AND status = 'pending'"
    ))?
    .query_row([service_id], change_from_row)
    .optional()
}

pub fn pending_of_invoice(
    conn: &Connection,
    invoice_id: i64,
) -> rusqlite::Result<Vec<ServiceChange>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM service_changes WHERE invoice_id = ?1 AND status = 'pending'"
    ))?
    .query_map([invoice_id], change_from_row)?
    .collect()
}

pub fn set_change_status(
    conn: &Connection,
    id: i64,
    status: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_changes SET status = ?2,
            applied_at = CASE WHEN ?2 = 'applied' THEN ?3 ELSE applied_at END
         WHERE id = ?1 AND status = 'pending'",
    )?
    .execute(params![id, status, now])?;
    Ok(())
}
