//! An addon row: reading, writing and listing addons.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Addon {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub status: String,
    pub sort_order: i64,
}

const COLUMNS: &str = "id, uuid, name, slug, description, status, sort_order";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Addon> {
    Ok(Addon {
        id: r.get(0)?,
        uuid: r.get(1)?,
        name: r.get(2)?,
        slug: r.get(3)?,
        description: r.get(4)?,
        status: r.get(5)?,
        sort_order: r.get(6)?,
    })
}

pub struct AddonFields<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub status: &'a str,
    pub sort_order: i64,
}

pub fn insert(
    conn: &Connection,
    uuid: &str,
    a: &AddonFields<'_>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO addons (uuid, name, slug, description, status, sort_order, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![uuid, a.name, a.slug, a.description, a.status, a.sort_order, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, a: &AddonFields<'_>, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE addons SET name = ?2, slug = ?3, description = ?4, status = ?5, sort_order = ?6,
            updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        id,
        a.name,
        a.slug,
        a.description,
        a.status,
        a.sort_order,
        now
    ])?;
    Ok(())
}

pub fn set_status(conn: &Connection, id: i64, status: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE addons SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

/// An addon by id, uuid or slug.
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Addon>> {
    let id = ident.parse::<i64>().ok();
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM addons WHERE id = ?1 OR uuid = ?2 OR slug = ?2"
    ))?
    .query_row(params![id, ident], from_row)
    .optional()
}

/// Addons in display order, limited to `statuses`.
pub fn list(conn: &Connection, statuses: &[&str]) -> rusqlite::Result<Vec<Addon>> {
    let wanted = serde_json::to_string(statuses).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM addons WHERE status IN (SELECT value FROM json_each(?1))
         ORDER BY sort_order, id"
    ))?;
    let rows = stmt.query_map([wanted], from_row)?;
    rows.collect()
}
