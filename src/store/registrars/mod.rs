//! The `registrars` table and which registrar each TLD goes to
//! (`tlds.registrar_id`); `tasks` is the durable queue of registrar calls.

pub mod tasks;

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Registrar {
    pub id: i64,
    pub name: String,
    /// `manual`, `epp` or `logicboxes`.
    pub module: String,
    /// The settings JSON, sealed; only the service opens it.
    pub settings_sealed: Vec<u8>,
    pub rate_per_second: i64,
    pub enabled: bool,
    pub created_at: String,
}

const COLUMNS: &str = "id, name, module, settings_sealed, rate_per_second, enabled, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Registrar> {
    Ok(Registrar {
        id: r.get(0)?,
        name: r.get(1)?,
        module: r.get(2)?,
        settings_sealed: r.get(3)?,
        rate_per_second: r.get(4)?,
        enabled: r.get(5)?,
        created_at: r.get(6)?,
    })
}

pub struct RegistrarFields<'a> {
    pub name: &'a str,
    pub module: &'a str,
    pub settings_sealed: &'a [u8],
    pub rate_per_second: i64,
    pub enabled: bool,
}

pub fn insert(conn: &Connection, f: &RegistrarFields<'_>, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO registrars (name, module, settings_sealed, rate_per_second, enabled,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        f.name,
        f.module,
        f.settings_sealed,
        f.rate_per_second,
        f.enabled,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(
    conn: &Connection,
    id: i64,
    f: &RegistrarFields<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE registrars SET name = ?2, module = ?3, settings_sealed = ?4,
            rate_per_second = ?5, enabled = ?6, updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.name,
        f.module,
        f.settings_sealed,
        f.rate_per_second,
        f.enabled,
        now
    ])?;
    Ok(())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Registrar>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM registrars WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Registrar>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM registrars ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// Send a TLD's domains to `registrar_id` (`None`: the manual registrar).
pub fn map_tld(
    conn: &Connection,
    tld_id: i64,
    registrar_id: Option<i64>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tlds SET registrar_id = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![tld_id, registrar_id, now])?;
    Ok(())
}

/// The registrar a TLD (`.com`) is mapped to, if any.
pub fn of_tld(conn: &Connection, tld: &str) -> rusqlite::Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT registrar_id FROM tlds WHERE tld = ?1")?
        .query_row([tld], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten())
}

/// The TLDs mapped to each registrar: `(tld, registrar_id)`.
pub fn tld_mapping(conn: &Connection) -> rusqlite::Result<Vec<(String, Option<i64>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT tld, registrar_id FROM tlds ORDER BY sort_order, tld")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// After a master-key reset: settings sealed under the old key open no
/// more, so they are emptied and their registrars disabled until staff
/// enter them again; answers how many.
pub fn clear_sealed_settings(conn: &Connection, now: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE registrars SET settings_sealed = X'', enabled = (module = 'manual'), updated_at = ?1
         WHERE length(settings_sealed) > 0",
    )?
    .execute([now])
}
