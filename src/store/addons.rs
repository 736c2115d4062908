//! The `addons`, `addon_prices`, `product_addons` and `service_addons`
//! tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::catalog::Price;

#[derive(Debug, Clone)]
pub struct Addon {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub status: String,
    pub sort_order: i64,
}

const COLUMNS: &str = "id, uuid, name, slug, description, status, sort_order";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Addon> {
    Ok(Addon {
        id: r.get(0)?,
        uuid: r.get(1)?,
        name: r.get(2)?,
        slug: r.get(3)?,
        description: r.get(4)?,
        status: r.get(5)?,
        sort_order: r.get(6)?,
    })
}

pub struct AddonFields<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub status: &'a str,
    pub sort_order: i64,
}

pub fn insert(
    conn: &Connection,
    uuid: &str,
    a: &AddonFields<'_>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO addons (uuid, name, slug, description, status, sort_order, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![uuid, a.name, a.slug, a.description, a.status, a.sort_order, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, a: &AddonFields<'_>, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE addons SET name = ?2, slug = ?3, description = ?4, status = ?5, sort_order = ?6,
            updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        id,
        a.name,
        a.slug,
        a.description,
        a.status,
        a.sort_order,
        now
    ])?;
    Ok(())
}

pub fn set_status(conn: &Connection, id: i64, status: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE addons SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

/// An addon by id, uuid or slug.
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Addon>> {
    let id = ident.parse::<i64>().ok();
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM addons WHERE id = ?1 OR uuid = ?2 OR slug = ?2"
    ))?
    .query_row(params![id, ident], from_row)
    .optional()
}

/// Addons in display order, limited to `statuses`.
pub fn list(conn: &Connection, statuses: &[&str]) -> rusqlite::Result<Vec<Addon>> {
    let wanted = serde_json::to_string(statuses).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM addons WHERE status IN (SELECT value FROM json_each(?1))
         ORDER BY sort_order, id"
    ))?;
    let rows = stmt.query_map([wanted], from_row)?;
    rows.collect()
}

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

pub fn prices(conn: &Connection, addon_id: i64) -> rusqlite::Result<Vec<Price>> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, cycle, price, setup_fee FROM addon_prices WHERE addon_id = ?1
         ORDER BY currency,
           CASE cycle WHEN 'onetime' THEN 0 WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 2
                      WHEN 'semiannually' THEN 3 WHEN 'annually' THEN 4 WHEN 'biennially' THEN 5 ELSE 6 END",
    )?;
    let rows = stmt.query_map([addon_id], |r| {
        Ok(Price {
            currency: r.get(0)?,
            cycle: r.get(1)?,
            price: r.get(2)?,
            setup_fee: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Replace every price of an addon.
pub fn set_prices(conn: &Connection, addon_id: i64, prices: &[Price]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM addon_prices WHERE addon_id = ?1")?
        .execute([addon_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO addon_prices (addon_id, currency, cycle, price, setup_fee) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in prices {
        insert.execute(params![addon_id, p.currency, p.cycle, p.price, p.setup_fee])?;
    }
    Ok(())
}

/// An addon a service was ordered with.
#[derive(Debug, Clone)]
pub struct ServiceAddon {
    pub id: i64,
    pub uuid: String,
    pub service_id: i64,
    pub addon_id: i64,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount: i64,
    pub status: String,
    pub next_due_date: Option<String>,
}

pub struct NewServiceAddon<'a> {
    pub uuid: &'a str,
    pub service_id: i64,
    pub addon_id: i64,
    pub billing_cycle: &'a str,
    pub currency: &'a str,
    pub recurring_amount: i64,
    pub now: &'a str,
}

pub fn insert_service_addon(conn: &Connection, a: &NewServiceAddon<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO service_addons (uuid, service_id, addon_id, billing_cycle, currency,
            recurring_amount, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        a.uuid,
        a.service_id,
        a.addon_id,
        a.billing_cycle,
        a.currency,
        a.recurring_amount,
        a.now
    ])?;
    Ok(conn.last_insert_rowid())
}

const SERVICE_ADDON_COLUMNS: &str = "id, uuid, service_id, addon_id, billing_cycle, currency, \
     recurring_amount, status, next_due_date";

fn service_addon_from_row(r: &Row<'_>) -> rusqlite::Result<ServiceAddon> {
    Ok(ServiceAddon {
        id: r.get(0)?,
        uuid: r.get(1)?,
        service_id: r.get(2)?,
        addon_id: r.get(3)?,
        billing_cycle: r.get(4)?,
        currency: r.get(5)?,
        recurring_amount: r.get(6)?,
        status: r.get(7)?,
        next_due_date: r.get(8)?,
    })
}

pub fn of_service(conn: &Connection, service_id: i64) -> rusqlite::Result<Vec<ServiceAddon>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVICE_ADDON_COLUMNS} FROM service_addons WHERE service_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([service_id], service_addon_from_row)?;
    rows.collect()
}

/// Make a pending service addon active; false when it was not pending.
pub fn activate_service_addon(
    conn: &Connection,
    id: i64,
    registration_date: &str,
    next_due_date: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE service_addons SET status = 'active', registration_date = ?2, next_due_date = ?3,
                activated_at = ?4, updated_at = ?4
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, registration_date, next_due_date, now])?;
    Ok(n == 1)
}

/// Cancel the pending addons of an order's services.
pub fn cancel_pending_of_order(
    conn: &Connection,
    order_id: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_addons SET status = 'cancelled', updated_at = ?2
         WHERE status = 'pending' AND service_id IN (SELECT id FROM services WHERE order_id = ?1)",
    )?
    .execute(params![order_id, now])?;
    Ok(())
}

/// An addon ordered for a live service, waiting for `invoice_id` (or, with
/// no invoice, free and started by the caller at once).
pub fn insert_ordered(
    conn: &Connection,
    a: &NewServiceAddon<'_>,
    invoice_id: Option<i64>,
) -> rusqlite::Result<i64> {
    let id = insert_service_addon(conn, a)?;
    conn.prepare_cached("UPDATE service_addons SET invoice_id = ?2 WHERE id = ?1")?
        .execute(params![id, invoice_id])?;
    Ok(id)
}

/// Does the service hold this addon (pending or active)?
pub fn holds(conn: &Connection, service_id: i64, addon_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM service_addons WHERE service_id = ?1 AND addon_id = ?2
            AND status IN ('pending', 'active', 'suspended'))",
    )?
    .query_row(params![service_id, addon_id], |r| r.get(0))
}

/// The pending addons an invoice charges for.
pub fn pending_of_invoice(
    conn: &Connection,
    invoice_id: i64,
) -> rusqlite::Result<Vec<ServiceAddon>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVICE_ADDON_COLUMNS} FROM service_addons
         WHERE invoice_id = ?1 AND status = 'pending' ORDER BY id"
    ))?;
    let rows = stmt.query_map([invoice_id], service_addon_from_row)?;
    rows.collect()
}

/// Cancel a pending service addon; false when it was not pending.
pub fn cancel_pending(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE service_addons SET status = 'cancelled', updated_at = ?2
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, now])?
        == 1)
}

/// Move the next due date of a service's active periodic addons along with
/// the service's (they renew on its invoices).
pub fn follow_service_due(
    conn: &Connection,
    service_id: i64,
    next_due: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_addons SET next_due_date = ?2, updated_at = ?3
         WHERE service_id = ?1 AND status = 'active' AND billing_cycle <> 'onetime'
           AND (next_due_date IS NULL OR next_due_date < ?2)",
    )?
    .execute(params![service_id, next_due, now])?;
    Ok(())
}

/// Bill a service addon in another cycle at `amount` from its next renewal.
pub fn set_cycle(
    conn: &Connection,
    id: i64,
    cycle: &str,
    amount: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_addons SET billing_cycle = ?2, recurring_amount = ?3, updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![id, cycle, amount, now])?;
    Ok(())
}
