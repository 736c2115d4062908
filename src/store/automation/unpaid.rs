//! Unpaid invoices: the ones due in a window, the reminders sent for
//! them, and late fees.

use rusqlite::{Connection, params};

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
