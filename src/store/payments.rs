//! The `payments` and `credit_ledger` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Payment {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub invoice_id: i64,
    pub gateway: String,
    pub amount: i64,
    pub currency: String,
    pub transaction_id: String,
    pub created_at: String,
    /// Given back so far (pending and succeeded refunds).
    pub refunded: i64,
    /// What of it went onto its invoice (the rest became credit at once).
    pub applied: i64,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Payment> {
    Ok(Payment {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        invoice_id: r.get(3)?,
        gateway: r.get(4)?,
        amount: r.get(5)?,
        currency: r.get(6)?,
        transaction_id: r.get(7)?,
        created_at: r.get(8)?,
        refunded: r.get(9)?,
        applied: r.get(10)?,
    })
}

const COLUMNS: &str = "id, uuid, client_id, invoice_id, gateway, amount, currency, transaction_id, created_at, refunded, applied";

pub struct NewPayment<'a> {
    pub uuid: &'a str,
    pub client_id: i64,
    pub invoice_id: i64,
    pub gateway: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub transaction_id: &'a str,
    pub recorded_by: &'a str,
    /// What of `amount` goes onto the invoice.
    pub applied: i64,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, p: &NewPayment<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO payments (uuid, client_id, invoice_id, gateway, amount, currency, transaction_id,
            recorded_by, created_at, applied)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        p.uuid,
        p.client_id,
        p.invoice_id,
        p.gateway,
        p.amount,
        p.currency,
        p.transaction_id,
        p.recorded_by,
        p.now,
        p.applied
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn find_by_transaction(
    conn: &Connection,
    gateway: &str,
    transaction_id: &str,
) -> rusqlite::Result<Option<Payment>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payments WHERE gateway = ?1 AND transaction_id = ?2"
    ))?
    .query_row(params![gateway, transaction_id], from_row)
    .optional()
}

pub fn of_client(conn: &Connection, client_id: i64) -> rusqlite::Result<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payments WHERE client_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([client_id], from_row)?;
    rows.collect()
}

/// Every payment, newest first, optionally of one client or gateway.
pub fn list(
    conn: &Connection,
    client_id: Option<i64>,
    gateway: Option<&str>,
    page: crate::store::PageRequest,
) -> rusqlite::Result<crate::store::Page<Payment>> {
    let total: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM payments
             WHERE (?1 IS NULL OR client_id = ?1) AND (?2 IS NULL OR gateway = ?2)",
        )?
        .query_row(params![client_id, gateway], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM payments
             WHERE (?1 IS NULL OR client_id = ?1) AND (?2 IS NULL OR gateway = ?2)
             ORDER BY id DESC LIMIT ?3 OFFSET ?4"
        ))?
        .query_map(
            params![
                client_id,
                gateway,
                page.per_page,
                (page.page - 1) * page.per_page
            ],
            from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(crate::store::Page { rows, total })
}

/// A payment by id or uuid.
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Payment>> {
    let sql = match ident.parse::<i64>() {
        Ok(_) => format!("SELECT {COLUMNS} FROM payments WHERE id = ?1"),
        Err(_) => format!("SELECT {COLUMNS} FROM payments WHERE uuid = ?1"),
    };
    conn.prepare_cached(&sql)?
        .query_row([ident], from_row)
        .optional()
}

/// The payments made towards an invoice, oldest first.
pub fn of_invoice(conn: &Connection, invoice_id: i64) -> rusqlite::Result<Vec<Payment>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payments WHERE invoice_id = ?1 ORDER BY id"
    ))?
    .query_map([invoice_id], from_row)?
    .collect()
}

/// Set `amount` of a payment aside for a refund; false (and nothing
/// changes) when that would give back more than was paid.
pub fn reserve_refund(conn: &Connection, id: i64, amount: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE payments SET refunded = refunded + ?2 WHERE id = ?1 AND refunded + ?2 <= amount",
        )?
        .execute(params![id, amount])?
        == 1)
}

/// Move `amount` of a payment's applied part off (negative: back onto)
/// its invoice; false (changing nothing) if that would leave it below zero
/// or above the payment.
pub fn shift_applied(conn: &Connection, id: i64, amount: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE payments SET applied = applied - ?2
             WHERE id = ?1 AND applied - ?2 >= 0 AND applied - ?2 <= amount",
        )?
        .execute(params![id, amount])?
        == 1)
}

/// Undo `reserve_refund` for a refund the gateway refused.
pub fn release_refund(conn: &Connection, id: i64, amount: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE payments SET refunded = refunded - ?2 WHERE id = ?1 AND refunded >= ?2",
    )?
    .execute(params![id, amount])?;
    Ok(())
}

/// Move a client's credit by `amount` (positive adds); answers the new
/// balance, or `None` when it would go below zero (nothing changes then).
pub fn move_credit(
    conn: &Connection,
    client_id: i64,
    amount: i64,
    reason: &str,
    invoice_id: Option<i64>,
    now: &str,
) -> rusqlite::Result<Option<i64>> {
    let balance: Option<i64> = conn
        .prepare_cached(
            "UPDATE clients SET credit_balance = credit_balance + ?2
             WHERE id = ?1 AND credit_balance + ?2 >= 0 RETURNING credit_balance",
        )?
        .query_row(params![client_id, amount], |r| r.get(0))
        .optional()?;
    if let Some(after) = balance {
        conn.prepare_cached(
            "INSERT INTO credit_ledger (client_id, amount, balance_after, reason, invoice_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![client_id, amount, after, reason, invoice_id, now])?;
    }
    Ok(balance)
}
