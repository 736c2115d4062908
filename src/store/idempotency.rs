//! The `idempotency_keys` table: a key per (scope, key), the digest of the
//! request it was first used with, the effect it made, and the answer the
//! surface stored after commit (`status` 0 until then).

use rusqlite::{Connection, OptionalExtension, params};

/// A key as stored.
#[derive(Debug, Clone)]
pub struct KeyRow {
    pub request_hash: String,
    /// 0 while no answer is stored.
    pub status: u16,
    pub response: String,
    /// `order`, `payment_attempt`, ...
    pub effect_kind: String,
    pub effect_id: Option<i64>,
}

pub fn find(conn: &Connection, scope: &str, key: &str) -> rusqlite::Result<Option<KeyRow>> {
    conn.prepare_cached(
        "SELECT request_hash, status, response, effect_kind, effect_id
         FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
    )?
    .query_row(params![scope, key], |r| {
        Ok(KeyRow {
            request_hash: r.get(0)?,
            status: r.get(1)?,
            response: r.get(2)?,
            effect_kind: r.get(3)?,
            effect_id: r.get(4)?,
        })
    })
    .optional()
}

/// Record a key with the effect it made, in the effect's transaction.
/// False if the key already exists.
pub fn record(
    conn: &Connection,
    scope: &str,
    key: &str,
    request_hash: &str,
    effect_kind: &str,
    effect_id: i64,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO idempotency_keys
                (scope, key, request_hash, status, response, effect_kind, effect_id, created_at)
             VALUES (?1, ?2, ?3, 0, '', ?4, ?5, ?6) ON CONFLICT (scope, key) DO NOTHING",
        )?
        .execute(params![
            scope,
            key,
            request_hash,
            effect_kind,
            effect_id,
            now
        ])?
        == 1)
}

/// Store the surface's answer for a recorded key; the first answer stays.
pub fn store_answer(
    conn: &Connection,
    scope: &str,
    key: &str,
    status: u16,
    response: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE idempotency_keys SET status = ?3, response = ?4
         WHERE scope = ?1 AND key = ?2 AND status = 0",
    )?
    .execute(params![scope, key, status, response])?;
    Ok(())
}

/// Give back a key whose work failed before any answer (a retry may try
/// again).
pub fn release(conn: &Connection, scope: &str, key: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND status = 0",
    )?
    .execute(params![scope, key])?;
    Ok(())
}

pub fn delete_before(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM idempotency_keys WHERE created_at < ?1")?
        .execute([before])
}
