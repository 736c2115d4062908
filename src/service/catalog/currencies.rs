//! Currencies: listing them and saving one.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Event},
    store::currencies::{self, Currency},
};

use super::validation::{add, fail};

// ---- currencies ----

pub fn currencies(db: &Db) -> Result<Vec<Currency>> {
    db.read(|c| Ok(currencies::list(c)?))
}

/// Create or change a currency. Its decimals cannot change once prices use
/// it (every stored amount would change meaning).
pub fn save_currency(
    db: &Db,
    staff: &StaffPrincipal,
    input: Currency,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Currency> {
    staff.require(Scope::CatalogWrite)?;
    let mut c = input;
    c.code = c.code.trim().to_uppercase();
    let mut errors = FieldErrors::new();
    if c.code.len() != 3 || !c.code.bytes().all(|b| b.is_ascii_uppercase()) {
        add(
            &mut errors,
            "code",
            "must be a three-letter ISO 4217 code such as USD",
        );
    }
    if c.decimals > 4 {
        add(&mut errors, "decimals", "must be between 0 and 4");
    }
    if c.prefix.chars().count() > 8 || c.suffix.chars().count() > 8 {
        add(
            &mut errors,
            "prefix",
            "prefix and suffix are at most 8 characters",
        );
    }
    fail(errors)?;
    db.write(|tx| {
        if let Some(existing) = currencies::find(tx, &c.code)? {
            if existing.decimals != c.decimals && currencies::in_use(tx, &c.code)? {
                return Err(AppError::invalid("decimals", "cannot change while prices use this currency"));
            }
            if existing.is_default && !c.is_default {
                return Err(AppError::invalid("default", "make another currency the default instead"));
            }
        } else if currencies::default(tx)?.is_none() {
            // The first currency is the default.
            c.is_default = true;
        }
        currencies::upsert(tx, &c, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: (&Principal::Staff(staff.clone())).into(),
                action: "catalog.currency_saved",
                subject: None,
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "code": c.code, "decimals": c.decimals, "default": c.is_default }),
            },
        )?;
        Ok(c.clone())
    })
}
