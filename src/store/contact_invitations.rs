//! The `contact_invitations` table: people invited to a client account,
//! until they accept (with the emailed token, stored as its sha256), the
//! invitation is withdrawn, or it expires.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: i64,
    pub client_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub privileges: String,
    pub created_at: String,
    pub expires_at: String,
    pub accepted_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl Invitation {
    /// Still waiting for its invitee at `now` (a stamp).
    pub fn is_pending(&self, now: &str) -> bool {
        self.accepted_at.is_none() && self.revoked_at.is_none() && now < self.expires_at.as_str()
    }
}

const COLUMNS: &str = "id, client_id, email, first_name, last_name, privileges, created_at, \
     expires_at, accepted_at, revoked_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Invitation> {
    Ok(Invitation {
        id: r.get(0)?,
        client_id: r.get(1)?,
        email: r.get(2)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        privileges: r.get(5)?,
        created_at: r.get(6)?,
        expires_at: r.get(7)?,
        accepted_at: r.get(8)?,
        revoked_at: r.get(9)?,
    })
}

pub struct NewInvitation<'a> {
    pub client_id: i64,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub privileges: &'a str,
    pub token_hash: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

pub fn insert(conn: &Connection, n: &NewInvitation<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO contact_invitations (client_id, email, first_name, last_name, privileges,
            token_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        n.client_id,
        n.email,
        n.first_name,
        n.last_name,
        n.privileges,
        n.token_hash,
        n.now,
        n.expires_at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// An invitation of `client_id` by its id.
pub fn find(conn: &Connection, client_id: i64, id: i64) -> rusqlite::Result<Option<Invitation>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM contact_invitations WHERE id = ?1 AND client_id = ?2"
    ))?
    .query_row(params![id, client_id], from_row)
    .optional()
}

pub fn find_by_token(conn: &Connection, token_hash: &str) -> rusqlite::Result<Option<Invitation>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM contact_invitations WHERE token_hash = ?1"
    ))?
    .query_row([token_hash], from_row)
    .optional()
}

/// The invitations of a client still waiting at `now`, oldest first.
pub fn pending_of(
    conn: &Connection,
    client_id: i64,
    now: &str,
) -> rusqlite::Result<Vec<Invitation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM contact_invitations
         WHERE client_id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?2
         ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![client_id, now], from_row)?;
    rows.collect()
}

/// Withdraw every waiting invitation of `email` to `client_id` (a new one
/// replaces them).
pub fn revoke_pending_for(
    conn: &Connection,
    client_id: i64,
    email: &str,
    now: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE contact_invitations SET revoked_at = ?3
         WHERE client_id = ?1 AND email = ?2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )?
    .execute(params![client_id, email, now])
}

/// Withdraw one waiting invitation; false if it was not waiting.
pub fn revoke(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE contact_invitations SET revoked_at = ?2
             WHERE id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL",
        )?
        .execute(params![id, now])?;
    Ok(n == 1)
}

/// Spend a waiting invitation on its membership; false if it was no
/// longer waiting (accepted, withdrawn or expired meanwhile).
pub fn mark_accepted(
    conn: &Connection,
    id: i64,
    membership_id: i64,
    now: &str,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE contact_invitations SET accepted_at = ?3, membership_id = ?2
             WHERE id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?3",
        )?
        .execute(params![id, membership_id, now])?;
    Ok(n == 1)
}

/// Delete invitations that ended (expired, withdrawn or accepted) before
/// `before`.
pub fn delete_ended_before(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "DELETE FROM contact_invitations
         WHERE expires_at < ?1 OR revoked_at < ?1 OR accepted_at < ?1",
    )?
    .execute([before])
}
