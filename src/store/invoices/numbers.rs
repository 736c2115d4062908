//! Invoice numbers: the next one from the counter, and setting it.

use rusqlite::{Connection, params};

/// The next number of a series; the counter moves in the caller's
/// transaction, so a rolled-back invoice gives its number back.
pub fn next_number(conn: &Connection, series: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO invoice_counters (series, last_number) VALUES (?1, 1)
         ON CONFLICT (series) DO UPDATE SET last_number = last_number + 1
         RETURNING last_number",
    )?
    .query_row([series], |r| r.get(0))
}

/// Number a proforma once it is paid (see `service::numbering`).
pub fn set_number(conn: &Connection, id: i64, number: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE invoices SET number = ?2 WHERE id = ?1 AND number IS NULL")?
        .execute(params![id, number])?;
    Ok(())
}
