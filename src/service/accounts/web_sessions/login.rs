//! A client-area login: credentials, then a session or a second-factor
//! challenge.

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::{
        principal::{RequestMeta, SessionKind},
        secrets,
    },
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::accounts::sessions::{check_credentials, later, start_session},
    store::{login_challenges, memberships, sessions, users},
};

pub(super) const CHALLENGE_TTL: SignedDuration = SignedDuration::from_mins(10);

/// A new browser session: the cookie value and the CSRF token.
pub struct WebLogin {
    pub secret: String,
    pub csrf: String,
}

pub enum WebLoginStep {
    Done(WebLogin),
    /// Show the code form, carrying this challenge.
    SecondFactor {
        challenge: String,
    },
}

pub(super) fn new_web_secrets() -> (String, String) {
    (secrets::new_secret("ws_"), secrets::new_secret(""))
}

pub fn login(
    ctx: &Ctx,
    email: &str,
    password: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<WebLoginStep> {
    let user = check_credentials(ctx, email, password, meta, now)?;
    if user.two_factor_enabled() {
        let challenge = secrets::new_secret("lc_");
        ctx.db.write(|tx| {
            login_challenges::insert(
                tx,
                &secrets::hash(&challenge),
                user.id,
                &stamp(now),
                &stamp(later(now, CHALLENGE_TTL)),
            )?;
            Ok(())
        })?;
        return Ok(WebLoginStep::SecondFactor { challenge });
    }
    let (secret, csrf) = new_web_secrets();
    ctx.db.write(|tx| {
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
    Ok(WebLoginStep::Done(WebLogin { secret, csrf }))
}

/// A browser session for a user who just proved themselves another way
/// (choosing their password on an invitation's page), working on
/// `client_id`.
pub fn start_for_user(
    ctx: &Ctx,
    user_id: i64,
    client_id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<WebLogin> {
    let (secret, csrf) = new_web_secrets();
    ctx.db.write(|tx| {
        let user = users::find(tx, user_id)?.ok_or(AppError::Unauthenticated)?;
        let (id, _) = start_session(
            tx,
            &user,
            SessionKind::Web,
            &session_name(meta),
            Some((&secrets::hash(&secret), &csrf)),
            meta,
            now,
        )?;
        memberships::find(tx, user_id, client_id)?.ok_or(AppError::NotFound)?;
        sessions::set_active_client(tx, id, Some(client_id))?;
        Ok(())
    })?;
    Ok(WebLogin { secret, csrf })
}

pub(super) fn session_name(meta: &RequestMeta) -> String {
    meta.user_agent
        .as_deref()
        .map(|ua| ua.chars().take(100).collect())
        .unwrap_or_else(|| "browser".into())
}
