//! The `dns_records` table: till's copy of each zone's records (why a
//! copy: see migration 0022), in the order they were added.

use rusqlite::{Connection, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: i64,
    pub zone_id: i64,
    /// Absolute, with the trailing dot.
    pub name: String,
    pub kind: String,
    pub data: String,
    pub priority: Option<i64>,
    pub ttl: i64,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredRecord> {
    Ok(StoredRecord {
        id: r.get(0)?,
        zone_id: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        data: r.get(4)?,
        priority: r.get(5)?,
        ttl: r.get(6)?,
    })
}

/// A record to keep: its id when it is one already stored.
pub struct KeptRecord<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
    pub kind: &'a str,
    pub data: &'a str,
    pub priority: Option<i64>,
    pub ttl: i64,
}

pub fn of_zone(conn: &Connection, zone_id: i64) -> rusqlite::Result<Vec<StoredRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, zone_id, name, type, data, priority, ttl FROM dns_records
         WHERE zone_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([zone_id], from_row)?;
    rows.collect()
}

/// Make the zone's records exactly `records`: those with an id are
/// updated in place (so their ids stay), the rest inserted, and every
/// other stored record deleted. Answers the ids in `records`' order.
pub fn replace(
    conn: &Connection,
    zone_id: i64,
    records: &[KeptRecord<'_>],
) -> rusqlite::Result<Vec<i64>> {
    let kept: Vec<i64> = records.iter().filter_map(|r| r.id).collect();
    for old in of_zone(conn, zone_id)? {
        if !kept.contains(&old.id) {
            conn.prepare_cached("DELETE FROM dns_records WHERE id = ?1")?
                .execute([old.id])?;
        }
    }
    let mut ids = Vec::with_capacity(records.len());
    for r in records {
        let id = match r.id {
            Some(id) => {
                conn.prepare_cached(
                    "UPDATE dns_records SET name = ?3, type = ?4, data = ?5, priority = ?6, ttl = ?7
                     WHERE id = ?1 AND zone_id = ?2",
                )?
                .execute(params![id, zone_id, r.name, r.kind, r.data, r.priority, r.ttl])?;
                id
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO dns_records (zone_id, name, type, data, priority, ttl)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![zone_id, r.name, r.kind, r.data, r.priority, r.ttl])?;
                conn.last_insert_rowid()
            }
        };
        ids.push(id);
    }
    Ok(ids)
}
