//! The `config_options`, `config_option_choices`, `config_choice_prices`
//! and `service_options` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::catalog::Price;

#[derive(Debug, Clone)]
pub struct ConfigOption {
    pub id: i64,
    pub uuid: String,
    pub product_id: i64,
    pub name: String,
    /// dropdown, radio, quantity or yesno.
    pub kind: String,
    pub required: bool,
    pub min_quantity: i64,
    pub max_quantity: Option<i64>,
    pub sort_order: i64,
    pub status: String,
}

const COLUMNS: &str =
    "id, uuid, product_id, name, kind, required, min_quantity, max_quantity, sort_order, status";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ConfigOption> {
    Ok(ConfigOption {
        id: r.get(0)?,
        uuid: r.get(1)?,
        product_id: r.get(2)?,
        name: r.get(3)?,
        kind: r.get(4)?,
        required: r.get(5)?,
        min_quantity: r.get(6)?,
        max_quantity: r.get(7)?,
        sort_order: r.get(8)?,
        status: r.get(9)?,
    })
}

pub struct OptionFields<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub required: bool,
    pub min_quantity: i64,
    pub max_quantity: Option<i64>,
    pub sort_order: i64,
    pub status: &'a str,
}

pub fn insert(
    conn: &Connection,
    uuid: &str,
    product_id: i64,
    o: &OptionFields<'_>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO config_options (uuid, product_id, name, kind, required, min_quantity, max_quantity,
            sort_order, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        uuid,
        product_id,
        o.name,
        o.kind,
        o.required,
        o.min_quantity,
        o.max_quantity,
        o.sort_order,
        o.status,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Change an option (its kind stays what it was created as).
pub fn update(conn: &Connection, id: i64, o: &OptionFields<'_>, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE config_options SET name = ?2, required = ?3, min_quantity = ?4, max_quantity = ?5,
            sort_order = ?6, status = ?7, updated_at = ?8 WHERE id = ?1",
    )?
    .execute(params![
        id,
        o.name,
        o.required,
        o.min_quantity,
        o.max_quantity,
        o.sort_order,
        o.status,
        now
    ])?;
    Ok(())
}

pub fn set_status(conn: &Connection, id: i64, status: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE config_options SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

/// An option by id or uuid.
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<ConfigOption>> {
    let id = ident.parse::<i64>().ok();
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM config_options WHERE id = ?1 OR uuid = ?2"
    ))?
    .query_row(params![id, ident], from_row)
    .optional()
}

/// A product's options in display order; retired ones only if `all`.
pub fn of_product(
    conn: &Connection,
    product_id: i64,
    all: bool,
) -> rusqlite::Result<Vec<ConfigOption>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM config_options WHERE product_id = ?1 AND (?2 OR status = 'active')
         ORDER BY sort_order, id"
    ))?;
    let rows = stmt.query_map(params![product_id, all], from_row)?;
    rows.collect()
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub id: i64,
    pub option_id: i64,
    pub name: String,
    pub sort_order: i64,
    pub status: String,
}

/// An option's choices in display order; retired ones only if `all`.
pub fn choices(conn: &Connection, option_id: i64, all: bool) -> rusqlite::Result<Vec<Choice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, option_id, name, sort_order, status FROM config_option_choices
         WHERE option_id = ?1 AND (?2 OR status = 'active') ORDER BY sort_order, id",
    )?;
    let rows = stmt.query_map(params![option_id, all], |r| {
        Ok(Choice {
            id: r.get(0)?,
            option_id: r.get(1)?,
            name: r.get(2)?,
            sort_order: r.get(3)?,
            status: r.get(4)?,
        })
    })?;
    rows.collect()
}

pub fn insert_choice(
    conn: &Connection,
    option_id: i64,
    name: &str,
    sort_order: i64,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO config_option_choices (option_id, name, sort_order, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(params![option_id, name, sort_order, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_choice(
    conn: &Connection,
    id: i64,
    name: &str,
    sort_order: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE config_option_choices SET name = ?2, sort_order = ?3, status = 'active', updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![id, name, sort_order, now])?;
    Ok(())
}

/// Retire an option's choices other than `keep`.
pub fn retire_other_choices(
    conn: &Connection,
    option_id: i64,
    keep: &[i64],
    now: &str,
) -> rusqlite::Result<()> {
    let keep = serde_json::to_string(keep).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "UPDATE config_option_choices SET status = 'retired', updated_at = ?3
         WHERE option_id = ?1 AND status = 'active' AND id NOT IN (SELECT value FROM json_each(?2))",
    )?
    .execute(params![option_id, keep, now])?;
    Ok(())
}

pub fn choice_prices(conn: &Connection, choice_id: i64) -> rusqlite::Result<Vec<Price>> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, cycle, price, setup_fee FROM config_choice_prices WHERE choice_id = ?1
         ORDER BY currency,
           CASE cycle WHEN 'onetime' THEN 0 WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 2
                      WHEN 'semiannually' THEN 3 WHEN 'annually' THEN 4 WHEN 'biennially' THEN 5 ELSE 6 END",
    )?;
    let rows = stmt.query_map([choice_id], |r| {
        Ok(Price {
            currency: r.get(0)?,
            cycle: r.get(1)?,
            price: r.get(2)?,
            setup_fee: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Replace every price of a choice.
pub fn set_choice_prices(
    conn: &Connection,
    choice_id: i64,
    prices: &[Price],
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM config_choice_prices WHERE choice_id = ?1")?
        .execute([choice_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO config_choice_prices (choice_id, currency, cycle, price, setup_fee)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in prices {
        insert.execute(params![
            choice_id,
            p.currency,
            p.cycle,
            p.price,
            p.setup_fee
        ])?;
    }
    Ok(())
}

/// An option a service was ordered with.
#[derive(Debug, Clone)]
pub struct ServiceOption {
    pub service_id: i64,
    pub option_id: i64,
    pub choice_id: i64,
    pub quantity: i64,
    pub recurring_amount: i64,
}

pub fn insert_service_option(conn: &Connection, o: &ServiceOption) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO service_options (service_id, option_id, choice_id, quantity, recurring_amount)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        o.service_id,
        o.option_id,
        o.choice_id,
        o.quantity,
        o.recurring_amount
    ])?;
    Ok(())
}

pub fn of_service(conn: &Connection, service_id: i64) -> rusqlite::Result<Vec<ServiceOption>> {
    let mut stmt = conn.prepare_cached(
        "SELECT service_id, option_id, choice_id, quantity, recurring_amount FROM service_options
         WHERE service_id = ?1 ORDER BY option_id",
    )?;
    let rows = stmt.query_map([service_id], |r| {
        Ok(ServiceOption {
            service_id: r.get(0)?,
            option_id: r.get(1)?,
            choice_id: r.get(2)?,
            quantity: r.get(3)?,
            recurring_amount: r.get(4)?,
        })
    })?;
    rows.collect()
}
