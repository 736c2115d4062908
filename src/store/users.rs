//! The `users` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub uuid: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<String>,
    pub totp_last_step: Option<i64>,
    pub status: String,
    pub last_login_at: Option<String>,
    pub created_at: String,
}

impl User {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }

    pub fn two_factor_enabled(&self) -> bool {
        self.totp_enabled_at.is_some() && self.totp_secret.is_some()
    }
}

const COLUMNS: &str = "id, uuid, email, first_name, last_name, password_hash, email_verified_at, \
     totp_secret, totp_enabled_at, totp_last_step, status, last_login_at, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        uuid: r.get(1)?,
        email: r.get(2)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        password_hash: r.get(5)?,
        email_verified_at: r.get(6)?,
        totp_secret: r.get(7)?,
        totp_enabled_at: r.get(8)?,
        totp_last_step: r.get(9)?,
        status: r.get(10)?,
        last_login_at: r.get(11)?,
        created_at: r.get(12)?,
    })
}

pub struct NewUser<'a> {
    pub uuid: &'a str,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, u: &NewUser<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO users (uuid, email, first_name, last_name, password_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![u.uuid, u.email, u.first_name, u.last_name, u.password_hash, u.now])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn find_by_uuid(conn: &Connection, uuid: &str) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE uuid = ?1"))?
        .query_row([uuid], from_row)
        .optional()
}

pub fn find_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE email = ?1"))?
        .query_row([email], from_row)
        .optional()
}

pub fn set_password(conn: &Connection, id: i64, hash: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, hash, now])?;
    Ok(())
}

pub fn set_names(
    conn: &Connection,
    id: i64,
    first: &str,
    last: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE users SET first_name = ?2, last_name = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, first, last, now])?;
    Ok(())
}

pub fn mark_verified(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?2), updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

pub fn mark_login(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE users SET last_login_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM users WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
