//! `support_departments` and `support_department_staff`.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Customers see it and may open tickets in it.
    pub visible: bool,
    /// Its inbound address, which its emails come from too.
    pub email: Option<String>,
    pub auto_reply: bool,
    pub sort_order: i64,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str =
    "id, name, description, visible, email, auto_reply, sort_order, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Department> {
    Ok(Department {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        visible: r.get(3)?,
        email: r.get(4)?,
        auto_reply: r.get(5)?,
        sort_order: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

pub struct DepartmentFields<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub visible: bool,
    pub email: Option<&'a str>,
    pub auto_reply: bool,
    pub sort_order: i64,
}

pub fn insert(conn: &Connection, d: &DepartmentFields<'_>, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO support_departments (name, description, visible, email, auto_reply, sort_order, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![d.name, d.description, d.visible, d.email, d.auto_reply, d.sort_order, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(
    conn: &Connection,
    id: i64,
    d: &DepartmentFields<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE support_departments SET name = ?2, description = ?3, visible = ?4, email = ?5,
                auto_reply = ?6, sort_order = ?7, updated_at = ?8 WHERE id = ?1",
    )?
    .execute(params![
        id,
        d.name,
        d.description,
        d.visible,
        d.email,
        d.auto_reply,
        d.sort_order,
        now
    ])?;
    Ok(())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Department>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM support_departments WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()
}

/// The department whose inbound address is `email` (case-insensitive).
pub fn find_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<Department>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM support_departments WHERE email = ?1"
    ))?
    .query_row([email], from_row)
    .optional()
}

pub fn find_by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<Department>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM support_departments WHERE name = ?1"
    ))?
    .query_row([name], from_row)
    .optional()
}

/// Every department (or only the visible ones), in their order.
pub fn list(conn: &Connection, visible_only: bool) -> rusqlite::Result<Vec<Department>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM support_departments WHERE visible = 1 OR ?1 = 0
         ORDER BY sort_order, name"
    ))?;
    let rows = stmt.query_map([visible_only], from_row)?;
    rows.collect()
}

/// The staff who receive the department's mail.
pub fn staff_ids(conn: &Connection, department_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT staff_id FROM support_department_staff WHERE department_id = ?1 ORDER BY staff_id",
    )?;
    let rows = stmt.query_map([department_id], |r| r.get(0))?;
    rows.collect()
}

/// Replace who receives the department's mail.
pub fn set_staff(conn: &Connection, department_id: i64, staff: &[i64]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM support_department_staff WHERE department_id = ?1")?
        .execute([department_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO support_department_staff (department_id, staff_id) VALUES (?1, ?2)",
    )?;
    for id in staff {
        insert.execute(params![department_id, id])?;
    }
    Ok(())
}
