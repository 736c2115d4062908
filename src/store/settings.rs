//! The `settings` key/value table.

use rusqlite::{Connection, OptionalExtension, params};

pub fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()
}

pub fn put(conn: &Connection, key: &str, value: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )?
    .execute(params![key, value, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, key: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM settings WHERE key = ?1")?
        .execute([key])?
        > 0)
}

/// Insert only if absent; answers the value now stored.
pub fn get_or_insert(
    conn: &Connection,
    key: &str,
    value: &str,
    now: &str,
) -> rusqlite::Result<String> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO NOTHING",
    )?
    .execute(params![key, value, now])?;
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_overwrites_and_get_or_insert_keeps_the_first_value() {
        let conn = crate::db::test_connection();
        assert_eq!(get(&conn, "a").unwrap(), None);
        put(&conn, "a", "1", "t1").unwrap();
        put(&conn, "a", "2", "t2").unwrap();
        assert_eq!(get(&conn, "a").unwrap().as_deref(), Some("2"));
        assert_eq!(get_or_insert(&conn, "b", "first", "t").unwrap(), "first");
        assert_eq!(get_or_insert(&conn, "b", "second", "t").unwrap(), "first");
    }
}
