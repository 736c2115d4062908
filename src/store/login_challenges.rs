//! The `login_challenges` and `staff_login_challenges` tables: a browser
//! login waiting for its second factor.

use rusqlite::{Connection, OptionalExtension, params};

pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: i64,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![token_hash, user_id, now, expires_at])?;
    Ok(conn.last_insert_rowid())
}

/// The user of a live, unconsumed challenge.
pub fn find_live(
    conn: &Connection,
    token_hash: &str,
    now: &str,
) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.prepare_cached(
        "SELECT id, user_id FROM login_challenges
         WHERE token_hash = ?1 AND consumed_at IS NULL AND expires_at > ?2",
    )?
    .query_row(params![token_hash, now], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

pub fn consume(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE login_challenges SET consumed_at = ?2 WHERE id = ?1 AND consumed_at IS NULL",
        )?
        .execute(params![id, now])?;
    Ok(n == 1)
}

pub fn delete_expired_before(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    let users = conn
        .prepare_cached("DELETE FROM login_challenges WHERE expires_at < ?1")?
        .execute([before])?;
    let staff = conn
        .prepare_cached("DELETE FROM staff_login_challenges WHERE expires_at < ?1")?
        .execute([before])?;
    Ok(users + staff)
}

pub fn insert_staff(
    conn: &Connection,
    token_hash: &str,
    staff_id: i64,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO staff_login_challenges (token_hash, staff_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![token_hash, staff_id, now, expires_at])?;
    Ok(conn.last_insert_rowid())
}

/// The staff member of a live, unconsumed challenge: (challenge, staff).
pub fn find_live_staff(
    conn: &Connection,
    token_hash: &str,
    now: &str,
) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.prepare_cached(
        "SELECT id, staff_id FROM staff_login_challenges
         WHERE token_hash = ?1 AND consumed_at IS NULL AND expires_at > ?2",
    )?
    .query_row(params![token_hash, now], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

pub fn consume_staff(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE staff_login_challenges SET consumed_at = ?2
             WHERE id = ?1 AND consumed_at IS NULL",
        )?
        .execute(params![id, now])?;
    Ok(n == 1)
}
