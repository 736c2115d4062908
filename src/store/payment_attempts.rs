//! The `payment_attempts` and `webhook_events` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::status::AttemptStatus;

#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub invoice_id: i64,
    pub gateway: String,
    pub flow: String,
    pub status: AttemptStatus,
    pub amount: i64,
    pub currency: String,
    pub fee: i64,
    pub reference: Option<String>,
    pub redirect_url: Option<String>,
    pub transaction_id: Option<String>,
    pub payment_id: Option<i64>,
    pub failure: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// What the gateway gave the customer's side (kept so a lost answer
    /// can be given again).
    pub client_secret: Option<String>,
    pub access_code: Option<String>,
}

const COLUMNS: &str = "id, uuid, client_id, invoice_id, gateway, flow, status, amount, currency, fee, \
     reference, redirect_url, transaction_id, payment_id, failure, created_at, updated_at, \
     client_secret, access_code";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Attempt> {
    Ok(Attempt {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        invoice_id: r.get(3)?,
        gateway: r.get(4)?,
        flow: r.get(5)?,
        status: r.get(6)?,
        amount: r.get(7)?,
        currency: r.get(8)?,
        fee: r.get(9)?,
        reference: r.get(10)?,
        redirect_url: r.get(11)?,
        transaction_id: r.get(12)?,
        payment_id: r.get(13)?,
        failure: r.get(14)?,
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
        client_secret: r.get(17)?,
        access_code: r.get(18)?,
    })
}

pub struct NewAttempt<'a> {
    pub uuid: &'a str,
    pub client_id: i64,
    pub invoice_id: i64,
    pub gateway: &'a str,
    pub flow: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub fee: i64,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, a: &NewAttempt<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO payment_attempts (uuid, client_id, invoice_id, gateway, flow, status, amount,
            currency, fee, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'starting', ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        a.uuid,
        a.client_id,
        a.invoice_id,
        a.gateway,
        a.flow,
        a.amount,
        a.currency,
        a.fee,
        a.now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Attempt>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payment_attempts WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()
}

pub fn find_by_uuid(conn: &Connection, uuid: &str) -> rusqlite::Result<Option<Attempt>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payment_attempts WHERE uuid = ?1"
    ))?
    .query_row([uuid], from_row)
    .optional()
}

pub fn find_by_reference(
    conn: &Connection,
    gateway: &str,
    reference: &str,
) -> rusqlite::Result<Option<Attempt>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payment_attempts WHERE gateway = ?1 AND reference = ?2"
    ))?
    .query_row(params![gateway, reference], from_row)
    .optional()
}

pub fn of_invoice(conn: &Connection, invoice_id: i64) -> rusqlite::Result<Vec<Attempt>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payment_attempts WHERE invoice_id = ?1 ORDER BY id"
    ))?
    .query_map([invoice_id], from_row)?
    .collect()
}

/// What the gateway handed over for the customer to pay with.
#[derive(Debug, Clone, Copy)]
pub struct Handover<'a> {
    pub reference: &'a str,
    pub redirect_url: Option<&'a str>,
    pub client_secret: Option<&'a str>,
    pub access_code: Option<&'a str>,
}

/// The gateway took the attempt: it is now waiting for the customer.
pub fn mark_pending(
    conn: &Connection,
    id: i64,
    handover: &Handover<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE payment_attempts SET status = 'pending', reference = ?2, redirect_url = ?3,
            client_secret = ?4, access_code = ?5, updated_at = ?6
         WHERE id = ?1 AND status = 'starting'",
    )?
    .execute(params![
        id,
        handover.reference,
        handover.redirect_url,
        handover.client_secret,
        handover.access_code,
        now
    ])?;
    Ok(())
}

/// The charge succeeded and was recorded as `payment_id`; false if the
/// attempt had already succeeded.
pub fn mark_succeeded(
    conn: &Connection,
    id: i64,
    transaction_id: &str,
    payment_id: i64,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE payment_attempts SET status = 'succeeded', transaction_id = ?2, payment_id = ?3,
                failure = NULL, updated_at = ?4
             WHERE id = ?1 AND status <> 'succeeded'",
        )?
        .execute(params![id, transaction_id, payment_id, now])?
        == 1)
}

/// The gateway refused or the customer's payment failed (a later success
/// of the same attempt still counts).
pub fn mark_failed(conn: &Connection, id: i64, failure: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE payment_attempts SET status = 'failed', failure = ?2, updated_at = ?3
         WHERE id = ?1 AND status IN ('starting', 'pending', 'failed')",
    )?
    .execute(params![id, failure, now])?;
    Ok(())
}

/// Whether an event was already accepted.
pub fn event_seen(conn: &Connection, gateway: &str, event_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM webhook_events WHERE gateway = ?1 AND event_id = ?2")?
        .query_row(params![gateway, event_id], |_| Ok(()))
        .optional()
        .map(|r| r.is_some())
}

/// Record an accepted event; false if it was already there (a replay).
pub fn record_event(
    conn: &Connection,
    gateway: &str,
    event_id: &str,
    kind: &str,
    outcome: &str,
    note: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO webhook_events (gateway, event_id, kind, outcome, note, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (gateway, event_id) DO NOTHING",
        )?
        .execute(params![gateway, event_id, kind, outcome, note, now])?
        == 1)
}

/// The outcome recorded for an event.
pub fn event_outcome(
    conn: &Connection,
    gateway: &str,
    event_id: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.prepare_cached(
        "SELECT outcome, note FROM webhook_events WHERE gateway = ?1 AND event_id = ?2",
    )?
    .query_row(params![gateway, event_id], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}
