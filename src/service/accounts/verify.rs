//! Verifying an email address with its token.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{principal::RequestMeta, secrets},
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::audit::{self, Actor, Event},
    store::{email_tokens, users},
};

/// `POST /auth/email/verify`.
pub fn verify_email(ctx: &Ctx, token: &str, meta: &RequestMeta, now: Timestamp) -> Result<()> {
    ctx.db.write(|tx| {
        let user_id = use_email_token(tx, "verify_email", token, now)?;
        users::mark_verified(tx, user_id, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user_id),
                action: "user.email_verified",
                subject: Some(("user", user_id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}

/// Spend a single-use email token; answers its user. Unknown, used and
/// expired tokens all get the same 422.
pub(super) fn use_email_token(
    conn: &Connection,
    purpose: &str,
    token: &str,
    now: Timestamp,
) -> Result<i64> {
    let invalid = || AppError::invalid("token", "is invalid or has expired");
    let row =
        email_tokens::find(conn, purpose, &secrets::hash(token.trim()))?.ok_or_else(invalid)?;
    if row.used_at.is_some() || stamp(now) >= row.expires_at {
        return Err(invalid());
    }
    if !email_tokens::mark_used(conn, row.id, &stamp(now))? {
        return Err(invalid());
    }
    Ok(row.user_id)
}
