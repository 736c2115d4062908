//! An invoice's status and fee line: cancel, late fee, refunded, paid.

use rusqlite::{Connection, params};

/// Cancel an unpaid invoice; answers whether it was unpaid.
pub fn cancel(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET status = 'cancelled', updated_at = ?2
             WHERE id = ?1 AND status = 'unpaid'",
        )?
        .execute(rusqlite::params![id, now])?
        == 1)
}

/// Set an unpaid invoice's gateway fee line to `fee` (none when 0), moving
/// its subtotal and total by the difference.
pub fn set_fee_line(
    conn: &Connection,
    id: i64,
    fee: i64,
    description: &str,
    now: &str,
) -> rusqlite::Result<()> {
    let old: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(amount), 0) FROM invoice_items WHERE invoice_id = ?1 AND kind = 'gateway_fee'",
        )?
        .query_row([id], |r| r.get(0))?;
    if old == fee && fee == 0 {
        return Ok(());
    }
    conn.prepare_cached(
        "DELETE FROM invoice_items WHERE invoice_id = ?1 AND kind = 'gateway_fee'",
    )?
    .execute([id])?;
    if fee > 0 {
        conn.prepare_cached(
            "INSERT INTO invoice_items (invoice_id, position, kind, description, quantity, unit_amount, amount)
             SELECT ?1, COALESCE(MAX(position), 0) + 1, 'gateway_fee', ?2, 1, ?3, ?3
             FROM invoice_items WHERE invoice_id = ?1",
        )?
        .execute(params![id, description, fee])?;
    }
    conn.prepare_cached(
        "UPDATE invoices SET subtotal = subtotal + ?2, total = total + ?2, updated_at = ?3
         WHERE id = ?1 AND status = 'unpaid'",
    )?
    .execute(params![id, fee - old, now])?;
    Ok(())
}

/// Everything paid for a paid invoice was given back.
pub fn mark_refunded(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET status = 'refunded', updated_at = ?2 WHERE id = ?1 AND status = 'paid'",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// An invoice that costs nothing is paid when issued.
pub fn mark_paid(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET status = 'paid', paid_at = ?2, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}
