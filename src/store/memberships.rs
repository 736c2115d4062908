//! The `memberships` table: which user may act for which client.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Membership {
    pub id: i64,
    pub user_id: i64,
    pub client_id: i64,
    pub role: String,
    pub privileges: String,
    pub created_at: String,
}

const COLUMNS: &str = "id, user_id, client_id, role, privileges, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Membership> {
    Ok(Membership {
        id: r.get(0)?,
        user_id: r.get(1)?,
        client_id: r.get(2)?,
        role: r.get(3)?,
        privileges: r.get(4)?,
        created_at: r.get(5)?,
    })
}

pub fn insert(
    conn: &Connection,
    user_id: i64,
    client_id: i64,
    role: &str,
    privileges: &str,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO memberships (user_id, client_id, role, privileges, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![user_id, client_id, role, privileges, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(
    conn: &Connection,
    user_id: i64,
    client_id: i64,
) -> rusqlite::Result<Option<Membership>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM memberships WHERE user_id = ?1 AND client_id = ?2"
    ))?
    .query_row(params![user_id, client_id], from_row)
    .optional()
}

/// The membership of `client_id` held by the user with `email`, if any.
pub fn find_by_email(
    conn: &Connection,
    email: &str,
    client_id: i64,
) -> rusqlite::Result<Option<Membership>> {
    conn.prepare_cached(
        "SELECT m.id, m.user_id, m.client_id, m.role, m.privileges, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.email = ?1 AND m.client_id = ?2",
    )?
    .query_row(params![email, client_id], from_row)
    .optional()
}

/// A contact membership of `client_id` by its id (owners are not contacts).
pub fn find_contact(
    conn: &Connection,
    client_id: i64,
    id: i64,
) -> rusqlite::Result<Option<Membership>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM memberships WHERE id = ?1 AND client_id = ?2 AND role = 'contact'"
    ))?
    .query_row(params![id, client_id], from_row)
    .optional()
}

pub fn contacts_of(conn: &Connection, client_id: i64) -> rusqlite::Result<Vec<Membership>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM memberships WHERE client_id = ?1 AND role = 'contact' ORDER BY id"
    ))?;
    let rows = stmt.query_map([client_id], from_row)?;
    rows.collect()
}

pub fn count_for_client(conn: &Connection, client_id: i64, role: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM memberships WHERE client_id = ?1 AND role = ?2")?
        .query_row(params![client_id, role], |r| r.get(0))
}

pub fn count_for_user(conn: &Connection, user_id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM memberships WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get(0))
}

pub fn set_privileges(conn: &Connection, id: i64, privileges: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE memberships SET privileges = ?2 WHERE id = ?1")?
        .execute(params![id, privileges])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM memberships WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
