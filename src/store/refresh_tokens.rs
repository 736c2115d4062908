//! The `refresh_tokens` table: one family per session, each token pointing
//! to its parent; UNIQUE(parent_id) means a token has at most one successor.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub id: i64,
    pub session_id: i64,
    pub parent_id: Option<i64>,
    pub created_at: String,
    pub expires_at: String,
    pub rotated_at: Option<String>,
}

const COLUMNS: &str = "id, session_id, parent_id, created_at, expires_at, rotated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<RefreshToken> {
    Ok(RefreshToken {
        id: r.get(0)?,
        session_id: r.get(1)?,
        parent_id: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
        rotated_at: r.get(5)?,
    })
}

pub fn insert(
    conn: &Connection,
    session_id: i64,
    parent_id: Option<i64>,
    token_hash: &str,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO refresh_tokens (session_id, parent_id, token_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![session_id, parent_id, token_hash, now, expires_at])?;
    Ok(conn.last_insert_rowid())
}

pub fn find_by_hash(conn: &Connection, hash: &str) -> rusqlite::Result<Option<RefreshToken>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM refresh_tokens WHERE token_hash = ?1"
    ))?
    .query_row([hash], from_row)
    .optional()
}

pub fn successor_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<RefreshToken>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM refresh_tokens WHERE parent_id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()
}

/// Mark a token exchanged; answers false if it already was.
pub fn mark_rotated(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE refresh_tokens SET rotated_at = ?2 WHERE id = ?1 AND rotated_at IS NULL",
        )?
        .execute(params![id, now])?;
    Ok(n == 1)
}
