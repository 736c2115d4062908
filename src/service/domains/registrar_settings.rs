//! The settings a registrar keeps for a domain and till mirrors: the
//! transfer lock (`lock`, payload `{"locked": bool}`) and ID protection
//! (`id_protection`, payload `{"on": bool}`). Each change is a durable
//! registrar task queued with its cause; the worker asks the registrar
//! (`call`), and only a registrar that said done changes the domain's
//! column (`applied`), so till never shows a state the registry lacks.

use jiff::Timestamp;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::{
    domain::time::stamp,
    error::{AppError, Result},
    integrations::registrars::{Outcome, Registrar},
    service::{
        audit::{self, Actor, Event},
        notifications,
    },
    store::{
        domains::{self, Domain},
        registrars::tasks::{self, RegistrarTask},
    },
};

use super::registrar_tasks::Failure;

pub const LOCK: &str = "lock";
pub const ID_PROTECTION: &str = "id_protection";

/// Whether `action` is one of these settings.
pub fn is_setting(action: &str) -> bool {
    matches!(action, LOCK | ID_PROTECTION)
}

/// A change to one of a domain's registrar settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Lock(bool),
    IdProtection(bool),
}

#[derive(Serialize, Deserialize)]
struct LockPayload {
    locked: bool,
}

#[derive(Serialize, Deserialize)]
struct IdProtectionPayload {
    on: bool,
}

impl Setting {
    pub fn action(self) -> &'static str {
        match self {
            Setting::Lock(_) => LOCK,
            Setting::IdProtection(_) => ID_PROTECTION,
        }
    }

    pub fn on(self) -> bool {
        match self {
            Setting::Lock(on) | Setting::IdProtection(on) => on,
        }
    }

    fn payload(self) -> String {
        let v = match self {
            Setting::Lock(locked) => serde_json::to_value(LockPayload { locked }),
            Setting::IdProtection(on) => serde_json::to_value(IdProtectionPayload { on }),
        };
        v.map(|v| v.to_string()).unwrap_or_else(|_| "{}".into())
    }

    /// The setting a task carries; `None` for any other action.
    pub fn of_task(action: &str, payload: &str) -> Option<std::result::Result<Setting, Failure>> {
        let bad = |e: serde_json::Error| Failure {
            message: format!("the {action} task's payload is unreadable: {e}"),
            retry: false,
        };
        match action {
            LOCK => Some(
                serde_json::from_str::<LockPayload>(payload)
                    .map(|p| Setting::Lock(p.locked))
                    .map_err(bad),
            ),
            ID_PROTECTION => Some(
                serde_json::from_str::<IdProtectionPayload>(payload)
                    .map(|p| Setting::IdProtection(p.on))
                    .map_err(bad),
            ),
            _ => None,
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            Setting::Lock(true) => "domain.locked",
            Setting::Lock(false) => "domain.unlocked",
            Setting::IdProtection(true) => "domain.id_protection_on",
            Setting::IdProtection(false) => "domain.id_protection_off",
        }
    }

    fn words(self, name: &str) -> String {
        match self {
            Setting::Lock(true) => format!("{name} is locked against transfers"),
            Setting::Lock(false) => format!("{name} is unlocked and can be transferred"),
            Setting::IdProtection(true) => format!("ID protection is on for {name}"),
            Setting::IdProtection(false) => format!("ID protection is off for {name}"),
        }
    }
}

/// Queue the change for the registrar in the caller's transaction. Each
/// request is its own task (`lock:<domain>:<uuid>`), so lock, unlock and
/// lock again are three calls in that order.
pub fn queue(
    tx: &Connection,
    domain: &Domain,
    setting: Setting,
    now: Timestamp,
) -> Result<RegistrarTask> {
    let key = format!(
        "{}:{}:{}",
        setting.action(),
        domain.id,
        uuid::Uuid::new_v4().simple()
    );
    let now_s = stamp(now);
    tasks::insert(
        tx,
        domain.id,
        setting.action(),
        &key,
        &setting.payload(),
        &now_s,
    )?;
    tasks::find_by_key(tx, &key)?.ok_or_else(|| AppError::internal("the queued task is gone"))
}

/// Ask the registrar for the change a task carries (no transaction is
/// open here).
pub async fn call(
    registrar: &dyn Registrar,
    name: &str,
    action: &str,
    payload: &str,
) -> std::result::Result<Outcome, Failure> {
    let setting = Setting::of_task(action, payload).unwrap_or_else(|| {
        Err(Failure {
            message: format!("{action} is not a registrar setting"),
            retry: false,
        })
    })?;
    Ok(match setting {
        Setting::Lock(locked) => registrar.set_lock(name, locked).await?,
        Setting::IdProtection(on) => registrar.set_id_protection(name, on).await?,
    })
}

/// The registrar made the change: the domain shows it, with an audit row
/// and a line in the client's feed.
pub fn applied(
    tx: &Connection,
    task: &RegistrarTask,
    domain: &Domain,
    now: Timestamp,
) -> Result<()> {
    let setting = match Setting::of_task(&task.action, &task.payload) {
        Some(Ok(s)) => s,
        _ => return Err(AppError::internal("not a settings task")),
    };
    let now_s = stamp(now);
    tasks::mark_done(tx, task.id, None, &now_s)?;
    match setting {
        Setting::Lock(on) => domains::set_locked(tx, domain.id, on, &now_s)?,
        Setting::IdProtection(on) => domains::set_id_protection(tx, domain.id, on, &now_s)?,
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: setting.audit_action(),
            subject: Some(("domain", domain.id)),
            client_id: Some(domain.client_id),
            ip: None,
            details: serde_json::json!({ "task": task.id }),
        },
    )?;
    let words = setting.words(&domain.name);
    notifications::notify(
        tx,
        domain.client_id,
        &format!("domain_{}", setting.action()),
        &words,
        &format!("{words}."),
        &format!("/account/domains/{}", domain.id),
        now,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_travels_in_its_tasks_payload() {
        for s in [
            Setting::Lock(true),
            Setting::Lock(false),
            Setting::IdProtection(true),
            Setting::IdProtection(false),
        ] {
            let back = Setting::of_task(s.action(), &s.payload()).unwrap().unwrap();
            assert_eq!(back, s);
        }
        assert_eq!(Setting::Lock(true).payload(), r#"{"locked":true}"#);
        assert_eq!(Setting::IdProtection(false).payload(), r#"{"on":false}"#);
        assert!(Setting::of_task("lock", "{}").unwrap().is_err());
        assert!(Setting::of_task("nameservers", "{}").is_none());
        assert!(is_setting("lock") && is_setting("id_protection") && !is_setting("renew"));
    }
}
