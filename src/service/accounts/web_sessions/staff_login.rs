//! An admin-area login, and its second factor.

use jiff::Timestamp;

use crate::{
    auth::{principal::RequestMeta, secrets},
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::{accounts::sessions::later, accounts::two_factor},
    store::{login_challenges, staff, two_factor::Holder},
};

use super::login::{CHALLENGE_TTL, WebLogin, WebLoginStep, new_web_secrets};

/// A staff member's login to the admin area: with 2FA on, the code form
/// comes next (`complete_staff_second_factor`); otherwise a new session
/// with its own cookie secret and CSRF token.
pub fn staff_login(
    ctx: &Ctx,
    email: &str,
    password: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<WebLoginStep> {
    let member =
        crate::service::accounts::staff::check_credentials(ctx, email, password, meta, now)?;
    if member.two_factor_enabled() {
        let challenge = secrets::new_secret("lc_");
        ctx.db.write(|tx| {
            login_challenges::insert_staff(
                tx,
                &secrets::hash(&challenge),
                member.id,
                &stamp(now),
                &stamp(later(now, CHALLENGE_TTL)),
            )?;
            Ok(())
        })?;
        return Ok(WebLoginStep::SecondFactor { challenge });
    }
    let (secret, csrf) = new_web_secrets();
    ctx.db.write(|tx| {
        crate::service::accounts::staff::start_web_session(
            tx,
            &member,
            &secrets::hash(&secret),
            &csrf,
            meta,
            now,
        )
    })?;
    Ok(WebLoginStep::Done(WebLogin { secret, csrf }))
}

/// The second step of a staff login.
pub fn complete_staff_second_factor(
    ctx: &Ctx,
    challenge: &str,
    code: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<WebLogin> {
    let (secret, csrf) = new_web_secrets();
    ctx.db.write(|tx| {
        let (challenge_id, staff_id) =
            login_challenges::find_live_staff(tx, &secrets::hash(challenge.trim()), &stamp(now))?
                .ok_or_else(|| {
                AppError::invalid("challenge", "this login has expired; please log in again")
            })?;
        let member = staff::find(tx, staff_id)?
            .filter(|m| m.disabled_at.is_none())
            .ok_or(AppError::Unauthenticated)?;
        two_factor::verify_code(
            tx,
            &ctx.limiter,
            &ctx.keys,
            Holder::Staff(member.id),
            code,
            now,
        )?;
        login_challenges::consume_staff(tx, challenge_id, &stamp(now))?;
        crate::service::accounts::staff::start_web_session(
            tx,
            &member,
            &secrets::hash(&secret),
            &csrf,
            meta,
            now,
        )
    })?;
    Ok(WebLogin { secret, csrf })
}
