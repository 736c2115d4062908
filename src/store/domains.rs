//! The `domains` table: registrations and transfers ordered. Registrars
//! come later; till only records what was bought.

use rusqlite::{Connection, Row, params};

#[derive(Debug, Clone)]
pub struct Domain {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub order_id: Option<i64>,
    pub service_id: Option<i64>,
    pub name: String,
    pub tld: String,
    /// register or transfer.
    pub action: String,
    pub years: i64,
    pub status: String,
    pub currency: String,
    pub first_amount: i64,
    pub recurring_amount: Option<i64>,
    pub next_due_date: Option<String>,
}

const COLUMNS: &str = "id, uuid, client_id, order_id, service_id, name, tld, action, years, status, \
     currency, first_amount, recurring_amount, next_due_date";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Domain> {
    Ok(Domain {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        order_id: r.get(3)?,
        service_id: r.get(4)?,
        name: r.get(5)?,
        tld: r.get(6)?,
        action: r.get(7)?,
        years: r.get(8)?,
        status: r.get(9)?,
        currency: r.get(10)?,
        first_amount: r.get(11)?,
        recurring_amount: r.get(12)?,
        next_due_date: r.get(13)?,
    })
}

pub struct NewDomain<'a> {
    pub uuid: &'a str,
    pub client_id: i64,
    pub order_id: i64,
    pub service_id: Option<i64>,
    pub name: &'a str,
    pub tld: &'a str,
    pub action: &'a str,
    pub years: i64,
    pub currency: &'a str,
    pub first_amount: i64,
    pub recurring_amount: Option<i64>,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, d: &NewDomain<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO domains (uuid, client_id, order_id, service_id, name, tld, action, years, currency,
            first_amount, recurring_amount, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        d.uuid,
        d.client_id,
        d.order_id,
        d.service_id,
        d.name,
        d.tld,
        d.action,
        d.years,
        d.currency,
        d.first_amount,
        d.recurring_amount,
        d.now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Whether a name is already ordered or registered here.
pub fn is_live(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM domains WHERE name = ?1 AND status IN ('pending', 'active'))",
    )?
    .query_row([name], |r| r.get(0))
}

pub fn of_order(conn: &Connection, order_id: i64) -> rusqlite::Result<Vec<Domain>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM domains WHERE order_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([order_id], from_row)?;
    rows.collect()
}

/// Cancel an order's domains that were never registered.
pub fn cancel_pending_of_order(
    conn: &Connection,
    order_id: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE domains SET status = 'cancelled', updated_at = ?2 WHERE order_id = ?1 AND status = 'pending'",
    )?
    .execute(params![order_id, now])?;
    Ok(())
}

/// A client's domain by id (another client's is `None`).
pub fn find_of_client(
    conn: &Connection,
    client_id: i64,
    id: i64,
) -> rusqlite::Result<Option<Domain>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM domains WHERE id = ?1 AND client_id = ?2"
    ))?
    .query_row(params![id, client_id], from_row)
    .optional()
}
