//! Tax rules (`tax_rules`).

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRule {
    pub id: i64,
    pub country: String,
    pub state: String,
    pub name: String,
    pub rate_milli: i64,
    pub created_at: String,
}

const COLUMNS: &str = "id, country, state, name, rate_milli, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TaxRule> {
    Ok(TaxRule {
        id: r.get(0)?,
        country: r.get(1)?,
        state: r.get(2)?,
        name: r.get(3)?,
        rate_milli: r.get(4)?,
        created_at: r.get(5)?,
    })
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<TaxRule>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tax_rules ORDER BY country, state"
    ))?
    .query_map([], from_row)?
    .collect()
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<TaxRule>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM tax_rules WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// The rule for a place: the state's own rule if there is one, else the
/// country's.
pub fn for_place(
    conn: &Connection,
    country: &str,
    state: &str,
) -> rusqlite::Result<Option<TaxRule>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tax_rules
         WHERE country = ?1 AND (state = ?2 OR state = '')
         ORDER BY state = '' LIMIT 1"
    ))?
    .query_row(params![country, state], from_row)
    .optional()
}

/// Insert or replace the rule for (country, state); answers its id.
pub fn upsert(
    conn: &Connection,
    country: &str,
    state: &str,
    name: &str,
    rate_milli: i64,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO tax_rules (country, state, name, rate_milli, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (country, state) DO UPDATE SET name = excluded.name, rate_milli = excluded.rate_milli
         RETURNING id",
    )?
    .query_row(params![country, state, name, rate_milli, now], |r| r.get(0))
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM tax_rules WHERE id = ?1")?
        .execute([id])?
        > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_rule_wins_over_its_countrys() {
        let conn = crate::db::test_connection();
        upsert(&conn, "US", "", "Sales tax", 0, "t").unwrap();
        upsert(&conn, "US", "NY", "NY sales tax", 8_875, "t").unwrap();
        assert_eq!(
            for_place(&conn, "US", "NY").unwrap().unwrap().rate_milli,
            8_875
        );
        assert_eq!(for_place(&conn, "US", "TX").unwrap().unwrap().rate_milli, 0);
        assert!(for_place(&conn, "GB", "").unwrap().is_none());
        // Saving the same place again replaces its rule.
        let id = upsert(&conn, "US", "NY", "NY tax", 9_000, "t").unwrap();
        assert_eq!(find(&conn, id).unwrap().unwrap().name, "NY tax");
        assert_eq!(list(&conn).unwrap().len(), 2);
        assert!(delete(&conn, id).unwrap());
        assert!(!delete(&conn, id).unwrap());
    }
}
