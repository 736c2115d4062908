//! Invoice lines: writing and reading them.

use rusqlite::{Connection, params};

#[derive(Debug, Clone)]
pub struct Item {
    pub position: i64,
    pub kind: String,
    pub description: String,
    pub service_id: Option<i64>,
    /// The domain a `domain` line registers or transfers.
    pub domain_id: Option<i64>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub quantity: i64,
    pub unit_amount: i64,
    pub amount: i64,
}

impl Item {
    /// A line of `kind` without a service or period.
    pub fn plain(position: i64, kind: &str, description: &str, quantity: i64, unit: i64) -> Item {
        Item {
            position,
            kind: kind.to_string(),
            description: description.to_string(),
            service_id: None,
            domain_id: None,
            period_start: None,
            period_end: None,
            quantity,
            unit_amount: unit,
            amount: quantity * unit,
        }
    }

    /// A line staff wrote by hand.
    pub fn manual(position: i64, description: &str, quantity: i64, unit: i64) -> Item {
        Item::plain(position, "manual", description, quantity, unit)
    }
}

pub fn insert_item(conn: &Connection, invoice_id: i64, item: &Item) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO invoice_items (invoice_id, position, kind, description, service_id, period_start,
            period_end, quantity, unit_amount, amount, domain_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        invoice_id,
        item.position,
        item.kind,
        item.description,
        item.service_id,
        item.period_start,
        item.period_end,
        item.quantity,
        item.unit_amount,
        item.amount,
        item.domain_id
    ])?;
    Ok(())
}

pub fn items(conn: &Connection, invoice_id: i64) -> rusqlite::Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT position, kind, description, service_id, period_start, period_end, quantity, unit_amount, amount,
            domain_id
         FROM invoice_items WHERE invoice_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([invoice_id], |r| {
        Ok(Item {
            position: r.get(0)?,
            kind: r.get(1)?,
            description: r.get(2)?,
            service_id: r.get(3)?,
            period_start: r.get(4)?,
            period_end: r.get(5)?,
            quantity: r.get(6)?,
            unit_amount: r.get(7)?,
            amount: r.get(8)?,
            domain_id: r.get(9)?,
        })
    })?;
    rows.collect()
}
