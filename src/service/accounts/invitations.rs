//! The invitee's side of a contact invitation (`contacts::invite` is the
//! inviter's). The emailed link opens a page that shows one of three ways
//! on: the invitee is logged in as the invited address and accepts with a
//! click; the address has a login, so they log in first; or it has none,
//! so they choose their own password, which also confirms the address
//! (the token came by email). The membership is made only here, and the
//! token works once.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{principal::RequestMeta, rate_limit, secrets},
    domain::{password_policy, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::Ctx,
    service::audit::{self, Actor, Event},
    store::{
        clients,
        contact_invitations::{self, Invitation},
        memberships, users,
    },
};

/// What the invitee does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Logged in as the invited address: one click accepts.
    Accept,
    /// The address has a login: log in as it, then accept.
    LogIn,
    /// No login yet: choose a password.
    SetPassword,
}

#[derive(Debug, Clone)]
pub struct InvitationView {
    pub client_name: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub next: Next,
}

fn invalid() -> AppError {
    AppError::invalid(
        "token",
        "this invitation is invalid, was used, or has expired",
    )
}

fn pending(conn: &Connection, token: &str, now: Timestamp) -> Result<Invitation> {
    contact_invitations::find_by_token(conn, &secrets::hash(token.trim()))?
        .filter(|i| i.is_pending(&stamp(now)))
        .ok_or_else(invalid)
}

/// The invitation behind `token`, as `viewer` (the logged-in user, if
/// any) sees it.
pub fn lookup(
    ctx: &Ctx,
    token: &str,
    viewer: Option<i64>,
    now: Timestamp,
) -> Result<InvitationView> {
    ctx.db.read(|c| {
        let inv = pending(c, token, now)?;
        let client = clients::find(c, inv.client_id)?.ok_or_else(invalid)?;
        let invitee = users::find_by_email(c, &inv.email)?;
        let viewer_is_invitee = viewer.zip(invitee.as_ref()).is_some_and(|(v, u)| v == u.id);
        let next = match &invitee {
            _ if viewer_is_invitee => Next::Accept,
            Some(u) if u.password_hash.is_some() => Next::LogIn,
            _ => Next::SetPassword,
        };
        Ok(InvitationView {
            client_name: client.display_name(),
            email: inv.email,
            first_name: inv.first_name,
            last_name: inv.last_name,
            next,
        })
    })
}

/// The invitee's chosen login.
#[derive(Debug, Clone, Default)]
pub struct NewLogin {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password: String,
}

/// Accept by choosing a password (an address without a login). Answers
/// the user, now a contact, and the client they joined.
pub fn accept_with_password(
    ctx: &Ctx,
    token: &str,
    login: NewLogin,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(i64, i64)> {
    ctx.limiter.hit(
        rate_limit::ACCEPT_PER_IP,
        &rate_limit::client_key(meta.ip.as_deref()),
        now,
    )?;
    let inv = ctx.db.read(|c| pending(c, token, now))?;
    let has_login = ctx
        .db
        .read(|c| Ok(users::find_by_email(c, &inv.email)?))?
        .is_some_and(|u| u.password_hash.is_some());
    if has_login {
        // Never a second way to set a password of an existing login.
        return Err(AppError::invalid(
            "password",
            "this address already has a login: log in to accept the invitation",
        ));
    }
    let pick = |given: Option<String>, invited: &str| {
        given
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| invited.to_string())
    };
    let first = pick(login.first_name, &inv.first_name);
    let last = pick(login.last_name, &inv.last_name);
    let policy = password_policy::problems(&login.password, &inv.email);
    if !policy.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("password".into(), policy);
        return Err(AppError::Validation(errors));
    }
    let hash = ctx.passwords.hash(&login.password)?;
    ctx.db.write(|tx| {
        let inv = pending(tx, token, now)?;
        let now_s = stamp(now);
        let user_id = match users::find_by_email(tx, &inv.email)? {
            Some(u) if u.password_hash.is_some() => return Err(invalid()),
            Some(u) => {
                users::set_password(tx, u.id, &hash, &now_s)?;
                u.id
            }
            None => users::insert(
                tx,
                &users::NewUser {
                    uuid: &uuid::Uuid::new_v4().to_string(),
                    email: &inv.email,
                    first_name: &first,
                    last_name: &last,
                    password_hash: Some(&hash),
                    now: &now_s,
                },
            )?,
        };
        // The token came to this mailbox.
        users::mark_verified(tx, user_id, &now_s)?;
        join(tx, &inv, user_id, meta, now)?;
        Ok((user_id, inv.client_id))
    })
}

/// Accept as the logged-in `user_id`, who must be the invited address.
/// Answers the client joined.
pub fn accept_as(
    ctx: &Ctx,
    token: &str,
    user_id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<i64> {
    ctx.db.write(|tx| {
        let inv = pending(tx, token, now)?;
        let user = users::find(tx, user_id)?.ok_or(AppError::Unauthenticated)?;
        if !user.email.eq_ignore_ascii_case(&inv.email) {
            return Err(AppError::invalid(
                "token",
                "this invitation is for another email address: log in as that address",
            ));
        }
        join(tx, &inv, user.id, meta, now)?;
        Ok(inv.client_id)
    })
}

fn join(
    tx: &Connection,
    inv: &Invitation,
    user_id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    if memberships::find(tx, user_id, inv.client_id)?.is_some() {
        return Err(AppError::Conflict(
            "You already have access to this account".into(),
        ));
    }
    let membership_id = memberships::insert(
        tx,
        user_id,
        inv.client_id,
        "contact",
        &inv.privileges,
        &now_s,
    )?;
    if !contact_invitations::mark_accepted(tx, inv.id, membership_id, &now_s)? {
        return Err(invalid());
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::User(user_id),
            action: "client.contact_joined",
            subject: Some(("contact", membership_id)),
            client_id: Some(inv.client_id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "invitation": inv.id }),
        },
    )?;
    Ok(())
}
