//! The `sessions` table: browser and API logins of users and staff.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub uuid: String,
    pub user_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub csrf_token: Option<String>,
    pub active_client_id: Option<i64>,
    pub created_at: String,
    pub expires_at: String,
    pub idle_expires_at: String,
    pub last_used_at: String,
    pub last_used_ip: Option<String>,
    pub last_used_user_agent: Option<String>,
    pub revoked_at: Option<String>,
}

impl Session {
    /// Live at `now` (a stamp): not revoked, within both lifetimes.
    pub fn is_live(&self, now: &str) -> bool {
        self.revoked_at.is_none()
            && now < self.expires_at.as_str()
            && now < self.idle_expires_at.as_str()
    }
}

const COLUMNS: &str = "id, uuid, user_id, staff_id, kind, name, csrf_token, active_client_id, \
     created_at, expires_at, idle_expires_at, last_used_at, last_used_ip, last_used_user_agent, revoked_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        uuid: r.get(1)?,
        user_id: r.get(2)?,
        staff_id: r.get(3)?,
        kind: r.get(4)?,
        name: r.get(5)?,
        csrf_token: r.get(6)?,
        active_client_id: r.get(7)?,
        created_at: r.get(8)?,
        expires_at: r.get(9)?,
        idle_expires_at: r.get(10)?,
        last_used_at: r.get(11)?,
        last_used_ip: r.get(12)?,
        last_used_user_agent: r.get(13)?,
        revoked_at: r.get(14)?,
    })
}

pub struct NewSession<'a> {
    pub uuid: &'a str,
    pub user_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub kind: &'a str,
    pub name: &'a str,
    pub secret_hash: Option<&'a str>,
    pub csrf_token: Option<&'a str>,
    pub active_client_id: Option<i64>,
    pub now: &'a str,
    pub expires_at: &'a str,
    pub idle_expires_at: &'a str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert(conn: &Connection, s: &NewSession<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO sessions (uuid, user_id, staff_id, kind, name, secret_hash, csrf_token,
            active_client_id, created_at, expires_at, idle_expires_at, last_used_at, last_used_ip,
            last_used_user_agent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?9, ?12, ?13)",
    )?
    .execute(params![
        s.uuid,
        s.user_id,
        s.staff_id,
        s.kind,
        s.name,
        s.secret_hash,
        s.csrf_token,
        s.active_client_id,
        s.now,
        s.expires_at,
        s.idle_expires_at,
        s.ip,
        s.user_agent
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Session>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sessions WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn find_by_uuid(conn: &Connection, uuid: &str) -> rusqlite::Result<Option<Session>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sessions WHERE uuid = ?1"))?
        .query_row([uuid], from_row)
        .optional()
}

pub fn find_by_secret_hash(conn: &Connection, hash: &str) -> rusqlite::Result<Option<Session>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE secret_hash = ?1"
    ))?
    .query_row([hash], from_row)
    .optional()
}

/// A user's sessions that are still live, newest first.
pub fn live_for_user(conn: &Connection, user_id: i64, now: &str) -> rusqlite::Result<Vec<Session>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sessions
         WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2 AND idle_expires_at > ?2
         ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map(params![user_id, now], from_row)?;
    rows.collect()
}

/// Record use: slides the idle expiry, never past the absolute one.
pub fn touch(
    conn: &Connection,
    id: i64,
    now: &str,
    idle_expires_at: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE sessions SET last_used_at = ?2, idle_expires_at = MIN(?3, expires_at),
            last_used_ip = COALESCE(?4, last_used_ip),
            last_used_user_agent = COALESCE(?5, last_used_user_agent)
         WHERE id = ?1",
    )?
    .execute(params![id, now, idle_expires_at, ip, user_agent])?;
    Ok(())
}

pub fn set_active_client(
    conn: &Connection,
    id: i64,
    client_id: Option<i64>,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sessions SET active_client_id = ?2 WHERE id = ?1")?
        .execute(params![id, client_id])?;
    Ok(())
}

pub fn revoke(conn: &Connection, id: i64, now: &str, reason: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE sessions SET revoked_at = ?2, revoked_reason = ?3
             WHERE id = ?1 AND revoked_at IS NULL",
        )?
        .execute(params![id, now, reason])?;
    Ok(n == 1)
}

/// Revoke every live session of a user except `keep`; answers how many.
pub fn revoke_all_for_user(
    conn: &Connection,
    user_id: i64,
    keep: Option<i64>,
    now: &str,
    reason: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE sessions SET revoked_at = ?3, revoked_reason = ?4
         WHERE user_id = ?1 AND revoked_at IS NULL AND (?2 IS NULL OR id <> ?2)",
    )?
    .execute(params![user_id, keep, now, reason])
}

/// Revoke every live session of a staff member; answers how many.
pub fn revoke_all_for_staff(
    conn: &Connection,
    staff_id: i64,
    now: &str,
    reason: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE sessions SET revoked_at = ?2, revoked_reason = ?3
         WHERE staff_id = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![staff_id, now, reason])
}

/// Delete sessions that ended (revoked or expired) before `before`.
pub fn delete_ended_before(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "DELETE FROM sessions WHERE COALESCE(revoked_at, MIN(expires_at, idle_expires_at)) < ?1",
    )?
    .execute([before])
}
