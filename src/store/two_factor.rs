//! The TOTP columns of `users` and `staff`, and their recovery codes
//! (`recovery_codes`, `staff_recovery_codes`): one set of functions for
//! both kinds of login, each choosing its table's statement.

use rusqlite::{Connection, OptionalExtension, params};

/// Whose second factor: a customer's login or a staff member's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    User(i64),
    Staff(i64),
}

impl Holder {
    fn id(self) -> i64 {
        match self {
            Holder::User(id) | Holder::Staff(id) => id,
        }
    }

    /// `user` or `staff`, for audit rows and sealing labels.
    pub fn kind(self) -> &'static str {
        match self {
            Holder::User(_) => "user",
            Holder::Staff(_) => "staff",
        }
    }
}

/// A holder's TOTP state. `secret` is the stored (sealed) text.
#[derive(Debug, Clone)]
pub struct Totp {
    pub email: String,
    pub secret: Option<String>,
    pub enabled_at: Option<String>,
}

impl Totp {
    pub fn enabled(&self) -> bool {
        self.enabled_at.is_some() && self.secret.is_some()
    }
}

fn pick(h: Holder, user_sql: &'static str, staff_sql: &'static str) -> &'static str {
    match h {
        Holder::User(_) => user_sql,
        Holder::Staff(_) => staff_sql,
    }
}

pub fn find(conn: &Connection, h: Holder) -> rusqlite::Result<Option<Totp>> {
    let sql = pick(
        h,
        "SELECT email, totp_secret, totp_enabled_at FROM users WHERE id = ?1",
        "SELECT email, totp_secret, totp_enabled_at FROM staff WHERE id = ?1",
    );
    conn.prepare_cached(sql)?
        .query_row([h.id()], |r| {
            Ok(Totp {
                email: r.get(0)?,
                secret: r.get(1)?,
                enabled_at: r.get(2)?,
            })
        })
        .optional()
}

/// Store a secret being set up (2FA not yet on).
pub fn set_pending(conn: &Connection, h: Holder, secret: &str, now: &str) -> rusqlite::Result<()> {
    let sql = pick(
        h,
        "UPDATE users SET totp_secret = ?2, totp_enabled_at = NULL, updated_at = ?3 WHERE id = ?1",
        "UPDATE staff SET totp_secret = ?2, totp_enabled_at = NULL, updated_at = ?3 WHERE id = ?1",
    );
    conn.prepare_cached(sql)?
        .execute(params![h.id(), secret, now])?;
    Ok(())
}

pub fn enable(conn: &Connection, h: Holder, step: i64, now: &str) -> rusqlite::Result<()> {
    let sql = pick(
        h,
        "UPDATE users SET totp_enabled_at = ?3, totp_last_step = ?2, updated_at = ?3 WHERE id = ?1",
        "UPDATE staff SET totp_enabled_at = ?3, totp_last_step = ?2, updated_at = ?3 WHERE id = ?1",
    );
    conn.prepare_cached(sql)?
        .execute(params![h.id(), step, now])?;
    Ok(())
}

pub fn disable(conn: &Connection, h: Holder, now: &str) -> rusqlite::Result<()> {
    let sql = pick(
        h,
        "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL,
                updated_at = ?2 WHERE id = ?1",
        "UPDATE staff SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL,
                updated_at = ?2 WHERE id = ?1",
    );
    conn.prepare_cached(sql)?.execute(params![h.id(), now])?;
    Ok(())
}

/// Accept TOTP step `step` only if it is newer than every step accepted
/// before; answers whether it was accepted. This is what makes a code work
/// once, even under concurrent logins.
pub fn claim_step(conn: &Connection, h: Holder, step: i64) -> rusqlite::Result<bool> {
    let sql = pick(
        h,
        "UPDATE users SET totp_last_step = ?2
         WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
        "UPDATE staff SET totp_last_step = ?2
         WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
    );
    Ok(conn.prepare_cached(sql)?.execute(params![h.id(), step])? == 1)
}

/// Every stored secret with its holder (for sealing old plaintext ones).
pub fn all_secrets(conn: &Connection) -> rusqlite::Result<Vec<(Holder, String)>> {
    let mut out = Vec::new();
    let mut users =
        conn.prepare_cached("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")?;
    for row in users.query_map([], |r| Ok((Holder::User(r.get(0)?), r.get(1)?)))? {
        out.push(row?);
    }
    let mut staff =
        conn.prepare_cached("SELECT id, totp_secret FROM staff WHERE totp_secret IS NOT NULL")?;
    for row in staff.query_map([], |r| Ok((Holder::Staff(r.get(0)?), r.get(1)?)))? {
        out.push(row?);
    }
    Ok(out)
}

/// Replace a stored secret as it is (its enabled state is kept).
pub fn replace_secret(conn: &Connection, h: Holder, secret: &str) -> rusqlite::Result<()> {
    let sql = pick(
        h,
        "UPDATE users SET totp_secret = ?2 WHERE id = ?1",
        "UPDATE staff SET totp_secret = ?2 WHERE id = ?1",
    );
    conn.prepare_cached(sql)?.execute(params![h.id(), secret])?;
    Ok(())
}

pub fn replace_recovery_codes(
    conn: &Connection,
    h: Holder,
    hashes: &[String],
) -> rusqlite::Result<()> {
    delete_recovery_codes(conn, h)?;
    let sql = pick(
        h,
        "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)",
        "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES (?1, ?2)",
    );
    let mut insert = conn.prepare_cached(sql)?;
    for hash in hashes {
        insert.execute(params![h.id(), hash])?;
    }
    Ok(())
}

/// Use the unused code with this hash; answers whether there was one.
pub fn use_recovery_code(
    conn: &Connection,
    h: Holder,
    hash: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    let sql = pick(
        h,
        "UPDATE recovery_codes SET used_at = ?3
         WHERE id = (SELECT id FROM recovery_codes
                     WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL LIMIT 1)",
        "UPDATE staff_recovery_codes SET used_at = ?3
         WHERE id = (SELECT id FROM staff_recovery_codes
                     WHERE staff_id = ?1 AND code_hash = ?2 AND used_at IS NULL LIMIT 1)",
    );
    Ok(conn
        .prepare_cached(sql)?
        .execute(params![h.id(), hash, now])?
        == 1)
}

pub fn delete_recovery_codes(conn: &Connection, h: Holder) -> rusqlite::Result<()> {
    let sql = pick(
        h,
        "DELETE FROM recovery_codes WHERE user_id = ?1",
        "DELETE FROM staff_recovery_codes WHERE staff_id = ?1",
    );
    conn.prepare_cached(sql)?.execute([h.id()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_claimed_once_and_recovery_codes_work_once_per_holder() {
        let conn = crate::db::test_connection();
        conn.execute(
            "INSERT INTO staff (uuid, email, name, password_hash, role, created_at, updated_at)
             VALUES ('s', 's@x', 'S', 'h', 'admin', 't', 't')",
            [],
        )
        .unwrap();
        let h = Holder::Staff(1);
        set_pending(&conn, h, "sealed1:x", "t").unwrap();
        assert!(!find(&conn, h).unwrap().unwrap().enabled());
        enable(&conn, h, 10, "t").unwrap();
        assert!(find(&conn, h).unwrap().unwrap().enabled());
        assert!(!claim_step(&conn, h, 10).unwrap());
        assert!(claim_step(&conn, h, 11).unwrap());
        replace_recovery_codes(&conn, h, &["a".into(), "b".into()]).unwrap();
        assert!(use_recovery_code(&conn, h, "a", "t").unwrap());
        assert!(!use_recovery_code(&conn, h, "a", "t").unwrap());
        assert!(!use_recovery_code(&conn, Holder::User(1), "b", "t").unwrap());
        assert_eq!(all_secrets(&conn).unwrap(), vec![(h, "sealed1:x".into())]);
        disable(&conn, h, "t").unwrap();
        assert!(find(&conn, h).unwrap().unwrap().secret.is_none());
    }
}
