//! The `carts` and `cart_items` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Cart {
    pub id: i64,
    pub public_id: String,
    pub user_id: Option<i64>,
    pub client_id: Option<i64>,
    pub promo_code: Option<String>,
    pub status: String,
    pub order_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str =
    "id, public_id, user_id, client_id, promo_code, status, order_id, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Cart> {
    Ok(Cart {
        id: r.get(0)?,
        public_id: r.get(1)?,
        user_id: r.get(2)?,
        client_id: r.get(3)?,
        promo_code: r.get(4)?,
        status: r.get(5)?,
        order_id: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

#[derive(Debug, Clone)]
pub struct CartItem {
    pub item_id: String,
    pub request: String,
}

pub fn insert(
    conn: &Connection,
    public_id: &str,
    user_id: Option<i64>,
    client_id: Option<i64>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO carts (public_id, user_id, client_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(params![public_id, user_id, client_id, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, public_id: &str) -> rusqlite::Result<Option<Cart>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM carts WHERE public_id = ?1"))?
        .query_row([public_id], from_row)
        .optional()
}

/// A user's open carts, newest first.
pub fn of_user(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<Cart>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM carts WHERE user_id = ?1 AND status = 'open' ORDER BY id DESC"
    ))?
    .query_map([user_id], from_row)?
    .collect()
}

/// Give a guest cart to a user (nothing if someone already has it).
pub fn claim(
    conn: &Connection,
    id: i64,
    user_id: i64,
    client_id: Option<i64>,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE carts SET user_id = ?2, client_id = ?3, updated_at = ?4
             WHERE id = ?1 AND user_id IS NULL",
        )?
        .execute(params![id, user_id, client_id, now])?
        == 1)
}

pub fn set_promo(
    conn: &Connection,
    id: i64,
    code: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE carts SET promo_code = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, code, now])?;
    Ok(())
}

pub fn touch(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE carts SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// The order a cart was checked out as, if it was.
pub fn order_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT order_id FROM carts WHERE id = ?1 AND status = 'ordered'")?
        .query_row([id], |r| r.get(0))
        .optional()
        .map(Option::flatten)
}

pub fn mark_ordered(conn: &Connection, id: i64, order_id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE carts SET status = 'ordered', order_id = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, order_id, now])?;
    Ok(())
}

pub fn items(conn: &Connection, cart_id: i64) -> rusqlite::Result<Vec<CartItem>> {
    conn.prepare_cached("SELECT item_id, request FROM cart_items WHERE cart_id = ?1 ORDER BY id")?
        .query_map([cart_id], |r| {
            Ok(CartItem {
                item_id: r.get(0)?,
                request: r.get(1)?,
            })
        })?
        .collect()
}

pub fn add_item(
    conn: &Connection,
    cart_id: i64,
    item_id: &str,
    request: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO cart_items (cart_id, item_id, request, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![cart_id, item_id, request, now])?;
    Ok(())
}

/// Remove one item; false if the cart has no such item.
pub fn remove_item(conn: &Connection, cart_id: i64, item_id: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM cart_items WHERE cart_id = ?1 AND item_id = ?2")?
        .execute(params![cart_id, item_id])?
        == 1)
}

pub fn clear(conn: &Connection, cart_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM cart_items WHERE cart_id = ?1")?
        .execute([cart_id])?;
    Ok(())
}

/// Forget carts nobody touched since `before` (and carts already ordered).
pub fn delete_stale(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM carts WHERE updated_at < ?1")?
        .execute([before])
}
