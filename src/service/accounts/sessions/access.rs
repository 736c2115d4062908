//! Authenticating an access token and keeping its session's last use.

use jiff::Timestamp;

use crate::{
    auth::{
        jwt,
        principal::{RequestMeta, SessionKind, UserPrincipal},
    },
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    store::{sessions, users},
};

use super::timeouts::{TOUCH_EVERY, idle_timeout, later};

/// Resolve an access token to its user, checking the session is live.
pub fn authenticate_access(
    db: &Db,
    jwt_key: &[u8; 32],
    token: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<UserPrincipal> {
    let claims = jwt::verify(jwt_key, token, now)?;
    let now_s = stamp(now);
    let (session, user) = db.read(|c| {
        let session = sessions::find_by_uuid(c, &claims.sid)?.ok_or(AppError::Unauthenticated)?;
        let user = session
            .user_id
            .map(|id| users::find(c, id))
            .transpose()?
            .flatten()
            .ok_or(AppError::Unauthenticated)?;
        Ok((session, user))
    })?;
    if !session.is_live(&now_s) || user.uuid != claims.sub || user.status != "active" {
        return Err(AppError::Unauthenticated);
    }
    touch_if_stale(db, &session, meta, now)?;
    Ok(UserPrincipal {
        user_id: user.id,
        user_uuid: user.uuid,
        session_id: session.id,
        session_kind: if session.kind == "web" {
            SessionKind::Web
        } else {
            SessionKind::Api
        },
    })
}

/// Record a session's use, at most once a minute.
pub fn touch_if_stale(
    db: &Db,
    session: &sessions::Session,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let last: Timestamp = session.last_used_at.parse().map_err(AppError::internal)?;
    if now.duration_since(last) < TOUCH_EVERY {
        return Ok(());
    }
    db.write(|tx| {
        sessions::touch(
            tx,
            session.id,
            &stamp(now),
            &stamp(later(now, idle_timeout(session))),
            meta.ip.as_deref(),
            meta.user_agent.as_deref(),
        )?;
        Ok(())
    })
}
