//! The `orders` and `services` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::status::{OrderStatus, ServiceStatus};

#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub status: OrderStatus,
    pub currency: String,
    pub placed_by: String,
    pub created_at: String,
}

fn order_from_row(r: &Row<'_>) -> rusqlite::Result<Order> {
    Ok(Order {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        status: r.get(3)?,
        currency: r.get(4)?,
        placed_by: r.get(5)?,
        created_at: r.get(6)?,
    })
}

const ORDER_COLUMNS: &str = "id, uuid, client_id, status, currency, placed_by, created_at";

pub fn insert_order(
    conn: &Connection,
    uuid: &str,
    client_id: i64,
    currency: &str,
    placed_by: &str,
    ip: Option<&str>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO orders (uuid, client_id, currency, placed_by, ip, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![uuid, client_id, currency, placed_by, ip, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn find_order(conn: &Connection, id: i64) -> rusqlite::Result<Option<Order>> {
    conn.prepare_cached(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?1"))?
        .query_row([id], order_from_row)
        .optional()
}

pub fn orders_of(conn: &Connection, client_id: i64) -> rusqlite::Result<Vec<Order>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE client_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([client_id], order_from_row)?;
    rows.collect()
}

pub fn set_order_status(
    conn: &Connection,
    id: i64,
    status: OrderStatus,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub order_id: Option<i64>,
    pub product_id: i64,
    pub status: ServiceStatus,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount: i64,
    pub domain: Option<String>,
    pub label: Option<String>,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub activated_at: Option<String>,
    pub created_at: String,
    /// What its order charged for its first period (net, after the
    /// promotion); `None` for services from before this was kept.
    pub first_period_amount: Option<i64>,
    /// Where its periods are counted from once its cycle changed.
    pub period_anchor: Option<String>,
}

impl Service {
    /// The date its billing periods are counted from.
    pub fn anchor(&self) -> Option<&str> {
        self.period_anchor
            .as_deref()
            .or(self.registration_date.as_deref())
    }
}

const SERVICE_COLUMNS: &str = "id, uuid, client_id, order_id, product_id, status, billing_cycle, \
     currency, recurring_amount, domain, label, registration_date, next_due_date, activated_at, created_at, \
     first_period_amount, period_anchor";

fn service_from_row(r: &Row<'_>) -> rusqlite::Result<Service> {
    Ok(Service {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        order_id: r.get(3)?,
        product_id: r.get(4)?,
        status: r.get(5)?,
        billing_cycle: r.get(6)?,
        currency: r.get(7)?,
        recurring_amount: r.get(8)?,
        domain: r.get(9)?,
        label: r.get(10)?,
        registration_date: r.get(11)?,
        next_due_date: r.get(12)?,
        activated_at: r.get(13)?,
        created_at: r.get(14)?,
        first_period_amount: r.get(15)?,
        period_anchor: r.get(16)?,
    })
}

pub struct NewService<'a> {
    pub uuid: &'a str,
    pub client_id: i64,
    pub order_id: i64,
    pub product_id: i64,
    pub billing_cycle: &'a str,
    pub currency: &'a str,
    pub recurring_amount: i64,
    pub first_period_amount: i64,
    pub domain: Option<&'a str>,
    pub now: &'a str,
}

pub fn insert_service(conn: &Connection, s: &NewService<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO services (uuid, client_id, order_id, product_id, billing_cycle, currency,
            recurring_amount, domain, created_at, updated_at, first_period_amount)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
    )?
    .execute(params![
        s.uuid,
        s.client_id,
        s.order_id,
        s.product_id,
        s.billing_cycle,
        s.currency,
        s.recurring_amount,
        s.domain,
        s.now,
        s.first_period_amount
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn services_of_order(conn: &Connection, order_id: i64) -> rusqlite::Result<Vec<Service>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE order_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([order_id], service_from_row)?;
    rows.collect()
}

pub fn services_of_client(conn: &Connection, client_id: i64) -> rusqlite::Result<Vec<Service>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE client_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([client_id], service_from_row)?;
    rows.collect()
}

/// Make a pending service active from `registration_date`, due again on
/// `next_due_date` (none for one-time purchases).
pub fn activate_service(
    conn: &Connection,
    id: i64,
    registration_date: &str,
    next_due_date: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE services SET status = 'active', registration_date = ?2, next_due_date = ?3,
                activated_at = ?4, updated_at = ?4
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, registration_date, next_due_date, now])?;
    Ok(n == 1)
}

/// A service by id or uuid.
pub fn find_service(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Service>> {
    let sql = match ident.parse::<i64>() {
        Ok(_) => format!("SELECT {SERVICE_COLUMNS} FROM services WHERE id = ?1"),
        Err(_) => format!("SELECT {SERVICE_COLUMNS} FROM services WHERE uuid = ?1"),
    };
    conn.prepare_cached(&sql)?
        .query_row([ident], service_from_row)
        .optional()
}

pub fn set_label(
    conn: &Connection,
    id: i64,
    label: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE services SET label = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, label, now])?;
    Ok(())
}

/// Change what a service is billed as (a plan or cycle change).
pub fn set_plan(
    conn: &Connection,
    id: i64,
    product_id: i64,
    cycle: &str,
    recurring_amount: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE services SET product_id = ?2, billing_cycle = ?3, recurring_amount = ?4,
            updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![id, product_id, cycle, recurring_amount, now])?;
    Ok(())
}

/// Count a service's periods from `anchor` (its cycle changed there).
pub fn set_period_anchor(
    conn: &Connection,
    id: i64,
    anchor: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE services SET period_anchor = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, anchor, now])?;
    Ok(())
}

/// Bill a service in `cycle` from a new first period starting on `anchor`
/// and ending on `next_due` (a cycle change that starts now).
pub fn restart_periods(
    conn: &Connection,
    id: i64,
    cycle: &str,
    recurring_amount: i64,
    anchor: &str,
    next_due: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE services SET billing_cycle = ?2, recurring_amount = ?3, period_anchor = ?4,
            next_due_date = ?5, updated_at = ?6
         WHERE id = ?1",
    )?
    .execute(params![id, cycle, recurring_amount, anchor, next_due, now])?;
    Ok(())
}

/// End a service now (a cancellation); false if it had already ended.
pub fn end_service(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE services SET status = 'cancelled', updated_at = ?2
             WHERE id = ?1 AND status IN ('pending', 'active', 'suspended')",
        )?
        .execute(params![id, now])?
        == 1)
}

/// Take one unit of stock; false when none is left. Unlimited (NULL)
/// stock always succeeds.
/// Put back the unit an order took (products without stock are unlimited).
pub fn return_stock(conn: &Connection, product_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE products SET stock = stock + 1 WHERE id = ?1 AND stock IS NOT NULL",
    )?
    .execute([product_id])?;
    Ok(())
}

/// Cancel an order's services that never started; answers their products.
pub fn cancel_pending_services(
    conn: &Connection,
    order_id: i64,
    now: &str,
) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached(
        "UPDATE services SET status = 'cancelled', updated_at = ?2
         WHERE order_id = ?1 AND status = 'pending' RETURNING product_id",
    )?
    .query_map(rusqlite::params![order_id, now], |r| r.get(0))?
    .collect()
}

pub fn take_stock(conn: &Connection, product_id: i64) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE products SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - 1 END
             WHERE id = ?1 AND (stock IS NULL OR stock > 0)",
        )?
        .execute([product_id])?;
    Ok(n == 1)
}
