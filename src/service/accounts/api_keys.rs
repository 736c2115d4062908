//! Staff API keys: `till_<prefix>_<secret>`, shown once, stored as SHA-256,
//! looked up by prefix and compared in constant time. A key's scopes never
//! exceed what its owner's role allows.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::{
        principal::{RequestMeta, StaffPrincipal},
        random, secrets,
    },
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, Result},
    service::audit::{self, Actor, Event},
    store::{api_keys, staff},
};

pub const KEY_PREFIX: &str = "till_";

/// Parse a presented key into (prefix, whole key).
fn split(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(KEY_PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    (prefix.len() == 12 && !secret.is_empty()).then_some(prefix)
}

pub fn looks_like_api_key(token: &str) -> bool {
    token.starts_with(KEY_PREFIX)
}

pub fn parse_scopes(names: &[String]) -> Result<BTreeSet<Scope>> {
    let mut out = BTreeSet::new();
    for n in names {
        out.insert(Scope::parse(n.trim()).ok_or_else(|| {
            AppError::invalid(
                "scopes",
                format!(
                    "unknown scope `{n}`; known: {}",
                    Scope::ALL
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?);
    }
    if out.is_empty() {
        return Err(AppError::invalid("scopes", "give at least one scope"));
    }
    Ok(out)
}

fn scopes_json(scopes: &BTreeSet<Scope>) -> String {
    serde_json::to_string(&scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

pub fn scopes_of(key: &api_keys::ApiKey) -> BTreeSet<Scope> {
    serde_json::from_str::<Vec<String>>(&key.scopes)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Scope::parse(s))
        .collect()
}

/// A key just made: the secret is in `key`, shown this once.
pub struct CreatedKey {
    pub key: String,
    pub row: api_keys::ApiKey,
}

pub struct NewKey {
    pub name: String,
    pub scopes: BTreeSet<Scope>,
    pub expires_in_days: Option<i64>,
}

/// Create a key for `owner_staff_id`. `actor` is who asked (an admin
/// through the API, or the system for the CLI).
pub fn create(
    db: &Db,
    actor: Actor,
    owner_staff_id: i64,
    input: NewKey,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<CreatedKey> {
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "is required (at most 100 characters)",
        ));
    }
    let expires_at = match input.expires_in_days {
        Some(d) if !(1..=3650).contains(&d) => {
            return Err(AppError::invalid(
                "expires_in_days",
                "must be between 1 and 3650",
            ));
        }
        Some(d) => Some(stamp(
            now.checked_add(SignedDuration::from_hours(24 * d))
                .unwrap_or(now),
        )),
        None => None,
    };
    let prefix = hex::encode(random::bytes::<6>());
    let key = format!("{KEY_PREFIX}{prefix}_{}", secrets::new_secret(""));
    db.write(|tx| {
        let owner = staff::find(tx, owner_staff_id)?.ok_or(AppError::NotFound)?;
        if let Some(bad) = input.scopes.iter().find(|s| !s.allowed_for(owner.role)) {
            return Err(AppError::invalid(
                "scopes",
                format!("a {} cannot hold `{bad}`", owner.role),
            ));
        }
        let id = api_keys::insert(
            tx,
            &api_keys::NewApiKey {
                uuid: &uuid::Uuid::new_v4().to_string(),
                staff_id: owner.id,
                name: &name,
                prefix: &prefix,
                secret_hash: &secrets::hash(&key),
                scopes: &scopes_json(&input.scopes),
                expires_at: expires_at.as_deref(),
                now: &stamp(now),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "api_key.created",
                subject: Some(("api_key", id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "name": name, "prefix": prefix, "staff_id": owner.id }),
            },
        )?;
        let row = api_keys::find(tx, id)?.ok_or(AppError::NotFound)?;
        Ok(CreatedKey { key: key.clone(), row })
    })
}

/// Resolve a presented key to its staff principal.
pub fn authenticate(
    db: &Db,
    presented: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<StaffPrincipal> {
    let prefix = split(presented).ok_or(AppError::Unauthenticated)?;
    let (key, owner) = db.read(|c| {
        let key = api_keys::find_by_prefix(c, prefix)?.ok_or(AppError::Unauthenticated)?;
        let owner = staff::find(c, key.staff_id)?.ok_or(AppError::Unauthenticated)?;
        Ok((key, owner))
    })?;
    let now_s = stamp(now);
    let live = key.revoked_at.is_none()
        && key.expires_at.as_deref().is_none_or(|e| now_s.as_str() < e)
        && owner.disabled_at.is_none();
    if !secrets::equal(&secrets::hash(presented), &key.secret_hash) || !live {
        return Err(AppError::Unauthenticated);
    }
    let stale = key
        .last_used_at
        .as_deref()
        .and_then(|t| t.parse::<Timestamp>().ok())
        .is_none_or(|t| now.duration_since(t) >= SignedDuration::from_secs(60));
    if stale {
        db.write(|tx| Ok(api_keys::touch(tx, key.id, &now_s, meta.ip.as_deref())?))?;
    }
    Ok(StaffPrincipal {
        staff_id: owner.id,
        role: owner.role,
        api_key_id: Some(key.id),
        scopes: Some(scopes_of(&key)),
    })
}

/// Keys visible to `who`: admins see all, others their own.
pub fn list(db: &Db, who: &StaffPrincipal) -> Result<Vec<api_keys::ApiKey>> {
    let scope = (who.role != crate::domain::staff::StaffRole::Admin).then_some(who.staff_id);
    db.read(|c| Ok(api_keys::list_active(c, scope)?))
}

/// Revoke a key; `by_staff` limits it to that staff member's keys (`None`:
/// any key, for admins and the CLI).
pub fn revoke(
    db: &Db,
    actor: Actor,
    by_staff: Option<i64>,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        let key = api_keys::find(tx, id)?
            .filter(|k| k.revoked_at.is_none() && by_staff.is_none_or(|s| s == k.staff_id))
            .ok_or(AppError::NotFound)?;
        api_keys::revoke(tx, key.id, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "api_key.revoked",
                subject: Some(("api_key", key.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "name": key.name, "prefix": key.prefix }),
            },
        )?;
        Ok(())
    })
}
