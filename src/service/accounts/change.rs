//! Changing a password while logged in.

use jiff::Timestamp;

use crate::{
    auth::{principal::RequestMeta, rate_limit},
    domain::password_policy,
    error::{AppError, FieldErrors, Result},
    service::Ctx,
    service::{
        audit::{self, Actor, Event},
        email::{self, Branding},
    },
    store::users,
};

use super::reset::set_password_and_end_sessions;

/// Change the password knowing the current one; other sessions end.
pub fn change_password(
    ctx: &Ctx,
    user_id: i64,
    current_session: i64,
    current: &str,
    new_password: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let user = ctx
        .db
        .read(|c| Ok(users::find(c, user_id)?))?
        .ok_or(AppError::NotFound)?;
    // A session is not proof of knowing the password: wrong guesses here
    // are limited like logins.
    let key = user.id.to_string();
    ctx.limiter
        .check(rate_limit::SESSION_PASSWORD_FAILURES, &key, now)?;
    let ok = match user.password_hash.as_deref() {
        Some(h) => ctx.passwords.verify(current, h)?,
        None => false,
    };
    if !ok {
        ctx.limiter
            .fail(rate_limit::SESSION_PASSWORD_FAILURES, &key, now);
        return Err(AppError::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let policy = password_policy::problems(new_password, &user.email);
    if !policy.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("password".into(), policy);
        return Err(AppError::Validation(errors));
    }
    let hash = ctx.passwords.hash(new_password)?;
    let brand = Branding::from_config(&ctx.config);
    ctx.db.write(|tx| {
        set_password_and_end_sessions(tx, &user, &hash, Some(current_session), now)?;
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
                action: "auth.password_changed",
                subject: Some(("user", user.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}
