//! The `invoices`, `invoice_items` and `invoice_counters` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Page, PageRequest};

#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub order_id: Option<i64>,
    pub number: Option<String>,
    pub status: String,
    pub currency: String,
    pub subtotal: i64,
    pub tax_total: i64,
    pub total: i64,
    pub credit_applied: i64,
    pub amount_paid: i64,
    pub issue_date: String,
    pub due_date: String,
    pub paid_at: Option<String>,
    pub seller: String,
    pub buyer: String,
    pub notes: String,
    pub created_at: String,
    /// Money taken back out of it after it arrived (refunds drawn from it,
    /// credit for unused time, a cancellation, add-funds turning into
    /// credit).
    pub given_back: i64,
}

impl Invoice {
    /// What it still holds of the money it received.
    pub fn holds(&self) -> i64 {
        (self.amount_paid + self.credit_applied - self.given_back).max(0)
    }

    /// What is still owed.
    pub fn balance_due(&self) -> i64 {
        (self.total - self.credit_applied - self.amount_paid).max(0)
    }

    /// The number to show: the tax invoice number, or for a proforma
    /// (numbered when paid) its id.
    pub fn display_number(&self) -> String {
        match &self.number {
            Some(n) => n.clone(),
            None => format!("Proforma {}", self.id),
        }
    }
}

const COLUMNS: &str = "id, uuid, client_id, order_id, number, status, currency, subtotal, tax_total, \
     total, credit_applied, amount_paid, issue_date, due_date, paid_at, seller, buyer, notes, created_at, \
     given_back";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Invoice> {
    Ok(Invoice {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        order_id: r.get(3)?,
        number: r.get(4)?,
        status: r.get(5)?,
        currency: r.get(6)?,
        subtotal: r.get(7)?,
        tax_total: r.get(8)?,
        total: r.get(9)?,
        credit_applied: r.get(10)?,
        amount_paid: r.get(11)?,
        issue_date: r.get(12)?,
        due_date: r.get(13)?,
        paid_at: r.get(14)?,
        seller: r.get(15)?,
        buyer: r.get(16)?,
        notes: r.get(17)?,
        created_at: r.get(18)?,
        given_back: r.get(19)?,
    })
}

/// The next number of a series; the counter moves in the caller's
/// transaction, so a rolled-back invoice gives its number back.
pub fn next_number(conn: &Connection, series: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO invoice_counters (series, last_number) VALUES (?1, 1)
         ON CONFLICT (series) DO UPDATE SET last_number = last_number + 1
         RETURNING last_number",
    )?
    .query_row([series], |r| r.get(0))
}

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

#[derive(Debug, Clone)]
pub struct Item {
    pub position: i64,
    pub kind: String,
    pub description: String,
    pub service_id: Option<i64>,
    /// The domain a `domain` line registers or transfers.
    pub domain_id: Option<i64>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub quantity: i64,
    pub unit_amount: i64,
    pub amount: i64,
}

impl Item {
    /// A line of `kind` without a service or period.
    pub fn plain(position: i64, kind: &str, description: &str, quantity: i64, unit: i64) -> Item {
        Item {
            position,
            kind: kind.to_string(),
            description: description.to_string(),
            service_id: None,
            domain_id: None,
            period_start: None,
            period_end: None,
            quantity,
            unit_amount: unit,
            amount: quantity * unit,
        }
    }

    /// A line staff wrote by hand.
    pub fn manual(position: i64, description: &str, quantity: i64, unit: i64) -> Item {
        Item::plain(position, "manual", description, quantity, unit)
    }
}

pub fn insert_item(conn: &Connection, invoice_id: i64, item: &Item) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO invoice_items (invoice_id, position, kind, description, service_id, period_start,
            period_end, quantity, unit_amount, amount, domain_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        invoice_id,
        item.position,
        item.kind,
        item.description,
        item.service_id,
        item.period_start,
        item.period_end,
        item.quantity,
        item.unit_amount,
        item.amount,
        item.domain_id
    ])?;
    Ok(())
}

pub fn items(conn: &Connection, invoice_id: i64) -> rusqlite::Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT position, kind, description, service_id, period_start, period_end, quantity, unit_amount, amount,
            domain_id
         FROM invoice_items WHERE invoice_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([invoice_id], |r| {
        Ok(Item {
            position: r.get(0)?,
            kind: r.get(1)?,
            description: r.get(2)?,
            service_id: r.get(3)?,
            period_start: r.get(4)?,
            period_end: r.get(5)?,
            quantity: r.get(6)?,
            unit_amount: r.get(7)?,
            amount: r.get(8)?,
            domain_id: r.get(9)?,
        })
    })?;
    rows.collect()
}

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

/// Add a payment to an invoice; marks it paid when nothing is left.
pub fn add_payment(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET amount_paid = amount_paid + ?2,
            status = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN 'paid' ELSE status END,
            paid_at = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN ?3 ELSE paid_at END,
            updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, amount, now])?;
    Ok(())
}

/// Pay part or all of an invoice from account credit; marks it paid when
/// nothing is left.
pub fn apply_credit(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET credit_applied = credit_applied + ?2,
            status = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN 'paid' ELSE status END,
            paid_at = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN ?3 ELSE paid_at END,
            updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, amount, now])?;
    Ok(())
}

/// Take `amount` back out of the money an invoice received; false
/// (changing nothing) if it holds less.
pub fn give_back(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET given_back = given_back + ?2, updated_at = ?3
             WHERE id = ?1 AND given_back + ?2 <= amount_paid + credit_applied",
        )?
        .execute(params![id, amount, now])?
        == 1)
}

/// Take `amount` off what an unpaid invoice was paid (a refund of part
/// of its payments): its balance due goes up again. False (changing
/// nothing) if it is not unpaid or was paid less.
pub fn reopen(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET amount_paid = amount_paid - ?2, updated_at = ?3
             WHERE id = ?1 AND status = 'unpaid' AND amount_paid >= ?2",
        )?
        .execute(params![id, amount, now])?
        == 1)
}

/// Undo `give_back` (a refund the gateway refused).
pub fn undo_give_back(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET given_back = MAX(0, given_back - ?2), updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, amount, now])?;
    Ok(())
}

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

/// Number a proforma once it is paid (see `service::numbering`).
pub fn set_number(conn: &Connection, id: i64, number: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE invoices SET number = ?2 WHERE id = ?1 AND number IS NULL")?
        .execute(params![id, number])?;
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
