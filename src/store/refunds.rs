//! The `refunds` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Refund {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub invoice_id: i64,
    pub payment_id: i64,
    pub amount: i64,
    pub currency: String,
    pub destination: String,
    pub status: String,
    pub gateway_reference: Option<String>,
    pub reason: String,
    pub failure: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The part taken from account credit; the rest came off the invoice.
    pub from_credit: i64,
    /// The invoice was unpaid: its part came off what it had been paid.
    pub reopened_invoice: bool,
}

impl Refund {
    /// The part taken off the invoice the payment went to.
    pub fn from_invoice(&self) -> i64 {
        self.amount - self.from_credit
    }
}

const COLUMNS: &str = "id, uuid, client_id, invoice_id, payment_id, amount, currency, destination, \
     status, gateway_reference, reason, failure, created_at, updated_at, from_credit, reopened_invoice";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Refund> {
    Ok(Refund {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        invoice_id: r.get(3)?,
        payment_id: r.get(4)?,
        amount: r.get(5)?,
        currency: r.get(6)?,
        destination: r.get(7)?,
        status: r.get(8)?,
        gateway_reference: r.get(9)?,
        reason: r.get(10)?,
        failure: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        from_credit: r.get(14)?,
        reopened_invoice: r.get(15)?,
    })
}

pub struct NewRefund<'a> {
    pub uuid: &'a str,
    pub client_id: i64,
    pub invoice_id: i64,
    pub payment_id: i64,
    pub amount: i64,
    pub currency: &'a str,
    pub destination: &'a str,
    pub status: &'a str,
    pub reason: &'a str,
    pub created_by: &'a str,
    pub from_credit: i64,
    pub reopened_invoice: bool,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, r: &NewRefund<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO refunds (uuid, client_id, invoice_id, payment_id, amount, currency, destination,
            status, reason, created_by, created_at, updated_at, from_credit, reopened_invoice)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)",
    )?
    .execute(params![
        r.uuid,
        r.client_id,
        r.invoice_id,
        r.payment_id,
        r.amount,
        r.currency,
        r.destination,
        r.status,
        r.reason,
        r.created_by,
        r.now,
        r.from_credit,
        r.reopened_invoice
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Refund>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM refunds WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Finish a pending gateway refund; false if it was not pending.
pub fn finish(
    conn: &Connection,
    id: i64,
    status: &str,
    gateway_reference: Option<&str>,
    failure: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE refunds SET status = ?2, gateway_reference = ?3, failure = ?4, updated_at = ?5
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, status, gateway_reference, failure, now])?
        == 1)
}

pub fn of_invoice(conn: &Connection, invoice_id: i64) -> rusqlite::Result<Vec<Refund>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM refunds WHERE invoice_id = ?1 ORDER BY id"
    ))?
    .query_map([invoice_id], from_row)?
    .collect()
}

/// What a payment's refunds (pending or succeeded) took out of the money
/// its paid invoice holds (a refund that reopened an unpaid invoice
/// lowered the payment's applied part instead).
pub fn drawn_from_invoice(conn: &Connection, payment_id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COALESCE(SUM(amount - from_credit), 0) FROM refunds
         WHERE payment_id = ?1 AND status <> 'failed' AND reopened_invoice = 0",
    )?
    .query_row([payment_id], |r| r.get(0))
}
