//! Opening connections with the pragmas every connection needs.

use std::{path::Path, time::Duration};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

use crate::config::{DatabaseConfig, Synchronous};

/// Open the writer connection: WAL, the configured `synchronous`, foreign
/// keys on.
///
/// `synchronous = FULL` is the default because an acknowledged payment must
/// survive a power cut; it costs one flush per commit, which is why every
/// use-case is one transaction rather than one per row.
pub fn open_writer(path: &Path, config: &DatabaseConfig) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_millis(config.busy_timeout_ms))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "journal_mode WAL refused (got {mode})"
        )));
    }
    let sync = match config.synchronous {
        Synchronous::Full => "FULL",
        Synchronous::Normal => "NORMAL",
    };
    conn.pragma_update(None, "synchronous", sync)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

/// The manager for the read pool: every connection is `query_only`, so a
/// write can only ever happen through the writer.
pub fn read_manager(path: &Path, config: &DatabaseConfig) -> SqliteConnectionManager {
    let busy = Duration::from_millis(config.busy_timeout_ms);
    SqliteConnectionManager::file(path).with_init(move |conn| {
        conn.busy_timeout(busy)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(())
    })
}

/// `PRAGMA quick_check`, answering the problems it found, if any.
pub fn quick_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    check(conn, "quick_check")
}

/// `PRAGMA integrity_check`, answering the problems it found, if any.
pub fn integrity_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    check(conn, "integrity_check")
}

fn check(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}
