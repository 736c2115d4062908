//! A user's sessions: list them and revoke one.

use jiff::Timestamp;

use crate::{
    auth::principal::RequestMeta,
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::audit::{self, Actor, Event},
    store::sessions,
};

/// End one session of the user (logout, or revoking it from the list).
/// Another user's session id is a 404.
pub fn revoke(
    db: &Db,
    user_id: i64,
    session_id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        let session = sessions::find(tx, session_id)?
            .filter(|s| s.user_id == Some(user_id) && s.revoked_at.is_none())
            .ok_or(AppError::NotFound)?;
        sessions::revoke(tx, session.id, &stamp(now), "revoked_by_user")?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user_id),
                action: "auth.session_revoked",
                subject: Some(("session", session.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "kind": session.kind, "name": session.name }),
            },
        )?;
        Ok(())
    })
}

/// The user's live sessions, browser and API.
pub fn list(db: &Db, user_id: i64, now: Timestamp) -> Result<Vec<sessions::Session>> {
    db.read(|c| Ok(sessions::live_for_user(c, user_id, &stamp(now))?))
}
