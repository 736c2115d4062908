//! Writing a service's addons: inserted, activated, ordered, cancelled,
//! and following the service's dates and cycle.

use rusqlite::{Connection, params};

use super::service_addon::{SERVICE_ADDON_COLUMNS, ServiceAddon, service_addon_from_row};

pub struct NewServiceAddon<'a> {
    pub uuid: &'a str,
    pub service_id: i64,
    pub addon_id: i64,
    pub billing_cycle: &'a str,
    pub currency: &'a str,
    pub recurring_amount: i64,
    pub now: &'a str,
}

pub fn insert_service_addon(conn: &Connection, a: &NewServiceAddon<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO service_addons (uuid, service_id, addon_id, billing_cycle, currency,
            recurring_amount, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        a.uuid,
        a.service_id,
        a.addon_id,
        a.billing_cycle,
        a.currency,
        a.recurring_amount,
        a.now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Make a pending service addon active; false when it was not pending.
pub fn activate_service_addon(
    conn: &Connection,
    id: i64,
    registration_date: &str,
    next_due_date: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE service_addons SET status = 'active', registration_date = ?2, next_due_date = ?3,
                activated_at = ?4, updated_at = ?4
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, registration_date, next_due_date, now])?;
    Ok(n == 1)
}

/// Cancel the pending addons of an order's services.
pub fn cancel_pending_of_order(
    conn: &Connection,
    order_id: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_addons SET status = 'cancelled', updated_at = ?2
         WHERE status = 'pending' AND service_id IN (SELECT id FROM services WHERE order_id = ?1)",
    )?
    .execute(params![order_id, now])?;
    Ok(())
}

/// An addon ordered for a live service, waiting for `invoice_id` (or, with
/// no invoice, free and started by the caller at once).
pub fn insert_ordered(
    conn: &Connection,
    a: &NewServiceAddon<'_>,
    invoice_id: Option<i64>,
) -> rusqlite::Result<i64> {
    let id = insert_service_addon(conn, a)?;
    conn.prepare_cached("UPDATE service_addons SET invoice_id = ?2 WHERE id = ?1")?
        .execute(params![id, invoice_id])?;
    Ok(id)
}

/// The pending addons an invoice charges for.
pub fn pending_of_invoice(
    conn: &Connection,
    invoice_id: i64,
) -> rusqlite::Result<Vec<ServiceAddon>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVICE_ADDON_COLUMNS} FROM service_addons
         WHERE invoice_id = ?1 AND status = 'pending' ORDER BY id"
    ))?;
    let rows = stmt.query_map([invoice_id], service_addon_from_row)?;
    rows.collect()
}

/// Cancel a pending service addon; false when it was not pending.
pub fn cancel_pending(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE service_addons SET status = 'cancelled', updated_at = ?2
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, now])?
        == 1)
}

/// Move the next due date of a service's active periodic addons along with
/// the service's (they renew on its invoices).
pub fn follow_service_due(
    conn: &Connection,
    service_id: i64,
    next_due: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_addons SET next_due_date = ?2, updated_at = ?3
         WHERE service_id = ?1 AND status = 'active' AND billing_cycle <> 'onetime'
           AND (next_due_date IS NULL OR next_due_date < ?2)",
    )?
    .execute(params![service_id, next_due, now])?;
    Ok(())
}

/// Bill a service addon in another cycle at `amount` from its next renewal.
pub fn set_cycle(
    conn: &Connection,
    id: i64,
    cycle: &str,
    amount: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_addons SET billing_cycle = ?2, recurring_amount = ?3, updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![id, cycle, amount, now])?;
    Ok(())
}
