//! The `staff` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::staff::StaffRole;

#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    pub uuid: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: StaffRole,
    pub disabled_at: Option<String>,
    pub created_at: String,
    /// Sealed; present while 2FA is being set up or is on.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<String>,
}

impl Staff {
    pub fn two_factor_enabled(&self) -> bool {
        self.totp_enabled_at.is_some() && self.totp_secret.is_some()
    }
}

const COLUMNS: &str = "id, uuid, email, name, password_hash, role, disabled_at, created_at, totp_secret, totp_enabled_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Staff> {
    let role: String = row.get(5)?;
    Ok(Staff {
        id: row.get(0)?,
        uuid: row.get(1)?,
        email: row.get(2)?,
        name: row.get(3)?,
        password_hash: row.get(4)?,
        role: role.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, e.into())
        })?,
        disabled_at: row.get(6)?,
        created_at: row.get(7)?,
        totp_secret: row.get(8)?,
        totp_enabled_at: row.get(9)?,
    })
}

pub struct NewStaff<'a> {
    pub uuid: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: StaffRole,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, new: &NewStaff<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO staff (uuid, email, name, password_hash, role, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        new.uuid,
        new.email,
        new.name,
        new.password_hash,
        new.role.as_str(),
        new.now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM staff")?
        .query_row([], |r| r.get(0))
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Staff>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Staff>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM staff ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

pub fn set_password(conn: &Connection, id: i64, hash: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE staff SET password_hash = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(rusqlite::params![id, hash, now])?;
    Ok(())
}

pub fn find_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<Staff>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM staff WHERE email = ?1"))?
        .query_row([email], from_row)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_unique_whatever_their_case() {
        let conn = crate::db::test_connection();
        let new = NewStaff {
            uuid: "u1",
            email: "Admin@Example.com",
            name: "Admin",
            password_hash: "h",
            role: StaffRole::Admin,
            now: "2026-01-01T00:00:00Z",
        };
        insert(&conn, &new).unwrap();
        let found = find_by_email(&conn, "admin@example.COM").unwrap().unwrap();
        assert_eq!(found.role, StaffRole::Admin);
        assert!(
            insert(
                &conn,
                &NewStaff {
                    uuid: "u2",
                    email: "ADMIN@example.com",
                    ..new
                }
            )
            .is_err()
        );
        assert_eq!(count(&conn).unwrap(), 1);
    }
}
