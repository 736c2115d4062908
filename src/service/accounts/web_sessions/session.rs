//! A live browser session: authenticating its cookie, logging out, and
//! switching the client it acts for.

use jiff::Timestamp;

use crate::{
    auth::{
        principal::{Principal, RequestMeta, SessionKind, StaffPrincipal, UserPrincipal},
        secrets,
    },
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        accounts::security_settings,
        accounts::sessions::touch_if_stale,
        audit::{self, Actor, Event},
    },
    store::{memberships, sessions, staff, users},
};

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
