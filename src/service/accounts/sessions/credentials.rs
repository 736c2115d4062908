//! Checking an email and password, at the same cost whether or not the
//! account exists.

use jiff::Timestamp;

use crate::{
    auth::principal::RequestMeta,
    error::{AppError, Result},
    service::Ctx,
    service::{
        accounts::login_guard::LoginGuard,
        audit::{self, Actor, Event},
        bootstrap::check_email_length,
    },
    store::{users, users::User},
};

/// Check an email and password. Every attempt counts against the client's
/// address; only failures count against the account, and they slow the
/// next attempt down (`rate_limit::LOGIN_FAILURES_*`) rather than lock it.
/// The same work is done whether or not the email exists.
pub fn check_credentials(
    ctx: &Ctx,
    email: &str,
    password_given: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<User> {
    let email = email.trim();
    check_email_length(email)?;
    let guard = LoginGuard::new(ctx, email, meta);
    guard.check(now)?;
    let user = ctx.db.read(|c| Ok(users::find_by_email(c, email)?))?;
    let stored = user
        .as_ref()
        .and_then(|u| u.password_hash.as_deref())
        .unwrap_or(&ctx.keys.dummy_password_hash);
    let matches = ctx.passwords.verify(password_given, stored)?;
    match user {
        Some(user) if matches && user.password_hash.is_some() && user.status == "active" => {
            guard.succeeded();
            Ok(user)
        }
        user => {
            guard.failed(now);
            let user_id = user.map(|u| u.id);
            ctx.db.write(|tx| {
                audit::record(
                    tx,
                    now,
                    Event {
                        actor: user_id.map_or(Actor::System, Actor::User),
                        action: "auth.login_failed",
                        subject: user_id.map(|id| ("user", id)),
                        client_id: None,
                        ip: meta.ip.as_deref(),
                        details: serde_json::json!({ "email": email }),
                    },
                )
            })?;
            Err(AppError::InvalidCredentials)
        }
    }
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
