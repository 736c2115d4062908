//! Services as provisioning and staff see them: where a service lives
//! (`server_id`, `username`) and its lifecycle status. The order flow's
//! own queries are in `store::orders`.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::status::ServiceStatus;

#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub order_id: Option<i64>,
    pub product_id: i64,
    pub status: ServiceStatus,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount: i64,
    pub domain: Option<String>,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub server_id: Option<i64>,
    pub username: Option<String>,
    pub provisioned_at: Option<String>,
    pub created_at: String,
}

const COLUMNS: &str = "id, uuid, client_id, order_id, product_id, status, billing_cycle, currency, \
     recurring_amount, domain, registration_date, next_due_date, server_id, username, \
     provisioned_at, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ServiceRecord> {
    Ok(ServiceRecord {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        order_id: r.get(3)?,
        product_id: r.get(4)?,
        status: r.get(5)?,
        billing_cycle: r.get(6)?,
        currency: r.get(7)?,
        recurring_amount: r.get(8)?,
        domain: r.get(9)?,
        registration_date: r.get(10)?,
        next_due_date: r.get(11)?,
        server_id: r.get(12)?,
        username: r.get(13)?,
        provisioned_at: r.get(14)?,
        created_at: r.get(15)?,
    })
}

/// By id or uuid.
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<ServiceRecord>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM services WHERE id = CAST(?1 AS INTEGER) OR uuid = ?1"
    ))?
    .query_row([ident], from_row)
    .optional()
}

pub fn find_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<ServiceRecord>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM services WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Newest first, optionally of one client and/or status.
pub fn list(
    conn: &Connection,
    client_id: Option<i64>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<ServiceRecord>, i64)> {
    let total = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM services
             WHERE (?1 IS NULL OR client_id = ?1) AND (?2 IS NULL OR status = ?2)",
        )?
        .query_row(params![client_id, status], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM services
         WHERE (?1 IS NULL OR client_id = ?1) AND (?2 IS NULL OR status = ?2)
         ORDER BY id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(params![client_id, status, limit, offset], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, total))
}

/// Place a service on a server (before the module creates the account).
pub fn place(conn: &Connection, id: i64, server_id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE services SET server_id = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, server_id, now])?;
    Ok(())
}

/// Record the account a module created.
pub fn set_provisioned(
    conn: &Connection,
    id: i64,
    username: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE services SET username = COALESCE(?2, username), provisioned_at = ?3, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, username, now])?;
    Ok(())
}

/// Move a service to `to` if it is in one of `from`; answers whether it moved.
pub fn set_status(
    conn: &Connection,
    id: i64,
    from: &[ServiceStatus],
    to: ServiceStatus,
    now: &str,
) -> rusqlite::Result<bool> {
    let from = serde_json::to_string(from).unwrap_or_else(|_| "[]".into());
    Ok(conn
        .prepare_cached(
            "UPDATE services SET status = ?3, updated_at = ?4
             WHERE id = ?1 AND status IN (SELECT value FROM json_each(?2))",
        )?
        .execute(params![id, from, to, now])?
        == 1)
}

/// A service record staff write by hand.
pub struct ManualService<'a> {
    pub client_id: i64,
    pub product_id: i64,
    pub status: ServiceStatus,
    pub billing_cycle: &'a str,
    pub currency: &'a str,
    pub recurring_amount: i64,
    pub domain: Option<&'a str>,
    pub registration_date: Option<&'a str>,
    pub next_due_date: Option<&'a str>,
    pub username: Option<&'a str>,
    pub server_id: Option<i64>,
}

pub fn insert_manual(
    conn: &Connection,
    uuid: &str,
    s: &ManualService<'_>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO services (uuid, client_id, product_id, status, billing_cycle, currency,
            recurring_amount, domain, registration_date, next_due_date, username, server_id,
            activated_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
            CASE WHEN ?4 = 'active' THEN ?13 END, ?13, ?13)",
    )?
    .execute(params![
        uuid,
        s.client_id,
        s.product_id,
        s.status,
        s.billing_cycle,
        s.currency,
        s.recurring_amount,
        s.domain,
        s.registration_date,
        s.next_due_date,
        s.username,
        s.server_id,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_manual(
    conn: &Connection,
    id: i64,
    s: &ManualService<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE services SET client_id = ?2, product_id = ?3, status = ?4, billing_cycle = ?5,
            currency = ?6, recurring_amount = ?7, domain = ?8, registration_date = ?9,
            next_due_date = ?10, username = ?11, server_id = ?12,
            activated_at = COALESCE(activated_at, CASE WHEN ?4 = 'active' THEN ?13 END),
            updated_at = ?13
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        s.client_id,
        s.product_id,
        s.status,
        s.billing_cycle,
        s.currency,
        s.recurring_amount,
        s.domain,
        s.registration_date,
        s.next_due_date,
        s.username,
        s.server_id,
        now
    ])?;
    Ok(())
}
