//! Writing a new invoice.

use rusqlite::{Connection, params};

pub struct NewInvoice<'a> {
    pub uuid: &'a str,
    pub client_id: i64,
    pub order_id: Option<i64>,
    /// None for a proforma (numbered when paid).
    pub number: Option<&'a str>,
    pub currency: &'a str,
    pub subtotal: i64,
    pub tax_total: i64,
    pub issue_date: &'a str,
    pub due_date: &'a str,
    pub seller: &'a str,
    pub buyer: &'a str,
    pub notes: &'a str,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, i: &NewInvoice<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO invoices (uuid, client_id, order_id, number, status, currency, subtotal, tax_total,
            total, issue_date, due_date, seller, buyer, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'unpaid', ?5, ?6, ?7, ?6 + ?7, ?8, ?9, ?10, ?11, ?13, ?12, ?12)",
    )?
    .execute(params![
        i.uuid,
        i.client_id,
        i.order_id,
        i.number,
        i.currency,
        i.subtotal,
        i.tax_total,
        i.issue_date,
        i.due_date,
        i.seller,
        i.buyer,
        i.now,
        i.notes
    ])?;
    Ok(conn.last_insert_rowid())
}
