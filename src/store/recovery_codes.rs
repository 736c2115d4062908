//! The `recovery_codes` table.

use rusqlite::{Connection, params};

pub fn replace_all(conn: &Connection, user_id: i64, hashes: &[String]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM recovery_codes WHERE user_id = ?1")?
        .execute([user_id])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)")?;
    for hash in hashes {
        insert.execute(params![user_id, hash])?;
    }
    Ok(())
}

/// Use the unused code with this hash; answers whether there was one.
pub fn use_code(conn: &Connection, user_id: i64, hash: &str, now: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE recovery_codes SET used_at = ?3
             WHERE id = (SELECT id FROM recovery_codes
                         WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL LIMIT 1)",
        )?
        .execute(params![user_id, hash, now])?;
    Ok(n == 1)
}

pub fn count_unused(conn: &Connection, user_id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL",
    )?
    .query_row([user_id], |r| r.get(0))
}

pub fn delete_all(conn: &Connection, user_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM recovery_codes WHERE user_id = ?1")?
        .execute([user_id])?;
    Ok(())
}
