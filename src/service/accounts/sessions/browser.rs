//! Starting a browser session.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{RequestMeta, SessionKind},
    domain::time::stamp,
    error::Result,
    service::audit::{self, Actor, Event},
    store::{sessions, users, users::User},
};

use super::timeouts::{SESSION_ABSOLUTE, SESSION_IDLE, later};

/// Create a session row (and its audit row); answers (id, uuid).
pub fn start_session(
    conn: &Connection,
    user: &User,
    kind: SessionKind,
    name: &str,
    web: Option<(&str, &str)>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(i64, String)> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let first_client = crate::store::clients::for_user(conn, user.id)?
        .first()
        .map(|(c, _)| c.id);
    let id = sessions::insert(
        conn,
        &sessions::NewSession {
            uuid: &uuid,
            user_id: Some(user.id),
            staff_id: None,
            kind: kind.as_str(),
            name,
            secret_hash: web.map(|w| w.0),
            csrf_token: web.map(|w| w.1),
            active_client_id: first_client,
            now: &stamp(now),
            expires_at: &stamp(later(now, SESSION_ABSOLUTE)),
            idle_expires_at: &stamp(later(now, SESSION_IDLE)),
            ip: meta.ip.as_deref(),
            user_agent: meta.user_agent.as_deref(),
        },
    )?;
    users::mark_login(conn, user.id, &stamp(now))?;
    audit::record(
        conn,
        now,
        Event {
            actor: Actor::User(user.id),
            action: "auth.login",
            subject: Some(("session", id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "kind": kind.as_str(), "name": name }),
        },
    )?;
    Ok((id, uuid))
}
