//! Contacts: people given access to a client account with chosen
//! privileges. Managing them needs `misc.manageprofiles`; nobody can grant
//! a privilege they do not hold, change their own, or change someone who
//! holds more than they do. A contact joins by invitation
//! (`service::accounts::invitations` is the invitee's side).

use jiff::Timestamp;
use rusqlite::Connection;

pub use crate::service::accounts::contact_invites::{
    INVITATION_TTL, NewContact, PendingInvitation, invitations, invite, withdraw,
};
use crate::{
    auth::principal::{Principal, RequestMeta},
    domain::{
        privileges::{Privilege, Privileges},
        time::stamp,
    },
    error::{AppError, Result},
    service::Ctx,
    service::{
        access::{ClientAccess, Grant, client_access},
        audit::{self, Event},
    },
    store::{memberships, users},
};

#[derive(Debug, Clone)]
pub struct Contact {
    pub id: i64,
    pub user: users::User,
    pub privileges: Privileges,
    pub created_at: String,
    /// Whether the person's user exists only for this account (then its
    /// name and password may be changed here).
    pub managed_here: bool,
}

fn load(conn: &Connection, m: memberships::Membership) -> Result<Contact> {
    let user = users::find(conn, m.user_id)?.ok_or(AppError::NotFound)?;
    let managed_here = memberships::count_for_user(conn, user.id)? == 1;
    Ok(Contact {
        id: m.id,
        privileges: Privileges::from_json(&m.privileges),
        created_at: m.created_at,
        user,
        managed_here,
    })
}

pub(crate) fn manage(
    conn: &Connection,
    principal: &Principal,
    ident: &str,
) -> Result<ClientAccess> {
    let access = client_access(conn, principal, ident)?;
    access.require_change(Privilege::MiscManageProfiles)?;
    Ok(access)
}

pub(crate) fn manage_read(
    conn: &Connection,
    principal: &Principal,
    ident: &str,
) -> Result<ClientAccess> {
    let access = client_access(conn, principal, ident)?;
    access.require(Privilege::MiscManageProfiles)?;
    Ok(access)
}

/// A contact may change (or remove, or withdraw the invitation of) only
/// someone whose privileges it holds all of itself; otherwise a contact
/// could strip or remove a better-placed colleague. The owner is never a
/// contact here (`find_contact` does not find them).
pub(crate) fn may_change(access: &ClientAccess, theirs: &Privileges) -> Result<()> {
    match &access.grant {
        Grant::Contact { privileges, .. } if !theirs.is_subset(privileges) => {
            Err(AppError::Forbidden)
        }
        _ => Ok(()),
    }
}

/// Privileges may only be handed out by someone holding them.
pub(crate) fn check_grantable(access: &ClientAccess, wanted: &Privileges) -> Result<()> {
    if wanted.is_subset(&access.privileges()) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "privileges",
            "you cannot grant privileges you do not hold",
        ))
    }
}

pub fn list(ctx: &Ctx, principal: &Principal, ident: &str) -> Result<(ClientAccess, Vec<Contact>)> {
    ctx.db.read(|c| {
        let access = manage_read(c, principal, ident)?;
        let contacts = memberships::contacts_of(c, access.client.id)?
            .into_iter()
            .map(|m| load(c, m))
            .collect::<Result<_>>()?;
        Ok((access, contacts))
    })
}

pub fn get(ctx: &Ctx, principal: &Principal, ident: &str, id: i64) -> Result<Contact> {
    ctx.db.read(|c| {
        let access = manage_read(c, principal, ident)?;
        let m = memberships::find_contact(c, access.client.id, id)?.ok_or(AppError::NotFound)?;
        load(c, m)
    })
}

/// What may be changed of a contact: their privileges, and, for a person
/// who belongs to no other account, their name. Never a password: people
/// set their own.
#[derive(Debug, Clone, Default)]
pub struct ContactChange {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub privileges: Option<Privileges>,
}

pub fn update(
    ctx: &Ctx,
    principal: &Principal,
    ident: &str,
    id: i64,
    change: ContactChange,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Contact> {
    ctx.db.write(|tx| {
        let access = manage(tx, principal, ident)?;
        let m = memberships::find_contact(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        if let Grant::Contact { membership_id, .. } = access.grant
            && membership_id == m.id
        {
            return Err(AppError::Forbidden);
        }
        let contact = load(tx, m)?;
        may_change(&access, &contact.privileges)?;
        let now_s = stamp(now);
        let personal = change.first_name.is_some() || change.last_name.is_some();
        if personal && !contact.managed_here {
            return Err(AppError::invalid(
                "contact",
                "this person has their own login; only their privileges can be changed here",
            ));
        }
        if change.first_name.is_some() || change.last_name.is_some() {
            let first = change.first_name.as_deref().unwrap_or(&contact.user.first_name).trim().to_string();
            let last = change.last_name.as_deref().unwrap_or(&contact.user.last_name).trim().to_string();
            if first.is_empty() || last.is_empty() {
                return Err(AppError::invalid("first_name", "names must not be empty"));
            }
            users::set_names(tx, contact.user.id, &first, &last, &now_s)?;
        }
        if let Some(privileges) = &change.privileges {
            check_grantable(&access, privileges)?;
            memberships::set_privileges(tx, contact.id, &privileges.to_json())?;
        }
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "client.contact_updated",
                subject: Some(("contact", contact.id)),
                client_id: Some(access.client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({
                    "privileges": change.privileges.as_ref().map(|p| p.0.iter().map(|x| x.key()).collect::<Vec<_>>()),
                }),
            },
        )?;
        let m = memberships::find_contact(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        load(tx, m)
    })
}

pub fn delete(
    ctx: &Ctx,
    principal: &Principal,
    ident: &str,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    ctx.db.write(|tx| {
        let access = manage(tx, principal, ident)?;
        let m = memberships::find_contact(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        if let Grant::Contact { membership_id, .. } = access.grant
            && membership_id == m.id
        {
            return Err(AppError::Forbidden);
        }
        let contact = load(tx, m)?;
        may_change(&access, &contact.privileges)?;
        memberships::delete(tx, contact.id)?;
        // A person who existed only as this contact goes with it (their
        // sessions end by cascade).
        if contact.managed_here {
            users::delete(tx, contact.user.id)?;
        }
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "client.contact_removed",
                subject: Some(("contact", contact.id)),
                client_id: Some(access.client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "email": contact.user.email }),
            },
        )?;
        Ok(())
    })
}
