//! Which products offer an addon.

use rusqlite::{Connection, params};

use super::addon::{Addon, from_row};

/// The addons attached to a product, in display order, limited to `statuses`.
pub fn of_product(
    conn: &Connection,
    product_id: i64,
    statuses: &[&str],
) -> rusqlite::Result<Vec<Addon>> {
    let wanted = serde_json::to_string(statuses).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.uuid, a.name, a.slug, a.description, a.status, a.sort_order
         FROM addons a JOIN product_addons pa ON pa.addon_id = a.id
         WHERE pa.product_id = ?1 AND a.status IN (SELECT value FROM json_each(?2))
         ORDER BY a.sort_order, a.id",
    )?;
    let rows = stmt.query_map(params![product_id, wanted], from_row)?;
    rows.collect()
}

/// The ids of the products an addon is attached to.
pub fn products_of(conn: &Connection, addon_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT product_id FROM product_addons WHERE addon_id = ?1 ORDER BY product_id",
    )?;
    let rows = stmt.query_map([addon_id], |r| r.get(0))?;
    rows.collect()
}

/// Replace the products an addon is attached to.
pub fn set_products(conn: &Connection, addon_id: i64, products: &[i64]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM product_addons WHERE addon_id = ?1")?
        .execute([addon_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO product_addons (product_id, addon_id) VALUES (?1, ?2)",
    )?;
    for p in products {
        insert.execute(params![p, addon_id])?;
    }
    Ok(())
}
