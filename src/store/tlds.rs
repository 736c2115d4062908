//! The `tlds` and `tld_prices` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::registrant_fields::FieldSpec;

#[derive(Debug, Clone)]
pub struct Tld {
    pub id: i64,
    /// With its leading dot: `.com`.
    pub tld: String,
    pub requires_manual_check: bool,
    pub supports_id_protection: bool,
    pub status: String,
    pub sort_order: i64,
    /// What its registry wants beyond the contact (staff's list).
    pub registrant_fields: Vec<FieldSpec>,
}

const COLUMNS: &str =
    "id, tld, requires_manual_check, supports_id_protection, status, sort_order, registrant_fields";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Tld> {
    Ok(Tld {
        id: r.get(0)?,
        tld: r.get(1)?,
        requires_manual_check: r.get(2)?,
        supports_id_protection: r.get(3)?,
        status: r.get(4)?,
        sort_order: r.get(5)?,
        // Written only from checked specs; unreadable text is no fields.
        registrant_fields: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
    })
}

pub struct TldFields<'a> {
    pub tld: &'a str,
    pub requires_manual_check: bool,
    pub supports_id_protection: bool,
    pub status: &'a str,
    pub sort_order: i64,
    /// The fields' specs as JSON.
    pub registrant_fields: &'a str,
}

pub fn insert(conn: &Connection, t: &TldFields<'_>, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO tlds (tld, requires_manual_check, supports_id_protection, status, sort_order,
            registrant_fields, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        t.tld,
        t.requires_manual_check,
        t.supports_id_protection,
        t.status,
        t.sort_order,
        t.registrant_fields,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, t: &TldFields<'_>, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tlds SET tld = ?2, requires_manual_check = ?3, supports_id_protection = ?4,
            status = ?5, sort_order = ?6, registrant_fields = ?7, updated_at = ?8 WHERE id = ?1",
    )?
    .execute(params![
        id,
        t.tld,
        t.requires_manual_check,
        t.supports_id_protection,
        t.status,
        t.sort_order,
        t.registrant_fields,
        now
    ])?;
    Ok(())
}

pub fn set_status(conn: &Connection, id: i64, status: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tlds SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

/// A TLD by id or name (`.com`; `com` also works).
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Tld>> {
    let id = ident.parse::<i64>().ok();
    let name = format!(".{}", ident.trim().trim_start_matches('.').to_lowercase());
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tlds WHERE id = ?1 OR tld = ?2"
    ))?
    .query_row(params![id, name], from_row)
    .optional()
}

/// TLDs in display order; retired ones only if `all`.
pub fn list(conn: &Connection, all: bool) -> rusqlite::Result<Vec<Tld>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tlds WHERE ?1 OR status = 'active' ORDER BY sort_order, tld"
    ))?;
    let rows = stmt.query_map([all], from_row)?;
    rows.collect()
}

/// The price of a term of `years` in a currency. `renew` and `transfer`
/// are `None` where they are not offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TldPrice {
    pub currency: String,
    pub years: i64,
    pub register: i64,
    pub renew: Option<i64>,
    pub transfer: Option<i64>,
}

pub fn prices(conn: &Connection, tld_id: i64) -> rusqlite::Result<Vec<TldPrice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, years, register, renew, transfer FROM tld_prices WHERE tld_id = ?1
         ORDER BY currency, years",
    )?;
    let rows = stmt.query_map([tld_id], |r| {
        Ok(TldPrice {
            currency: r.get(0)?,
            years: r.get(1)?,
            register: r.get(2)?,
            renew: r.get(3)?,
            transfer: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// Replace every price of a TLD.
pub fn set_prices(conn: &Connection, tld_id: i64, prices: &[TldPrice]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM tld_prices WHERE tld_id = ?1")?
        .execute([tld_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO tld_prices (tld_id, currency, years, register, renew, transfer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for p in prices {
        insert.execute(params![
            tld_id, p.currency, p.years, p.register, p.renew, p.transfer
        ])?;
    }
    Ok(())
}
