//! A forgotten password: the reset link, sent only to an existing account.

use jiff::Timestamp;

use crate::{
    auth::{principal::RequestMeta, rate_limit, secrets},
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::{
        accounts::sessions::later,
        audit::{self, Actor, Event},
        bootstrap::check_email_length,
        email::{self, Branding},
    },
    store::{email_tokens, users},
};

use super::RESET_TTL;

/// `POST /auth/password/forgot`: the same answer and the same work whether
/// or not the email has an account.
pub fn forgot_password(
    ctx: &Ctx,
    email_given: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let email_given = email_given.trim();
    check_email_length(email_given)?;
    ctx.limiter.hit(
        rate_limit::FORGOT_PER_IP,
        &rate_limit::client_key(meta.ip.as_deref()),
        now,
    )?;
    ctx.limiter
        .hit(rate_limit::FORGOT_PER_ACCOUNT, email_given, now)?;
    if !crate::service::bootstrap::looks_like_email(email_given) {
        return Err(AppError::invalid("email", "must be an email address"));
    }
    let brand = Branding::from_config(&ctx.config);
    let secret = secrets::new_secret("pr_");
    ctx.db.write(|tx| {
        let user = users::find_by_email(tx, email_given)?.filter(|u| u.status == "active");
        if let Some(user) = &user {
            let now_s = stamp(now);
            email_tokens::retire_all(tx, user.id, "reset_password", &now_s)?;
            email_tokens::insert(
                tx,
                user.id,
                "reset_password",
                &secrets::hash(&secret),
                &now_s,
                &stamp(later(now, RESET_TTL)),
            )?;
            email::queue(
                tx,
                now,
                &user.email,
                &email::PasswordReset {
                    name: user.name(),
                    link: brand.link(&format!("/reset-password?token={secret}")),
                    brand: brand.clone(),
                },
            )?;
        }
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::System,
                action: "auth.password_reset_requested",
                subject: user.as_ref().map(|u| ("user", u.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}
