//! `canned_replies`: text staff paste into a reply.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedReply {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<CannedReply> {
    Ok(CannedReply {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

pub fn insert(conn: &Connection, title: &str, body: &str, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO canned_replies (title, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![title, body, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(
    conn: &Connection,
    id: i64,
    title: &str,
    body: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE canned_replies SET title = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
        )?
        .execute(params![id, title, body, now])?;
    Ok(n == 1)
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM canned_replies WHERE id = ?1")?
        .execute([id])?
        == 1)
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<CannedReply>> {
    conn.prepare_cached(
        "SELECT id, title, body, created_at, updated_at FROM canned_replies WHERE id = ?1",
    )?
    .query_row([id], from_row)
    .optional()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<CannedReply>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, body, created_at, updated_at FROM canned_replies ORDER BY title",
    )?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}
