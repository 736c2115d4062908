//! Logging in and staying logged in: credentials and second factor,
//! sessions (browser and API), access tokens and rotating refresh tokens.
//!
//! Rules:
//! - An unknown email costs the same argon2 verification as a known one,
//!   and writes the same audit row, so nothing reveals whether it exists.
//! - A TOTP step is accepted once (`users.totp_last_step`).
//! - Refresh tokens rotate on every use. The successor is derived from the
//!   presented token, so a retry within `REFRESH_GRACE` (a lost response)
//!   gets the same successor; a retired token used after the grace revokes
//!   the whole session (its family), and with it every access token.

use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use crate::{
    auth::{
        jwt,
        principal::{RequestMeta, SessionKind, UserPrincipal},
        secrets,
    },
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::{
        audit::{self, Actor, Event},
        bootstrap::check_email_length,
        login_guard::LoginGuard,
        two_factor,
    },
    store::{clients::Client, refresh_tokens, sessions, two_factor::Holder, users, users::User},
};

/// A customer's session lives at most this long, however active.
pub const SESSION_ABSOLUTE: SignedDuration = SignedDuration::from_hours(30 * 24);
/// A customer's session unused (and a refresh token unexchanged) this long
/// ends.
pub const SESSION_IDLE: SignedDuration = SignedDuration::from_hours(7 * 24);
/// A staff session lives at most this long: the admin area can do
/// everything, so a forgotten browser must not keep it open for days.
pub const STAFF_SESSION_ABSOLUTE: SignedDuration = SignedDuration::from_hours(12);
/// A staff session unused this long ends.
pub const STAFF_SESSION_IDLE: SignedDuration = SignedDuration::from_hours(2);

/// How long a session may sit unused: each kind keeps its own, also when
/// its use is recorded (`touch_if_stale`).
pub fn idle_timeout(session: &sessions::Session) -> SignedDuration {
    if session.staff_id.is_some() {
        STAFF_SESSION_IDLE
    } else {
        SESSION_IDLE
    }
}
/// A retired refresh token presented again this soon gets the same successor.
pub const REFRESH_GRACE: SignedDuration = SignedDuration::from_secs(10);
/// Session use is recorded at most this often (it costs a write).
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

pub fn later(now: Timestamp, by: SignedDuration) -> Timestamp {
    now.checked_add(by).unwrap_or(now)
}

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

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

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

/// Create a session row (and its audit row); answers (id, uuid).
pub fn start_session(
    conn: &Connection,
    user: &User,
    kind: SessionKind,
    name: &str,
    web: Option<(&str, &str)>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(i64, String)> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let first_client = crate::store::clients::for_user(conn, user.id)?
        .first()
        .map(|(c, _)| c.id);
    let id = sessions::insert(
        conn,
        &sessions::NewSession {
            uuid: &uuid,
            user_id: Some(user.id),
            staff_id: None,
            kind: kind.as_str(),
            name,
            secret_hash: web.map(|w| w.0),
            csrf_token: web.map(|w| w.1),
            active_client_id: first_client,
            now: &stamp(now),
            expires_at: &stamp(later(now, SESSION_ABSOLUTE)),
            idle_expires_at: &stamp(later(now, SESSION_IDLE)),
            ip: meta.ip.as_deref(),
            user_agent: meta.user_agent.as_deref(),
        },
    )?;
    users::mark_login(conn, user.id, &stamp(now))?;
    audit::record(
        conn,
        now,
        Event {
            actor: Actor::User(user.id),
            action: "auth.login",
            subject: Some(("session", id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "kind": kind.as_str(), "name": name }),
        },
    )?;
    Ok((id, uuid))
}

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

/// Resolve an access token to its user, checking the session is live.
pub fn authenticate_access(
    db: &Db,
    jwt_key: &[u8; 32],
    token: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<UserPrincipal> {
    let claims = jwt::verify(jwt_key, token, now)?;
    let now_s = stamp(now);
    let (session, user) = db.read(|c| {
        let session = sessions::find_by_uuid(c, &claims.sid)?.ok_or(AppError::Unauthenticated)?;
        let user = session
            .user_id
            .map(|id| users::find(c, id))
            .transpose()?
            .flatten()
            .ok_or(AppError::Unauthenticated)?;
        Ok((session, user))
    })?;
    if !session.is_live(&now_s) || user.uuid != claims.sub || user.status != "active" {
        return Err(AppError::Unauthenticated);
    }
    touch_if_stale(db, &session, meta, now)?;
    Ok(UserPrincipal {
        user_id: user.id,
        user_uuid: user.uuid,
        session_id: session.id,
        session_kind: if session.kind == "web" {
            SessionKind::Web
        } else {
            SessionKind::Api
        },
    })
}

/// Record a session's use, at most once a minute.
pub fn touch_if_stale(
    db: &Db,
    session: &sessions::Session,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let last: Timestamp = session.last_used_at.parse().map_err(AppError::internal)?;
    if now.duration_since(last) < TOUCH_EVERY {
        return Ok(());
    }
    db.write(|tx| {
        sessions::touch(
            tx,
            session.id,
            &stamp(now),
            &stamp(later(now, idle_timeout(session))),
            meta.ip.as_deref(),
            meta.user_agent.as_deref(),
        )?;
        Ok(())
    })
}

/// End one session of the user (logout, or revoking it from the list).
/// Another user's session id is a 404.
pub fn revoke(
    db: &Db,
    user_id: i64,
    session_id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        let session = sessions::find(tx, session_id)?
            .filter(|s| s.user_id == Some(user_id) && s.revoked_at.is_none())
            .ok_or(AppError::NotFound)?;
        sessions::revoke(tx, session.id, &stamp(now), "revoked_by_user")?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user_id),
                action: "auth.session_revoked",
                subject: Some(("session", session.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "kind": session.kind, "name": session.name }),
            },
        )?;
        Ok(())
    })
}

/// The user's live sessions, browser and API.
pub fn list(db: &Db, user_id: i64, now: Timestamp) -> Result<Vec<sessions::Session>> {
    db.read(|c| Ok(sessions::live_for_user(c, user_id, &stamp(now))?))
}
