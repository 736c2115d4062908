//! Exchanging a refresh token for a new pair, with a grace period for
//! a retried request.

use jiff::Timestamp;

use crate::{
    auth::{jwt, principal::RequestMeta, secrets},
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::audit::{self, Actor, Event},
    store::{refresh_tokens, sessions, users},
};

use super::timeouts::{REFRESH_GRACE, SESSION_IDLE, later};

/// The outcome of presenting a refresh token.
pub struct Refreshed {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

enum Exchange {
    Issued {
        user_uuid: String,
        session_uuid: String,
        successor: String,
    },
    Reused,
}

/// `POST /auth/refresh`.
pub fn refresh(
    ctx: &Ctx,
    presented: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Refreshed> {
    let hash = secrets::hash(presented.trim());
    let successor = secrets::successor(&ctx.keys.refresh, presented.trim());
    let exchange = ctx.db.write(|tx| {
        let token = refresh_tokens::find_by_hash(tx, &hash)?.ok_or(AppError::Unauthenticated)?;
        let session = sessions::find(tx, token.session_id)?.ok_or(AppError::Unauthenticated)?;
        let now_s = stamp(now);
        if !session.is_live(&now_s) {
            return Err(AppError::Unauthenticated);
        }
        let user = session
            .user_id
            .map(|id| users::find(tx, id))
            .transpose()?
            .flatten()
            .filter(|u| u.status == "active")
            .ok_or(AppError::Unauthenticated)?;

        match &token.rotated_at {
            None => {
                if now_s >= token.expires_at {
                    return Err(AppError::Unauthenticated);
                }
                refresh_tokens::mark_rotated(tx, token.id, &now_s)?;
                let idle = later(now, SESSION_IDLE);
                refresh_tokens::insert(
                    tx,
                    session.id,
                    Some(token.id),
                    &secrets::hash(&successor),
                    &now_s,
                    &stamp(idle).min(session.expires_at.clone()),
                )?;
                sessions::touch(
                    tx,
                    session.id,
                    &now_s,
                    &stamp(idle),
                    meta.ip.as_deref(),
                    meta.user_agent.as_deref(),
                )?;
                Ok(Exchange::Issued {
                    user_uuid: user.uuid,
                    session_uuid: session.uuid,
                    successor: successor.clone(),
                })
            }
            Some(rotated_at) => {
                let rotated: Timestamp = rotated_at.parse().map_err(AppError::internal)?;
                let within_grace = now.duration_since(rotated) <= REFRESH_GRACE;
                let next = refresh_tokens::successor_of(tx, token.id)?;
                let next_unused = next.as_ref().is_some_and(|n| n.rotated_at.is_none());
                if within_grace && next_unused {
                    return Ok(Exchange::Issued {
                        user_uuid: user.uuid,
                        session_uuid: session.uuid,
                        successor: successor.clone(),
                    });
                }
                sessions::revoke(tx, session.id, &now_s, "refresh_token_reuse")?;
                audit::record(
                    tx,
                    now,
                    Event {
                        actor: Actor::User(user.id),
                        action: "auth.refresh_token_reused",
                        subject: Some(("session", session.id)),
                        client_id: None,
                        ip: meta.ip.as_deref(),
                        details: serde_json::json!({ "token_id": token.id }),
                    },
                )?;
                Ok(Exchange::Reused)
            }
        }
    })?;
    match exchange {
        Exchange::Issued {
            user_uuid,
            session_uuid,
            successor,
        } => Ok(Refreshed {
            access_token: jwt::issue(&ctx.keys.jwt, &user_uuid, &session_uuid, now)?,
            refresh_token: successor,
            expires_in: jwt::ACCESS_TTL_SECS,
        }),
        Exchange::Reused => Err(AppError::Unauthenticated),
    }
}
