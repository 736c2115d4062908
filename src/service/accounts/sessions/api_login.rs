//! An API login: credentials, second factor, and a token pair.

use jiff::Timestamp;

use crate::{
    auth::{
        jwt,
        principal::{RequestMeta, SessionKind},
        secrets,
    },
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::accounts::two_factor,
    store::{clients::Client, refresh_tokens, two_factor::Holder, users::User},
};

use super::browser::start_session;
use super::credentials::{check_credentials, truncate};
use super::timeouts::{SESSION_IDLE, later};

/// A new API session with its first refresh token.
pub struct ApiLogin {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub session_id: i64,
    pub user: User,
    pub clients: Vec<(Client, String)>,
}

/// `POST /auth/login`: credentials, then the second factor when 2FA is on.
pub fn login_api(
    ctx: &Ctx,
    email: &str,
    password_given: &str,
    device_name: Option<&str>,
    totp_code: Option<&str>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ApiLogin> {
    let user = check_credentials(ctx, email, password_given, meta, now)?;
    let two_factor = user.two_factor_enabled();
    let code = totp_code.map(str::trim).filter(|c| !c.is_empty());
    if two_factor && code.is_none() {
        return Err(AppError::SecondFactorRequired);
    }
    let name = device_name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| truncate(n, 100))
        .unwrap_or_else(|| "API".to_string());
    let refresh = secrets::new_secret("rt_");
    let (session_id, session_uuid, clients) = ctx.db.write(|tx| {
        if let Some(code) = code.filter(|_| two_factor) {
            two_factor::verify_code(
                tx,
                &ctx.limiter,
                &ctx.keys,
                Holder::User(user.id),
                code,
                now,
            )?;
        }
        let (id, uuid) = start_session(tx, &user, SessionKind::Api, &name, None, meta, now)?;
        refresh_tokens::insert(
            tx,
            id,
            None,
            &secrets::hash(&refresh),
            &stamp(now),
            &stamp(later(now, SESSION_IDLE)),
        )?;
        let clients = crate::store::clients::for_user(tx, user.id)?;
        Ok((id, uuid, clients))
    })?;
    Ok(ApiLogin {
        access_token: jwt::issue(&ctx.keys.jwt, &user.uuid, &session_uuid, now)?,
        refresh_token: refresh,
        expires_in: jwt::ACCESS_TTL_SECS,
        session_id,
        user,
        clients,
    })
}
