//! Contacts: people given access to a client account with chosen
//! privileges. Managing them needs `misc.manageprofiles`; nobody can grant
//! a privilege they do not hold, or change their own.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    app::AppState,
    auth::{
        password,
        principal::{Principal, RequestMeta},
    },
    domain::{
        password_policy,
        privileges::{Privilege, Privileges},
        time::stamp,
    },
    error::{AppError, FieldErrors, Result},
    service::{
        access::{ClientAccess, Grant, client_access},
        audit::{self, Event},
        bootstrap::looks_like_email,
        email::{self, Branding},
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

fn manage(conn: &Connection, principal: &Principal, ident: &str) -> Result<ClientAccess> {
    let access = client_access(conn, principal, ident)?;
    access.require_change(Privilege::MiscManageProfiles)?;
    Ok(access)
}

fn manage_read(conn: &Connection, principal: &Principal, ident: &str) -> Result<ClientAccess> {
    let access = client_access(conn, principal, ident)?;
    access.require(Privilege::MiscManageProfiles)?;
    Ok(access)
}

/// Privileges may only be handed out by someone holding them.
fn check_grantable(access: &ClientAccess, wanted: &Privileges) -> Result<()> {
    if wanted.is_subset(&access.privileges()) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "privileges",
            "you cannot grant privileges you do not hold",
        ))
    }
}

pub fn list(
    state: &AppState,
    principal: &Principal,
    ident: &str,
) -> Result<(ClientAccess, Vec<Contact>)> {
    state.db.read(|c| {
        let access = manage_read(c, principal, ident)?;
        let contacts = memberships::contacts_of(c, access.client.id)?
            .into_iter()
            .map(|m| load(c, m))
            .collect::<Result<_>>()?;
        Ok((access, contacts))
    })
}

pub fn get(state: &AppState, principal: &Principal, ident: &str, id: i64) -> Result<Contact> {
    state.db.read(|c| {
        let access = manage_read(c, principal, ident)?;
        let m = memberships::find_contact(c, access.client.id, id)?.ok_or(AppError::NotFound)?;
        load(c, m)
    })
}

#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// With a password the contact can log in.
    pub password: Option<String>,
    pub privileges: Privileges,
}

pub fn create(
    state: &AppState,
    principal: &Principal,
    ident: &str,
    input: NewContact,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Contact> {
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
    let password_given = input.password.filter(|p| !p.is_empty());
    if let Some(p) = &password_given {
        let problems = password_policy::problems(p, &email_addr);
        if !problems.is_empty() {
            errors.insert("password".into(), problems);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = password_given.as_deref().map(password::hash).transpose()?;
    let brand = Branding::from_config(&state.config);
    state.db.write(|tx| {
        let access = manage(tx, principal, ident)?;
        check_grantable(&access, &input.privileges)?;
        let now_s = stamp(now);
        let (user_id, can_log_in) = match users::find_by_email(tx, &email_addr)? {
            Some(existing) => {
                if memberships::find(tx, existing.id, access.client.id)?.is_some() {
                    return Err(AppError::Conflict("This person already has access to this account".into()));
                }
                // Someone else's login is never changed from here.
                (existing.id, existing.password_hash.is_some())
            }
            None => {
                let id = users::insert(
                    tx,
                    &users::NewUser {
                        uuid: &uuid::Uuid::new_v4().to_string(),
                        email: &email_addr,
                        first_name: &first,
                        last_name: &last,
                        password_hash: hash.as_deref(),
                        now: &now_s,
                    },
                )?;
                (id, hash.is_some())
            }
        };
        let membership_id = memberships::insert(
            tx,
            user_id,
            access.client.id,
            "contact",
            &input.privileges.to_json(),
            &now_s,
        )?;
        email::queue(
            tx,
            now,
            &email_addr,
            &email::ContactAdded {
                name: format!("{first} {last}"),
                client_name: access.client.display_name(),
                login_link: brand.link("/login"),
                can_log_in,
                brand: brand.clone(),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "client.contact_added",
                subject: Some(("contact", membership_id)),
                client_id: Some(access.client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "email": email_addr, "privileges": input.privileges.0.iter().map(|p| p.key()).collect::<Vec<_>>() }),
            },
        )?;
        let m = memberships::find_contact(tx, access.client.id, membership_id)?.ok_or(AppError::NotFound)?;
        load(tx, m)
    })
}

#[derive(Debug, Clone, Default)]
pub struct ContactChange {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password: Option<String>,
    pub privileges: Option<Privileges>,
}

pub fn update(
    state: &AppState,
    principal: &Principal,
    ident: &str,
    id: i64,
    change: ContactChange,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Contact> {
    let new_password = change.password.as_deref().filter(|p| !p.is_empty());
    // Check the policy against the contact's email before hashing.
    let current = get(state, principal, ident, id)?;
    if let Some(p) = new_password {
        let problems = password_policy::problems(p, &current.user.email);
        if !problems.is_empty() {
            let mut errors = FieldErrors::new();
            errors.insert("password".into(), problems);
            return Err(AppError::Validation(errors));
        }
    }
    let hash = new_password.map(password::hash).transpose()?;
    state.db.write(|tx| {
        let access = manage(tx, principal, ident)?;
        let m = memberships::find_contact(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        if let Grant::Contact { membership_id, .. } = access.grant
            && membership_id == m.id
        {
            return Err(AppError::Forbidden);
        }
        let contact = load(tx, m)?;
        let now_s = stamp(now);
        let personal = change.first_name.is_some() || change.last_name.is_some() || hash.is_some();
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
        if let Some(hash) = &hash {
            users::set_password(tx, contact.user.id, hash, &now_s)?;
            crate::store::sessions::revoke_all_for_user(tx, contact.user.id, None, &now_s, "password_changed")?;
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
                    "password_changed": hash.is_some(),
                }),
            },
        )?;
        let m = memberships::find_contact(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        load(tx, m)
    })
}

pub fn delete(
    state: &AppState,
    principal: &Principal,
    ident: &str,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    state.db.write(|tx| {
        let access = manage(tx, principal, ident)?;
        let m = memberships::find_contact(tx, access.client.id, id)?.ok_or(AppError::NotFound)?;
        if let Grant::Contact { membership_id, .. } = access.grant
            && membership_id == m.id
        {
            return Err(AppError::Forbidden);
        }
        let contact = load(tx, m)?;
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
