//! The `dns_zones` table: a client's zones on a DNS backend, by service or
//! domain. A live zone is any not `deleted`; its name is unique among them.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub id: i64,
    pub client_id: i64,
    pub domain_id: Option<i64>,
    pub service_id: Option<i64>,
    /// Without the trailing dot.
    pub name: String,
    pub backend: String,
    pub status: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, client_id, domain_id, service_id, name, backend, status, last_error, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Zone> {
    Ok(Zone {
        id: r.get(0)?,
        client_id: r.get(1)?,
        domain_id: r.get(2)?,
        service_id: r.get(3)?,
        name: r.get(4)?,
        backend: r.get(5)?,
        status: r.get(6)?,
        last_error: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

pub struct NewZone<'a> {
    pub client_id: i64,
    pub domain_id: Option<i64>,
    pub service_id: Option<i64>,
    pub name: &'a str,
    pub backend: &'a str,
    pub now: &'a str,
}

/// A `pending` zone; `None` when a live zone already has the name.
pub fn insert(conn: &Connection, z: &NewZone<'_>) -> rusqlite::Result<Option<i64>> {
    let n = conn
        .prepare_cached(
            "INSERT INTO dns_zones (client_id, domain_id, service_id, name, backend, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT DO NOTHING",
        )?
        .execute(params![z.client_id, z.domain_id, z.service_id, z.name, z.backend, z.now])?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
}

/// A live zone by id.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Zone>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dns_zones WHERE id = ?1 AND status <> 'deleted'"
    ))?
    .query_row([id], from_row)
    .optional()
}

pub fn of_client(conn: &Connection, client_id: i64) -> rusqlite::Result<Vec<Zone>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dns_zones WHERE client_id = ?1 AND status <> 'deleted' ORDER BY id"
    ))?;
    let rows = stmt.query_map([client_id], from_row)?;
    rows.collect()
}

/// The live zone of a service.
pub fn of_service(conn: &Connection, service_id: i64) -> rusqlite::Result<Option<Zone>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dns_zones WHERE service_id = ?1 AND status <> 'deleted' ORDER BY id LIMIT 1"
    ))?
    .query_row([service_id], from_row)
    .optional()
}

/// The live zone of a domain.
pub fn of_domain(conn: &Connection, domain_id: i64) -> rusqlite::Result<Option<Zone>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dns_zones WHERE domain_id = ?1 AND status <> 'deleted' ORDER BY id LIMIT 1"
    ))?
    .query_row([domain_id], from_row)
    .optional()
}

/// Live zones for staff, newest first, with their count.
pub fn page(
    conn: &Connection,
    client_id: Option<i64>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<Zone>, i64)> {
    let filter =
        "status <> 'deleted' AND (?1 IS NULL OR client_id = ?1) AND (?2 IS NULL OR status = ?2)";
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dns_zones WHERE {filter} ORDER BY id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(params![client_id, status, limit, offset], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM dns_zones WHERE {filter}"))?
        .query_row(params![client_id, status], |r| r.get(0))?;
    Ok((rows, total))
}

/// `active`, or `failed` with why.
pub fn set_status(
    conn: &Connection,
    id: i64,
    status: &str,
    last_error: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE dns_zones SET status = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, status, last_error, now])?;
    Ok(())
}

/// Drop a zone the backend never made (its records with it).
pub fn remove_unmade(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM dns_records WHERE zone_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM dns_zones WHERE id = ?1 AND status <> 'active'")?
        .execute([id])?;
    Ok(())
}

/// The zone is gone from the backend: keep the row, drop its records.
pub fn mark_deleted(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM dns_records WHERE zone_id = ?1")?
        .execute([id])?;
    conn.prepare_cached(
        "UPDATE dns_zones SET status = 'deleted', deleted_at = ?2, updated_at = ?2, busy_until = NULL
         WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// Hold the zone for a change until `until`; `false` while another holds it.
pub fn hold(conn: &Connection, id: i64, now: &str, until: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE dns_zones SET busy_until = ?3
             WHERE id = ?1 AND status <> 'deleted' AND (busy_until IS NULL OR busy_until <= ?2)",
        )?
        .execute(params![id, now, until])?;
    Ok(n == 1)
}

pub fn release(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE dns_zones SET busy_until = NULL WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The live zone called `name`, whoever's it is.
pub fn find_by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<Zone>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dns_zones WHERE name = ?1 AND status <> 'deleted'"
    ))?
    .query_row([name], from_row)
    .optional()
}
