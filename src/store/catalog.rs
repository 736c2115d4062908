//! The `product_groups`, `products` and `product_prices` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Group {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub sort_order: i64,
    pub visible: bool,
}

const GROUP_COLUMNS: &str = "id, uuid, name, slug, description, sort_order, visible";

fn group_from_row(r: &Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        id: r.get(0)?,
        uuid: r.get(1)?,
        name: r.get(2)?,
        slug: r.get(3)?,
        description: r.get(4)?,
        sort_order: r.get(5)?,
        visible: r.get(6)?,
    })
}

pub struct GroupFields<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub sort_order: i64,
    pub visible: bool,
}

pub fn insert_group(
    conn: &Connection,
    uuid: &str,
    g: &GroupFields<'_>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO product_groups (uuid, name, slug, description, sort_order, visible, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![uuid, g.name, g.slug, g.description, g.sort_order, g.visible, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_group(
    conn: &Connection,
    id: i64,
    g: &GroupFields<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE product_groups SET name = ?2, slug = ?3, description = ?4, sort_order = ?5, visible = ?6,
            updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![id, g.name, g.slug, g.description, g.sort_order, g.visible, now])?;
    Ok(())
}

/// Groups in display order; only visible ones unless `all`.
pub fn groups(conn: &Connection, all: bool) -> rusqlite::Result<Vec<Group>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {GROUP_COLUMNS} FROM product_groups WHERE ?1 OR visible = 1 ORDER BY sort_order, id"
    ))?;
    let rows = stmt.query_map([all], group_from_row)?;
    rows.collect()
}

/// A group by id, uuid or slug.
pub fn find_group(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Group>> {
    let id = ident.parse::<i64>().ok();
    conn.prepare_cached(&format!(
        "SELECT {GROUP_COLUMNS} FROM product_groups WHERE id = ?1 OR uuid = ?2 OR slug = ?2"
    ))?
    .query_row(params![id, ident], group_from_row)
    .optional()
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: i64,
    pub uuid: String,
    pub group_id: i64,
    pub kind: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub status: String,
    pub stock: Option<i64>,
    pub requires_domain: bool,
    pub module: String,
    pub module_settings: String,
    pub sort_order: i64,
}

const PRODUCT_COLUMNS: &str = "id, uuid, group_id, kind, name, slug, description, status, stock, \
     requires_domain, module, module_settings, sort_order";

fn product_from_row(r: &Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        id: r.get(0)?,
        uuid: r.get(1)?,
        group_id: r.get(2)?,
        kind: r.get(3)?,
        name: r.get(4)?,
        slug: r.get(5)?,
        description: r.get(6)?,
        status: r.get(7)?,
        stock: r.get(8)?,
        requires_domain: r.get(9)?,
        module: r.get(10)?,
        module_settings: r.get(11)?,
        sort_order: r.get(12)?,
    })
}

pub struct ProductFields<'a> {
    pub group_id: i64,
    pub kind: &'a str,
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub status: &'a str,
    pub stock: Option<i64>,
    pub requires_domain: bool,
    pub module: &'a str,
    pub module_settings: &'a str,
    pub sort_order: i64,
}

pub fn insert_product(
    conn: &Connection,
    uuid: &str,
    p: &ProductFields<'_>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO products (uuid, group_id, kind, name, slug, description, status, stock,
            requires_domain, module, module_settings, sort_order, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        uuid,
        p.group_id,
        p.kind,
        p.name,
        p.slug,
        p.description,
        p.status,
        p.stock,
        p.requires_domain,
        p.module,
        p.module_settings,
        p.sort_order,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_product(
    conn: &Connection,
    id: i64,
    p: &ProductFields<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE products SET group_id = ?2, kind = ?3, name = ?4, slug = ?5, description = ?6,
            status = ?7, stock = ?8, requires_domain = ?9, module = ?10, module_settings = ?11,
            sort_order = ?12, updated_at = ?13
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        p.group_id,
        p.kind,
        p.name,
        p.slug,
        p.description,
        p.status,
        p.stock,
        p.requires_domain,
        p.module,
        p.module_settings,
        p.sort_order,
        now
    ])?;
    Ok(())
}

pub fn set_status(conn: &Connection, id: i64, status: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE products SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

/// A product by id, uuid or slug.
pub fn find_product(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Product>> {
    let id = ident.parse::<i64>().ok();
    conn.prepare_cached(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE id = ?1 OR uuid = ?2 OR slug = ?2"
    ))?
    .query_row(params![id, ident], product_from_row)
    .optional()
}

/// Products in display order: of one group or all; `statuses` limits them.
pub fn products(
    conn: &Connection,
    group_id: Option<i64>,
    statuses: &[&str],
) -> rusqlite::Result<Vec<Product>> {
    let wanted = serde_json::to_string(statuses).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products
         WHERE (?1 IS NULL OR group_id = ?1) AND status IN (SELECT value FROM json_each(?2))
         ORDER BY sort_order, id"
    ))?;
    let rows = stmt.query_map(params![group_id, wanted], product_from_row)?;
    rows.collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub currency: String,
    pub cycle: String,
    pub price: i64,
    pub setup_fee: i64,
}

pub fn prices(conn: &Connection, product_id: i64) -> rusqlite::Result<Vec<Price>> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, cycle, price, setup_fee FROM product_prices WHERE product_id = ?1
         ORDER BY currency,
           CASE cycle WHEN 'onetime' THEN 0 WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 2
                      WHEN 'semiannually' THEN 3 WHEN 'annually' THEN 4 WHEN 'biennially' THEN 5 ELSE 6 END",
    )?;
    let rows = stmt.query_map([product_id], |r| {
        Ok(Price {
            currency: r.get(0)?,
            cycle: r.get(1)?,
            price: r.get(2)?,
            setup_fee: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Replace every price of a product.
pub fn set_prices(conn: &Connection, product_id: i64, prices: &[Price]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM product_prices WHERE product_id = ?1")?
        .execute([product_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO product_prices (product_id, currency, cycle, price, setup_fee) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in prices {
        insert.execute(params![
            product_id,
            p.currency,
            p.cycle,
            p.price,
            p.setup_fee
        ])?;
    }
    Ok(())
}
