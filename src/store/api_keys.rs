//! The `api_keys` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct ApiKey {
    pub id: i64,
    pub uuid: String,
    pub staff_id: i64,
    pub name: String,
    pub prefix: String,
    pub secret_hash: String,
    pub scopes: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub last_used_ip: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

const COLUMNS: &str = "id, uuid, staff_id, name, prefix, secret_hash, scopes, created_at, \
     last_used_at, last_used_ip, expires_at, revoked_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ApiKey> {
    Ok(ApiKey {
        id: r.get(0)?,
        uuid: r.get(1)?,
        staff_id: r.get(2)?,
        name: r.get(3)?,
        prefix: r.get(4)?,
        secret_hash: r.get(5)?,
        scopes: r.get(6)?,
        created_at: r.get(7)?,
        last_used_at: r.get(8)?,
        last_used_ip: r.get(9)?,
        expires_at: r.get(10)?,
        revoked_at: r.get(11)?,
    })
}

pub struct NewApiKey<'a> {
    pub uuid: &'a str,
    pub staff_id: i64,
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a str,
    pub scopes: &'a str,
    pub expires_at: Option<&'a str>,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, k: &NewApiKey<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO api_keys (uuid, staff_id, name, prefix, secret_hash, scopes, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![k.uuid, k.staff_id, k.name, k.prefix, k.secret_hash, k.scopes, k.expires_at, k.now])?;
    Ok(conn.last_insert_rowid())
}

pub fn find_by_prefix(conn: &Connection, prefix: &str) -> rusqlite::Result<Option<ApiKey>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM api_keys WHERE prefix = ?1"))?
        .query_row([prefix], from_row)
        .optional()
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<ApiKey>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Keys that are not revoked; of one staff member, or of everyone.
pub fn list_active(conn: &Connection, staff_id: Option<i64>) -> rusqlite::Result<Vec<ApiKey>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM api_keys
         WHERE revoked_at IS NULL AND (?1 IS NULL OR staff_id = ?1) ORDER BY id"
    ))?;
    let rows = stmt.query_map([staff_id], from_row)?;
    rows.collect()
}

pub fn revoke(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![id, now])?;
    Ok(n == 1)
}

pub fn touch(conn: &Connection, id: i64, now: &str, ip: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE api_keys SET last_used_at = ?2, last_used_ip = COALESCE(?3, last_used_ip) WHERE id = ?1")?
        .execute(params![id, now, ip])?;
    Ok(())
}
