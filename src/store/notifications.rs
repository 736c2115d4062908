//! The `notifications` and `notification_acks` tables.

use rusqlite::{Connection, Row, params};

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub client_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: String,
    pub acked: bool,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Notification> {
    Ok(Notification {
        id: r.get(0)?,
        client_id: r.get(1)?,
        kind: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
        link: r.get(5)?,
        created_at: r.get(6)?,
        acked: r.get(7)?,
    })
}

pub struct NewNotification<'a> {
    pub client_id: i64,
    pub kind: &'a str,
    /// JSON array of the privileges any one of which shows it to a contact.
    pub audience: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, n: &NewNotification<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO notifications (client_id, kind, audience, title, body, link, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        n.client_id,
        n.kind,
        n.audience,
        n.title,
        n.body,
        n.link,
        n.now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Whether the member `m` may see notification `n`: owners see all, a
/// contact those whose audience shares a privilege with theirs.
const VISIBLE: &str = "(m.role = 'owner' OR EXISTS (
    SELECT 1 FROM json_each(n.audience) a JOIN json_each(m.privileges) p ON p.value = a.value))";

/// The notifications of every client the user belongs to (or only of
/// `client_id`) that the user's privileges there show, newest first, with
/// whether this user acknowledged each; `only_new` leaves those out.
pub fn for_user(
    conn: &Connection,
    user_id: i64,
    client_id: Option<i64>,
    only_new: bool,
    limit: i64,
) -> rusqlite::Result<Vec<Notification>> {
    conn.prepare_cached(&format!(
        "SELECT n.id, n.client_id, n.kind, n.title, n.body, n.link, n.created_at,
                EXISTS (SELECT 1 FROM notification_acks a
                        WHERE a.notification_id = n.id AND a.user_id = ?1)
         FROM notifications n JOIN memberships m ON m.client_id = n.client_id AND m.user_id = ?1
         WHERE {VISIBLE}
           AND (?4 IS NULL OR n.client_id = ?4)
           AND (?2 = 0 OR NOT EXISTS (SELECT 1 FROM notification_acks a
                                      WHERE a.notification_id = n.id AND a.user_id = ?1))
         ORDER BY n.id DESC LIMIT ?3"
    ))?
    .query_map(params![user_id, only_new, limit, client_id], from_row)?
    .collect()
}

/// Acknowledge a notification the user can see; false if they cannot.
pub fn ack(conn: &Connection, id: i64, user_id: i64, now: &str) -> rusqlite::Result<bool> {
    let visible = conn
        .prepare_cached(&format!(
            "SELECT 1 FROM notifications n JOIN memberships m ON m.client_id = n.client_id
             WHERE n.id = ?1 AND m.user_id = ?2 AND {VISIBLE}"
        ))?
        .exists(params![id, user_id])?;
    if visible {
        conn.prepare_cached(
            "INSERT INTO notification_acks (notification_id, user_id, acked_at) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![id, user_id, now])?;
    }
    Ok(visible)
}
