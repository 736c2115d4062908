//! A domain whose expiry passed unrenewed is `expired`. The registry may
//! still renew it in its grace period (a paid renewal makes it active
//! again); its grace and redemption states are the sync's
//! `registry_statuses`.

use jiff::Timestamp;

use crate::{
    db::Db,
    domain::time::{stamp, today},
    error::Result,
    service::{
        audit::{self, Actor, Event},
        email::Branding,
    },
    store::{domain_renewals as store, domains},
};

use super::PER_BATCH;
use crate::service::domains::notices;

/// Expire every active domain whose expiry is before today; answers how many.
pub fn expire_lapsed(db: &Db, brand: &Branding, now: Timestamp) -> Result<u64> {
    let day = today(now).to_string();
    let mut expired = 0;
    loop {
        let n = db.write(|tx| {
            let mut n = 0;
            for id in store::lapsed(tx, &day, PER_BATCH)? {
                let Some(domain) = domains::find_by_id(tx, id)? else {
                    continue;
                };
                if !store::set_expired(tx, id, &stamp(now))? {
                    continue;
                }
                audit::record(
                    tx,
                    now,
                    Event {
                        actor: Actor::System,
                        action: "domain.expired",
                        subject: Some(("domain", id)),
                        client_id: Some(domain.client_id),
                        ip: None,
                        details: serde_json::json!({ "expiry_date": domain.expiry_date }),
                    },
                )?;
                notices::expired(tx, brand, &domain, now)?;
                n += 1;
            }
            Ok(n)
        })?;
        expired += n;
        if n < PER_BATCH as u64 {
            return Ok(expired);
        }
    }
}
