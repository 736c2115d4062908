//! Resetting a password with its token, which ends every session.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{principal::RequestMeta, rate_limit, secrets},
    domain::{password_policy, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::Ctx,
    service::{
        audit::{self, Actor, Event},
        email::{self, Branding},
    },
    store::{email_tokens, sessions, users},
};

use super::verify::use_email_token;

/// `POST /auth/password/reset`: a new password, and every session ends.
pub fn reset_password(
    ctx: &Ctx,
    token: &str,
    new_password: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    ctx.limiter.hit(
        rate_limit::RESET_PER_IP,
        &rate_limit::client_key(meta.ip.as_deref()),
        now,
    )?;
    // Validate the token first (read only), to check the policy against
    // the right email.
    let owner = ctx.db.read(|c| {
        let row = email_tokens::find(c, "reset_password", &secrets::hash(token.trim()))?;
        Ok(match row {
            Some(r) => users::find(c, r.user_id)?,
            None => None,
        })
    })?;
    let policy = password_policy::problems(
        new_password,
        owner.as_ref().map_or("", |u| u.email.as_str()),
    );
    if !policy.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("password".into(), policy);
        return Err(AppError::Validation(errors));
    }
    let hash = ctx.passwords.hash(new_password)?;
    let brand = Branding::from_config(&ctx.config);
    ctx.db.write(|tx| {
        let user_id = use_email_token(tx, "reset_password", token, now)?;
        let user = users::find(tx, user_id)?.ok_or(AppError::NotFound)?;
        set_password_and_end_sessions(tx, &user, &hash, None, now)?;
        // Whoever could reset the password owned the mailbox.
        users::mark_verified(tx, user.id, &stamp(now))?;
        email::queue(
            tx,
            now,
            &user.email,
            &email::PasswordChanged {
                brand,
                name: user.name(),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user.id),
                action: "auth.password_reset",
                subject: Some(("user", user.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}

pub(super) fn set_password_and_end_sessions(
    conn: &Connection,
    user: &users::User,
    hash: &str,
    keep_session: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    users::set_password(conn, user.id, hash, &now_s)?;
    sessions::revoke_all_for_user(conn, user.id, keep_session, &now_s, "password_changed")?;
    email_tokens::retire_all(conn, user.id, "reset_password", &now_s)?;
    Ok(())
}
