//! Browser sessions for the client area and the admin area: a random
//! cookie secret (only its hash is stored), a CSRF token per session, and
//! a pending challenge while a login waits for its second factor.

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::{
        principal::{Principal, RequestMeta, SessionKind, StaffPrincipal, UserPrincipal},
        secrets,
    },
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::{
        audit::{self, Actor, Event},
        security_settings,
        sessions::{check_credentials, later, start_session, touch_if_stale},
        two_factor,
    },
    store::{login_challenges, memberships, sessions, staff, two_factor::Holder, users},
};

const CHALLENGE_TTL: SignedDuration = SignedDuration::from_mins(10);

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

fn new_web_secrets() -> (String, String) {
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

fn session_name(meta: &RequestMeta) -> String {
    meta.user_agent
        .as_deref()
        .map(|ua| ua.chars().take(100).collect())
        .unwrap_or_else(|| "browser".into())
}

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
    let member = crate::service::staff::check_credentials(ctx, email, password, meta, now)?;
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
        crate::service::staff::start_web_session(
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
        crate::service::staff::start_web_session(
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

/// A live browser session and who it belongs to.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub session: sessions::Session,
    pub principal: Principal,
    pub csrf: String,
    /// The user's name or the staff member's.
    pub display_name: String,
    /// A staff member who must set up two-factor authentication (staff
    /// must have it, and this one has not) before using the admin area.
    pub needs_two_factor: bool,
}

/// The session behind a cookie secret, if it is live.
pub fn authenticate(
    db: &Db,
    secret: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Option<WebSession>> {
    let found = db.read(|c| {
        let Some(session) = sessions::find_by_secret_hash(c, &secrets::hash(secret))? else {
            return Ok(None);
        };
        if !session.is_live(&stamp(now)) || session.kind != "web" {
            return Ok(None);
        }
        let who = match (session.user_id, session.staff_id) {
            (Some(uid), _) => users::find(c, uid)?
                .filter(|u| u.status == "active")
                .map(|u| {
                    let name = u.name();
                    (
                        Principal::User(UserPrincipal {
                            user_id: u.id,
                            user_uuid: u.uuid,
                            session_id: session.id,
                            session_kind: SessionKind::Web,
                        }),
                        name,
                        false,
                    )
                }),
            (None, Some(sid)) => match staff::find(c, sid)?.filter(|s| s.disabled_at.is_none()) {
                Some(s) => {
                    let needs = !s.two_factor_enabled()
                        && security_settings::load(c)?.require_staff_two_factor;
                    Some((
                        Principal::Staff(StaffPrincipal {
                            staff_id: s.id,
                            role: s.role,
                            api_key_id: None,
                            scopes: None,
                        }),
                        s.name,
                        needs,
                    ))
                }
                None => None,
            },
            _ => None,
        };
        Ok(who.map(|(principal, display_name, needs)| (session, principal, display_name, needs)))
    })?;
    let Some((session, principal, display_name, needs_two_factor)) = found else {
        return Ok(None);
    };
    touch_if_stale(db, &session, meta, now)?;
    let csrf = session.csrf_token.clone().unwrap_or_default();
    Ok(Some(WebSession {
        session,
        principal,
        csrf,
        display_name,
        needs_two_factor,
    }))
}

/// End a browser session.
pub fn logout(
    db: &Db,
    session: &sessions::Session,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        if sessions::revoke(tx, session.id, &stamp(now), "logout")? {
            let actor = match (session.user_id, session.staff_id) {
                (Some(u), _) => Actor::User(u),
                (None, Some(s)) => Actor::Staff(s),
                _ => Actor::System,
            };
            audit::record(
                tx,
                now,
                Event {
                    actor,
                    action: "auth.logout",
                    subject: Some(("session", session.id)),
                    client_id: None,
                    ip: meta.ip.as_deref(),
                    details: serde_json::json!({}),
                },
            )?;
        }
        Ok(())
    })
}

/// Choose which of the user's clients the browser session works on.
pub fn switch_client(db: &Db, session_id: i64, user_id: i64, client_id: i64) -> Result<()> {
    db.write(|tx| {
        memberships::find(tx, user_id, client_id)?.ok_or(AppError::NotFound)?;
        sessions::set_active_client(tx, session_id, Some(client_id))?;
        Ok(())
    })
}
