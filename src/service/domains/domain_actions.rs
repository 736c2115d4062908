//! What a customer (and staff, for any domain) may ask of a registered
//! domain besides its nameservers: the transfer lock and ID protection,
//! each a durable registrar task (`registrar_settings`), and what the
//! domain page offers (`options`). A domain at the manual registrar has
//! none of these: its registrar is a person, so the answer is a clear
//! "ask support" rather than a to-do nobody promised to do.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{privileges::Privilege, scopes::Scope},
    error::{AppError, Result},
    service::{
        access::{Grant, client_access},
        audit::{self, Actor, Event},
    },
    store::{
        domains::{self, Domain},
        registrars::{self, tasks::RegistrarTask},
        tlds,
    },
};

use super::registrar_settings::{self, Setting};

/// Who asks: a client's member (or staff through the client's routes),
/// or staff through `/api/v1/domains`.
#[derive(Clone, Copy)]
pub enum Who<'a> {
    Client(&'a Principal, &'a str),
    Staff(&'a StaffPrincipal),
}

/// How an actor reached the domain, for the checks each action adds.
pub(crate) struct Reached {
    /// The account's owner, or staff: only they see the auth code, which
    /// moves the domain away for good.
    pub may_move_away: bool,
}

impl Who<'_> {
    pub(crate) fn actor(&self) -> Actor {
        match self {
            Who::Client(p, _) => Actor::from(*p),
            Who::Staff(s) => Actor::from(*s),
        }
    }

    /// The domain `id`, if this actor may change it: another client's is a
    /// 404, a missing privilege a 403.
    pub(crate) fn reach(&self, c: &Connection, id: i64) -> Result<(Domain, Reached)> {
        match self {
            Who::Client(principal, client) => {
                let access = client_access(c, principal, client)?;
                access.require_change(Privilege::DomainsFull)?;
                let d = domains::of_client(c, access.client.id, id)?.ok_or(AppError::NotFound)?;
                let may_move_away = matches!(access.grant, Grant::Owner | Grant::Staff(_));
                Ok((d, Reached { may_move_away }))
            }
            Who::Staff(staff) => {
                staff.require(Scope::ServicesWrite)?;
                let d = domains::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
                Ok((
                    d,
                    Reached {
                        may_move_away: true,
                    },
                ))
            }
        }
    }
}

/// What the domain page may offer for a domain.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Its registrar is a module till can ask (not the manual registrar).
    pub automated: bool,
    /// Its TLD offers ID protection.
    pub id_protection: bool,
}

/// Whether the domain's registrar is one till can ask.
pub(crate) fn automated(c: &Connection, domain: &Domain) -> Result<bool> {
    Ok(match domain.registrar_id {
        None => false,
        Some(id) => registrars::find(c, id)?.is_some_and(|r| r.module != "manual"),
    })
}

pub(crate) fn options_of(c: &Connection, domain: &Domain) -> Result<Options> {
    Ok(Options {
        automated: automated(c, domain)?,
        id_protection: tlds::find(c, &domain.tld)?.is_some_and(|t| t.supports_id_protection),
    })
}

/// The domain page's options for one of the client's domains.
pub fn options(db: &Db, principal: &Principal, client: &str, id: i64) -> Result<Options> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::DomainsFull)?;
        let d = domains::of_client(c, access.client.id, id)?.ok_or(AppError::NotFound)?;
        options_of(c, &d)
    })
}

/// The same for staff (`services:read`).
pub fn staff_options(db: &Db, staff: &StaffPrincipal, id: i64) -> Result<Options> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| {
        let d = domains::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        options_of(c, &d)
    })
}

/// A change accepted: the domain as it is now (the change shows once the
/// registrar made it) and the task that carries it.
#[derive(Debug, Clone)]
pub struct Queued {
    pub domain: Domain,
    pub task: RegistrarTask,
}

/// Lock or unlock a domain against transfers.
pub fn set_lock(
    db: &Db,
    who: Who<'_>,
    id: i64,
    locked: bool,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Queued> {
    change(db, who, id, Setting::Lock(locked), meta, now)
}

/// Turn ID protection on or off, where the domain's TLD offers it.
pub fn set_id_protection(
    db: &Db,
    who: Who<'_>,
    id: i64,
    on: bool,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Queued> {
    change(db, who, id, Setting::IdProtection(on), meta, now)
}

fn change(
    db: &Db,
    who: Who<'_>,
    id: i64,
    setting: Setting,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Queued> {
    let (field, what) = match setting {
        Setting::Lock(_) => ("locked", "the transfer lock"),
        Setting::IdProtection(_) => ("enabled", "ID protection"),
    };
    db.write(|tx| {
        let (domain, _) = who.reach(tx, id)?;
        if domain.status != "active" {
            return Err(AppError::invalid(
                field,
                format!(
                    "{what} can be changed only for an active domain; this one is {}",
                    domain.status
                ),
            ));
        }
        let options = options_of(tx, &domain)?;
        if matches!(setting, Setting::IdProtection(_)) && !options.id_protection {
            return Err(AppError::invalid(
                field,
                format!("{} domains do not offer ID protection", domain.tld),
            ));
        }
        if !options.automated {
            return Err(AppError::invalid(
                field,
                format!(
                    "{what} of {} is changed by our staff: please open a support ticket",
                    domain.name
                ),
            ));
        }
        let task = registrar_settings::queue(tx, &domain, setting, now)?;
        audit::record(
            tx,
            now,
            Event {
                actor: who.actor(),
                action: match setting {
                    Setting::Lock(_) => "domain.lock_requested",
                    Setting::IdProtection(_) => "domain.id_protection_requested",
                },
                subject: Some(("domain", domain.id)),
                client_id: Some(domain.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ field: setting.on(), "task": task.id }),
            },
        )?;
        Ok(Queued { domain, task })
    })
}
