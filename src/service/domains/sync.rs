//! The daily sync: what each registrar says of the domains it holds
//! (expiry, nameservers, lock, statuses), asked a batch at a time, least
//! recently synced first, so a large book is spread over days and runs,
//! never asked all at once. The job paces the calls (`jobs::domain_sync`).

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::keys::AuthKeys,
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    integrations::registrars::{DomainInfo, RegistrarConfig, RegistrarError},
    service::email::Branding,
    store::{domains, registrars},
};

use super::{registrar_outcomes, registrars::config_of};

/// How old a sync may be before the domain is asked again.
pub const EVERY: SignedDuration = SignedDuration::from_hours(24);

/// One registrar's share of a run: its settings, its pace, its names.
pub struct SyncBatch {
    pub registrar_id: i64,
    pub config: RegistrarConfig,
    pub rate_per_second: u32,
    pub domains: Vec<(i64, String)>,
}

/// The domains due for a sync at `now`, at most `limit`, by registrar.
pub fn due(db: &Db, keys: &AuthKeys, now: Timestamp, limit: i64) -> Result<Vec<SyncBatch>> {
    let before = stamp(now.checked_sub(EVERY).unwrap_or(now));
    db.read(|c| {
        let mut batches: Vec<SyncBatch> = Vec::new();
        for d in domains::due_for_sync(c, &before, limit)? {
            let Some(rid) = d.registrar_id else { continue };
            if let Some(b) = batches.iter_mut().find(|b| b.registrar_id == rid) {
                b.domains.push((d.id, d.name));
                continue;
            }
            let Some(r) = registrars::find(c, rid)?.filter(|r| r.enabled) else {
                continue;
            };
            batches.push(SyncBatch {
                registrar_id: rid,
                config: config_of(keys, &r)?,
                rate_per_second: u32::try_from(r.rate_per_second).unwrap_or(1).max(1),
                domains: vec![(d.id, d.name)],
            });
        }
        Ok(batches)
    })
}

/// Record one answer: the registry's state, or (on failure) only the time
/// it was asked, so a registrar that is down does not hold up the others.
pub fn record(
    db: &Db,
    brand: &Branding,
    domain_id: i64,
    answer: std::result::Result<DomainInfo, RegistrarError>,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        let domain = domains::find_by_id(tx, domain_id)?.ok_or(AppError::NotFound)?;
        match answer {
            Ok(info) => registrar_outcomes::synced(tx, brand, &domain, &info, now)?,
            Err(e) => {
                tracing::warn!(domain = domain.id, error = %e, "domain sync failed");
                domains::touch_synced(tx, domain.id, &stamp(now))?;
            }
        }
        Ok(())
    })
}
