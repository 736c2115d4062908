//! The registrars staff configure (reference 002's style of settings
//! resources): a name, a module and its settings, sealed at rest as one
//! JSON text and never shown back; and which registrar each TLD goes to.
//! A TLD mapped to none goes to the manual registrar: a staff to-do.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{
        keys::AuthKeys,
        principal::{RequestMeta, StaffPrincipal},
        sealed,
    },
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    integrations::{
        outbound::TargetPolicy,
        registrars::{REGISTRARS, RegistrarConfig, registrar_for},
    },
    service::audit::{self, Event},
    store::{
        registrars::{self, Registrar, RegistrarFields},
        tlds,
    },
};

/// What sealed registrar settings are bound to, so they open as nothing else.
const PURPOSE: &[u8] = b"registrar";

/// A registrar as staff send it. `settings` is the module's JSON
/// (`{"host": ..., "username": ..., "password": ...}` for EPP); on a
/// change, leaving it out keeps the sealed settings as they are.
#[derive(Debug, Clone)]
pub struct RegistrarInput {
    pub name: String,
    pub module: String,
    pub settings: Option<serde_json::Value>,
    pub rate_per_second: i64,
    pub enabled: bool,
}

fn check(
    conn: &Connection,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    input: &RegistrarInput,
    id: Option<i64>,
    kept: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let mut errors = FieldErrors::new();
    let add = |errors: &mut FieldErrors, f: &str, m: &str| {
        errors.entry(f.into()).or_default().push(m.into())
    };
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        add(&mut errors, "name", "give a name of 1 to 100 characters");
    }
    if registrars::list(conn)?
        .iter()
        .any(|r| r.name == name && Some(r.id) != id)
    {
        add(&mut errors, "name", "another registrar has this name");
    }
    if !REGISTRARS.contains(&input.module.as_str()) {
        add(&mut errors, "module", "must be manual, epp or logicboxes");
    }
    if !(1..=100).contains(&input.rate_per_second) {
        add(&mut errors, "rate_per_second", "must be from 1 to 100");
    }
    let text = match (&input.settings, kept) {
        (Some(s), _) => {
            let mut s = s.clone();
            if let Some(o) = s.as_object_mut() {
                o.insert("module".into(), input.module.clone().into());
            }
            s.to_string()
        }
        (None, Some(sealed)) => match sealed::open(&keys.credentials, PURPOSE, sealed) {
            Some(text) => text,
            None if input.module == "manual" => r#"{"module":"manual"}"#.into(),
            // Emptied by a master-key reset (or sealed under another key).
            None => {
                add(&mut errors, "settings", "give the module's settings again");
                String::new()
            }
        },
        (None, None) if input.module == "manual" => r#"{"module":"manual"}"#.into(),
        (None, None) => {
            add(&mut errors, "settings", "give the module's settings");
            String::new()
        }
    };
    if errors.is_empty() {
        match serde_json::from_str::<RegistrarConfig>(&text) {
            Ok(config) if config.module() != input.module => {
                add(&mut errors, "module", "the settings are for another module")
            }
            Ok(config) => {
                if let Err(e) = registrar_for(&config, targets) {
                    add(&mut errors, "settings", &e.to_string());
                }
            }
            Err(e) => add(&mut errors, "settings", &format!("are not valid: {e}")),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    sealed::seal(&keys.credentials, PURPOSE, &text)
        .ok_or_else(|| AppError::internal("cannot seal the registrar settings"))
}

fn open_text(keys: &AuthKeys, sealed_settings: &[u8]) -> Result<String> {
    sealed::open(&keys.credentials, PURPOSE, sealed_settings)
        .ok_or_else(|| AppError::internal("the registrar settings cannot be opened"))
}

/// The registrar's settings, opened, to build its client. The manual
/// registrar has nothing secret, so it needs nothing opened.
pub fn config_of(keys: &AuthKeys, registrar: &Registrar) -> Result<RegistrarConfig> {
    if registrar.module == "manual" {
        return Ok(RegistrarConfig::Manual);
    }
    serde_json::from_str(&open_text(keys, &registrar.settings_sealed)?)
        .map_err(|e| AppError::internal(format!("registrar {} settings: {e}", registrar.id)))
}

fn audit_registrar(
    tx: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: staff.into(),
            action,
            subject: Some(("registrar", id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({}),
        },
    )?;
    Ok(())
}

/// Add a registrar (staff, `servers:write`).
pub fn create(
    db: &Db,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    staff: &StaffPrincipal,
    input: &RegistrarInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Registrar> {
    staff.require(Scope::ServersWrite)?;
    db.write(|tx| {
        let sealed_settings = check(tx, keys, targets, input, None, None)?;
        let id = registrars::insert(
            tx,
            &RegistrarFields {
                name: input.name.trim(),
                module: &input.module,
                settings_sealed: &sealed_settings,
                rate_per_second: input.rate_per_second,
                enabled: input.enabled,
            },
            &stamp(now),
        )?;
        audit_registrar(tx, staff, "registrar.created", id, meta, now)?;
        registrars::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

/// Change a registrar; settings left out stay as they were.
#[allow(clippy::too_many_arguments)]
pub fn update(
    db: &Db,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    staff: &StaffPrincipal,
    id: i64,
    input: &RegistrarInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Registrar> {
    staff.require(Scope::ServersWrite)?;
    db.write(|tx| {
        let current = registrars::find(tx, id)?.ok_or(AppError::NotFound)?;
        // Settings of one module never carry over to another.
        let kept = (current.module == input.module).then_some(current.settings_sealed.as_slice());
        let sealed_settings = check(tx, keys, targets, input, Some(id), kept)?;
        registrars::update(
            tx,
            id,
            &RegistrarFields {
                name: input.name.trim(),
                module: &input.module,
                settings_sealed: &sealed_settings,
                rate_per_second: input.rate_per_second,
                enabled: input.enabled,
            },
            &stamp(now),
        )?;
        audit_registrar(tx, staff, "registrar.updated", id, meta, now)?;
        registrars::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

pub fn list(db: &Db, staff: &StaffPrincipal) -> Result<Vec<Registrar>> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| Ok(registrars::list(c)?))
}

/// Send a TLD's new domains to a registrar (`None`: manual).
pub fn map_tld(
    db: &Db,
    staff: &StaffPrincipal,
    tld: &str,
    registrar_id: Option<i64>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::ServersWrite)?;
    db.write(|tx| {
        let t = tlds::find(tx, tld)?.ok_or(AppError::NotFound)?;
        if let Some(r) = registrar_id
            && registrars::find(tx, r)?.is_none()
        {
            return Err(AppError::invalid("registrar_id", "no such registrar"));
        }
        registrars::map_tld(tx, t.id, registrar_id, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: staff.into(),
                action: "tld.registrar_mapped",
                subject: Some(("tld", t.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "registrar_id": registrar_id }),
            },
        )?;
        Ok(())
    })
}

/// The TLD → registrar mapping.
pub fn mapping(db: &Db, staff: &StaffPrincipal) -> Result<Vec<(String, Option<i64>)>> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| Ok(registrars::tld_mapping(c)?))
}
