//! The `currencies` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq)]
pub struct Currency {
    pub code: String,
    pub prefix: String,
    pub suffix: String,
    pub decimals: u32,
    pub is_default: bool,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Currency> {
    Ok(Currency {
        code: r.get(0)?,
        prefix: r.get(1)?,
        suffix: r.get(2)?,
        decimals: r.get(3)?,
        is_default: r.get(4)?,
    })
}

const COLUMNS: &str = "code, prefix, suffix, decimals, is_default";

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Currency>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM currencies ORDER BY is_default DESC, code"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

pub fn find(conn: &Connection, code: &str) -> rusqlite::Result<Option<Currency>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM currencies WHERE code = ?1"))?
        .query_row([code], from_row)
        .optional()
}

pub fn default(conn: &Connection) -> rusqlite::Result<Option<Currency>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM currencies WHERE is_default = 1"
    ))?
    .query_row([], from_row)
    .optional()
}

pub fn upsert(conn: &Connection, c: &Currency, now: &str) -> rusqlite::Result<()> {
    if c.is_default {
        conn.prepare_cached(
            "UPDATE currencies SET is_default = 0 WHERE is_default = 1 AND code <> ?1",
        )?
        .execute([&c.code])?;
    }
    conn.prepare_cached(
        "INSERT INTO currencies (code, prefix, suffix, decimals, is_default, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (code) DO UPDATE SET prefix = excluded.prefix, suffix = excluded.suffix,
            decimals = excluded.decimals, is_default = excluded.is_default",
    )?
    .execute(params![
        c.code,
        c.prefix,
        c.suffix,
        c.decimals,
        c.is_default,
        now
    ])?;
    Ok(())
}

/// Whether any price uses the currency (its decimals may then not change).
pub fn in_use(conn: &Connection, code: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM product_prices WHERE currency = ?1)")?
        .query_row([code], |r| r.get(0))
}
