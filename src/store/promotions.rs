//! Promotions (`promotions`, `promotion_uses`).

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub percent_milli: i64,
    pub amount: i64,
    pub currency: Option<String>,
    /// JSON array of product ids; empty means every product.
    pub product_ids: String,
    /// JSON array of cycle names; empty means every cycle.
    pub cycles: String,
    pub recurring: bool,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub once_per_client: bool,
    pub created_at: String,
}

const COLUMNS: &str = "id, code, kind, percent_milli, amount, currency, product_ids, cycles, \
     recurring, starts_at, ends_at, max_uses, uses, once_per_client, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Promotion> {
    Ok(Promotion {
        id: r.get(0)?,
        code: r.get(1)?,
        kind: r.get(2)?,
        percent_milli: r.get(3)?,
        amount: r.get(4)?,
        currency: r.get(5)?,
        product_ids: r.get(6)?,
        cycles: r.get(7)?,
        recurring: r.get(8)?,
        starts_at: r.get(9)?,
        ends_at: r.get(10)?,
        max_uses: r.get(11)?,
        uses: r.get(12)?,
        once_per_client: r.get(13)?,
        created_at: r.get(14)?,
    })
}

pub fn find_by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<Promotion>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM promotions WHERE code = ?1"))?
        .query_row([code], from_row)
        .optional()
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Promotion>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM promotions WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Promotion>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM promotions ORDER BY id DESC"
    ))?
    .query_map([], from_row)?
    .collect()
}

/// A new promotion; answers its id.
pub fn insert(conn: &Connection, p: &Promotion) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO promotions (code, kind, percent_milli, amount, currency, product_ids, cycles,
            recurring, starts_at, ends_at, max_uses, uses, once_per_client, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, ?13)",
    )?
    .execute(params![
        p.code,
        p.kind,
        p.percent_milli,
        p.amount,
        p.currency,
        p.product_ids,
        p.cycles,
        p.recurring,
        p.starts_at,
        p.ends_at,
        p.max_uses,
        p.once_per_client,
        p.created_at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Replace a promotion's terms (its uses and creation time stay).
pub fn update(conn: &Connection, p: &Promotion) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE promotions SET code = ?2, kind = ?3, percent_milli = ?4, amount = ?5, currency = ?6,
            product_ids = ?7, cycles = ?8, recurring = ?9, starts_at = ?10, ends_at = ?11,
            max_uses = ?12, once_per_client = ?13
         WHERE id = ?1",
    )?
    .execute(params![
        p.id,
        p.code,
        p.kind,
        p.percent_milli,
        p.amount,
        p.currency,
        p.product_ids,
        p.cycles,
        p.recurring,
        p.starts_at,
        p.ends_at,
        p.max_uses,
        p.once_per_client
    ])?;
    Ok(())
}

/// Count one use, unless the promotion is used up; answers whether it
/// counted.
pub fn take_use(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE promotions SET uses = uses + 1
             WHERE id = ?1 AND (max_uses IS NULL OR uses < max_uses)",
        )?
        .execute([id])?
        == 1)
}

pub fn record_use(
    conn: &Connection,
    promotion_id: i64,
    client_id: i64,
    order_id: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO promotion_uses (promotion_id, client_id, order_id, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![promotion_id, client_id, order_id, now])?;
    Ok(())
}

pub fn used_by(conn: &Connection, promotion_id: i64, client_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM promotion_uses WHERE promotion_id = ?1 AND client_id = ?2)",
    )?
    .query_row(params![promotion_id, client_id], |r| r.get(0))
}
