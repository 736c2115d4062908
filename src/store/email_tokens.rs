//! The `email_tokens` table: single-use links for email verification and
//! password reset.

use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone)]
pub struct EmailToken {
    pub id: i64,
    pub user_id: i64,
    pub expires_at: String,
    pub used_at: Option<String>,
}

pub fn insert(
    conn: &Connection,
    user_id: i64,
    purpose: &str,
    token_hash: &str,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO email_tokens (user_id, purpose, token_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![user_id, purpose, token_hash, now, expires_at])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(
    conn: &Connection,
    purpose: &str,
    token_hash: &str,
) -> rusqlite::Result<Option<EmailToken>> {
    conn.prepare_cached(
        "SELECT id, user_id, expires_at, used_at FROM email_tokens
         WHERE purpose = ?1 AND token_hash = ?2",
    )?
    .query_row(params![purpose, token_hash], |r| {
        Ok(EmailToken {
            id: r.get(0)?,
            user_id: r.get(1)?,
            expires_at: r.get(2)?,
            used_at: r.get(3)?,
        })
    })
    .optional()
}

/// Use a token; answers false if it was already used.
pub fn mark_used(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached("UPDATE email_tokens SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL")?
        .execute(params![id, now])?;
    Ok(n == 1)
}

/// Retire every unused token of this purpose for the user (a new one
/// replaces them; a reset password ends the others).
pub fn retire_all(
    conn: &Connection,
    user_id: i64,
    purpose: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE email_tokens SET used_at = ?3 WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL",
    )?
    .execute(params![user_id, purpose, now])?;
    Ok(())
}

pub fn delete_expired_before(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM email_tokens WHERE expires_at < ?1")?
        .execute([before])
}
