//! Inviting a contact (the inviter's side; `service::accounts::invitations` is the
//! invitee's). An invitation is an email with a one-time link; the
//! membership is made only when the invitee accepts.

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::{
        principal::{Principal, RequestMeta},
        rate_limit, secrets,
    },
    domain::{privileges::Privileges, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::Ctx,
    service::{
        accounts::contacts::{check_grantable, manage, manage_read, may_change},
        accounts::sessions::later,
        audit::{self, Event},
        bootstrap::{check_email_length, looks_like_email},
        email::{self, Branding},
    },
    store::{contact_invitations, memberships},
};

/// How long an invitation link works.
pub const INVITATION_TTL: SignedDuration = SignedDuration::from_hours(7 * 24);

/// Whom to invite, as the inviter types it.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub privileges: Privileges,
}

/// An invitation still waiting for its invitee.
#[derive(Debug, Clone)]
pub struct PendingInvitation {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub privileges: Privileges,
    pub created_at: String,
    pub expires_at: String,
}

impl From<contact_invitations::Invitation> for PendingInvitation {
    fn from(i: contact_invitations::Invitation) -> Self {
        Self {
            id: i.id,
            privileges: Privileges::from_json(&i.privileges),
            email: i.email,
            first_name: i.first_name,
            last_name: i.last_name,
            created_at: i.created_at,
            expires_at: i.expires_at,
        }
    }
}

/// Invite someone to the account: an email with a one-time link where
/// they set their own password (or, having a login already, accept by
/// logging in). Nobody's password is set here, and the answer is the same
/// whether or not the address already has a login: nothing here looks.
/// Limited per account, since each one sends an email.
pub fn invite(
    ctx: &Ctx,
    principal: &Principal,
    ident: &str,
    input: NewContact,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PendingInvitation> {
    check_email_length(&input.email)?;
    let email_addr = input.email.trim().to_string();
    let (first, last) = (
        input.first_name.trim().to_string(),
        input.last_name.trim().to_string(),
    );
    let mut errors = FieldErrors::new();
    if !looks_like_email(&email_addr) {
        errors.insert("email".into(), vec!["must be an email address".into()]);
    }
    if first.is_empty() {
        errors.insert("first_name".into(), vec!["is required".into()]);
    }
    if last.is_empty() {
        errors.insert("last_name".into(), vec!["is required".into()]);
    }
    for (field, value) in [("first_name", &first), ("last_name", &last)] {
        if value.chars().count() > 100 {
            errors.insert(field.into(), vec!["must be at most 100 characters".into()]);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let brand = Branding::from_config(&ctx.config);
    let token = secrets::new_secret("ci_");
    ctx.db.write(|tx| {
        let access = manage(tx, principal, ident)?;
        check_grantable(&access, &input.privileges)?;
        ctx.limiter.hit(
            rate_limit::INVITES_PER_CLIENT,
            &access.client.id.to_string(),
            now,
        )?;
        // Members are listed to whoever may invite, so saying so leaks
        // nothing; whether the address has a login is never looked at.
        if memberships::find_by_email(tx, &email_addr, access.client.id)?.is_some() {
            return Err(AppError::Conflict(
                "This person already has access to this account".into(),
            ));
        }
        let now_s = stamp(now);
        // A new invitation replaces a waiting one (a resend).
        contact_invitations::revoke_pending_for(tx, access.client.id, &email_addr, &now_s)?;
        let expires = later(now, INVITATION_TTL);
        let id = contact_invitations::insert(
            tx,
            &contact_invitations::NewInvitation {
                client_id: access.client.id,
                email: &email_addr,
                first_name: &first,
                last_name: &last,
                privileges: &input.privileges.to_json(),
                token_hash: &secrets::hash(&token),
                now: &now_s,
                expires_at: &stamp(expires),
            },
        )?;
        email::queue(
            tx,
            now,
            &email_addr,
            &email::ContactInvitation {
                name: format!("{first} {last}"),
                client_name: access.client.display_name(),
                link: brand.link(&format!("/invitation?token={token}")),
                expires: stamp(expires),
                brand: brand.clone(),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "client.contact_invited",
                subject: Some(("invitation", id)),
                client_id: Some(access.client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "email": email_addr, "privileges": input.privileges.0.iter().map(|p| p.key()).collect::<Vec<_>>() }),
            },
        )?;
        let row = contact_invitations::find(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        Ok(row.into())
    })
}

/// The account's invitations still waiting (needs `misc.manageprofiles`).
pub fn invitations(
    ctx: &Ctx,
    principal: &Principal,
    ident: &str,
    now: Timestamp,
) -> Result<Vec<PendingInvitation>> {
    ctx.db.read(|c| {
        let access = manage_read(c, principal, ident)?;
        Ok(
            contact_invitations::pending_of(c, access.client.id, &stamp(now))?
                .into_iter()
                .map(PendingInvitation::from)
                .collect(),
        )
    })
}

/// Withdraw a waiting invitation; its link stops working.
pub fn withdraw(
    ctx: &Ctx,
    principal: &Principal,
    ident: &str,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    ctx.db.write(|tx| {
        let access = manage(tx, principal, ident)?;
        let now_s = stamp(now);
        let row = contact_invitations::find(tx, access.client.id, id)?
            .filter(|i| i.is_pending(&now_s))
            .ok_or(AppError::NotFound)?;
        may_change(&access, &Privileges::from_json(&row.privileges))?;
        contact_invitations::revoke(tx, row.id, &now_s)?;
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "client.contact_invitation_withdrawn",
                subject: Some(("invitation", row.id)),
                client_id: Some(access.client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "email": row.email }),
            },
        )?;
        Ok(())
    })
}
