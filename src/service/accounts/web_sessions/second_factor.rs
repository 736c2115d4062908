//! Completing a client-area login with its second factor.

use jiff::Timestamp;

use crate::{
    auth::{
        principal::{RequestMeta, SessionKind},
        secrets,
    },
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::{accounts::sessions::start_session, accounts::two_factor},
    store::{login_challenges, two_factor::Holder, users},
};

use super::login::{WebLogin, new_web_secrets, session_name};

/// The second step of a browser login.
pub fn complete_second_factor(
    ctx: &Ctx,
    challenge: &str,
    code: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<WebLogin> {
    let (secret, csrf) = new_web_secrets();
    ctx.db.write(|tx| {
        let (challenge_id, user_id) =
            login_challenges::find_live(tx, &secrets::hash(challenge.trim()), &stamp(now))?
                .ok_or_else(|| {
                    AppError::invalid("challenge", "this login has expired; please log in again")
                })?;
        let user = users::find(tx, user_id)?.ok_or(AppError::Unauthenticated)?;
        two_factor::verify_code(
            tx,
            &ctx.limiter,
            &ctx.keys,
            Holder::User(user.id),
            code,
            now,
        )?;
        login_challenges::consume(tx, challenge_id, &stamp(now))?;
        start_session(
            tx,
            &user,
            SessionKind::Web,
            &session_name(meta),
            Some((&secrets::hash(&secret), &csrf)),
            meta,
            now,
        )?;
        Ok(())
    })?;
    Ok(WebLogin { secret, csrf })
}
