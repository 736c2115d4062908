//! The `domains` table: registrations and transfers ordered, and what
//! their registrar said of them since (expiry, nameservers, lock,
//! statuses).

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

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
    pub registrar_id: Option<i64>,
    pub expiry_date: Option<String>,
    pub auto_renew: bool,
    /// Host names, as the registrar last said or was told.
    pub nameservers: Vec<String>,
    pub locked: bool,
    pub id_protection: bool,
    /// The registry's own words (`ok`, `redemptionPeriod`, ...).
    pub registry_statuses: Vec<String>,
    /// A transfer's auth code, sealed.
    pub epp_code_sealed: Option<Vec<u8>>,
    pub synced_at: Option<String>,
    /// The TLD's registrant fields as the customer gave them.
    pub registrant_fields: BTreeMap<String, String>,
}

const COLUMNS: &str = "id, uuid, client_id, order_id, service_id, name, tld, action, years, status, \
     currency, first_amount, recurring_amount, next_due_date, registrar_id, expiry_date, auto_renew, \
     nameservers, locked, id_protection, registry_statuses, epp_code_sealed, synced_at, registrant_fields";

fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

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
        registrar_id: r.get(14)?,
        expiry_date: r.get(15)?,
        auto_renew: r.get(16)?,
        nameservers: json_list(r.get(17)?),
        locked: r.get(18)?,
        id_protection: r.get(19)?,
        registry_statuses: json_list(r.get(20)?),
        epp_code_sealed: r.get(21)?,
        synced_at: r.get(22)?,
        registrant_fields: serde_json::from_str(&r.get::<_, String>(23)?).unwrap_or_default(),
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
    /// A transfer's auth code, sealed (`auth::sealed::seal`).
    pub epp_code_sealed: Option<&'a [u8]>,
    /// The registrant fields as JSON.
    pub registrant_fields: &'a str,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, d: &NewDomain<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO domains (uuid, client_id, order_id, service_id, name, tld, action, years, currency,
            first_amount, recurring_amount, epp_code_sealed, registrant_fields, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
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
        d.epp_code_sealed,
        d.registrant_fields,
        d.now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Whether `name` is held here: on order, active, or expired (the
/// registry keeps an expired name for its owner to renew in its grace
/// period, so nobody else may order it meanwhile).
pub fn is_live(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM domains WHERE name = ?1
                          AND status IN ('pending', 'active', 'expired'))",
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

/// Where a new domain goes and what it carries in: its registrar (from its
/// TLD), and a transfer's auth code, sealed.
pub fn set_registrar_and_code(
    conn: &Connection,
    id: i64,
    registrar_id: Option<i64>,
    epp_code_sealed: Option<&[u8]>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE domains SET registrar_id = ?2, epp_code_sealed = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, registrar_id, epp_code_sealed, now])?;
    Ok(())
}

pub fn find_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Domain>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM domains WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// One of a client's domains; another client's is `None`.
pub fn of_client(conn: &Connection, client_id: i64, id: i64) -> rusqlite::Result<Option<Domain>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM domains WHERE id = ?1 AND client_id = ?2"
    ))?
    .query_row(params![id, client_id], from_row)
    .optional()
}

/// A client's domains, newest first.
pub fn list_of_client(conn: &Connection, client_id: i64) -> rusqlite::Result<Vec<Domain>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM domains WHERE client_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([client_id], from_row)?;
    rows.collect()
}

/// Every domain (of `status`, if given), newest first; with
/// `expires_before`, only those expiring by then, soonest first.
pub fn list(
    conn: &Connection,
    status: Option<&str>,
    expires_before: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<Domain>> {
    let order = if expires_before.is_some() {
        "expiry_date, id"
    } else {
        "id DESC"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM domains
         WHERE (?1 IS NULL OR status = ?1)
           AND (?2 IS NULL OR (expiry_date IS NOT NULL AND expiry_date <= ?2))
         ORDER BY {order} LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![status, expires_before, limit], from_row)?;
    rows.collect()
}

/// A pending domain is registered (or transferred in): active, with the
/// registry's expiry and the next due date; the auth code is dropped.
pub fn set_registered(
    conn: &Connection,
    id: i64,
    expiry_date: &str,
    next_due_date: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE domains SET status = 'active', expiry_date = ?2, next_due_date = ?3,
                epp_code_sealed = NULL, synced_at = ?4, updated_at = ?4
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, expiry_date, next_due_date, now])?
        == 1)
}

/// What the registrar says of a domain now.
pub struct RegistryState<'a> {
    pub expiry_date: Option<&'a str>,
    pub nameservers: &'a [String],
    pub locked: bool,
    pub statuses: &'a [String],
}

pub fn set_registry_state(
    conn: &Connection,
    id: i64,
    state: &RegistryState<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    let ns = serde_json::to_string(state.nameservers).unwrap_or_else(|_| "[]".into());
    let statuses = serde_json::to_string(state.statuses).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "UPDATE domains SET expiry_date = COALESCE(?2, expiry_date), nameservers = ?3,
            locked = ?4, registry_statuses = ?5, synced_at = ?6, updated_at = ?6,
            -- The registry's expiry is when a held domain is due again.
            next_due_date = CASE WHEN status IN ('active', 'expired') AND ?2 IS NOT NULL
                                 THEN ?2 ELSE next_due_date END
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        state.expiry_date,
        ns,
        state.locked,
        statuses,
        now
    ])?;
    Ok(())
}

pub fn set_nameservers(
    conn: &Connection,
    id: i64,
    nameservers: &[String],
    now: &str,
) -> rusqlite::Result<()> {
    let ns = serde_json::to_string(nameservers).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached("UPDATE domains SET nameservers = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, ns, now])?;
    Ok(())
}

/// A held domain the registry deleted; false when it was not held.
pub fn set_cancelled(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE domains SET status = 'cancelled', auto_renew = 0, next_due_date = NULL,
                updated_at = ?2
             WHERE id = ?1 AND status IN ('active', 'expired')",
        )?
        .execute(params![id, now])?
        == 1)
}

pub fn set_auto_renew(conn: &Connection, id: i64, on: bool, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE domains SET auto_renew = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, on, now])?;
    Ok(())
}

/// Up to `limit` registered domains of enabled registrars, least recently
/// synced first, not synced since `before`. (A disabled registrar's
/// domains wait without holding the others' places.)
pub fn due_for_sync(conn: &Connection, before: &str, limit: i64) -> rusqlite::Result<Vec<Domain>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM domains
         WHERE status IN ('active', 'expired')
           AND registrar_id IN (SELECT id FROM registrars WHERE enabled = 1)
           AND (synced_at IS NULL OR synced_at < ?1)
         ORDER BY synced_at IS NOT NULL, synced_at, id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![before, limit], from_row)?;
    rows.collect()
}

/// Asked, whatever the answer: the next sync comes a day later.
pub fn touch_synced(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE domains SET synced_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// After a master-key reset: transfer auth codes sealed under the old key
/// are dropped (the customer gives them again); answers how many.
pub fn clear_sealed_codes(conn: &Connection, now: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE domains SET epp_code_sealed = NULL, updated_at = ?1 WHERE epp_code_sealed IS NOT NULL",
    )?
    .execute([now])
}

/// The client's own domain called `name` that may be renewed (active or
/// expired); another client's, or one in any other state, is `None`.
pub fn renewable_of_client(
    conn: &Connection,
    client_id: i64,
    name: &str,
) -> rusqlite::Result<Option<Domain>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM domains WHERE client_id = ?1 AND name = ?2
            AND status IN ('active', 'expired') ORDER BY id DESC LIMIT 1"
    ))?
    .query_row(params![client_id, name], from_row)
    .optional()
}
