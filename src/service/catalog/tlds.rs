//! Domain TLDs and their prices: register, renew and transfer per term of
//! 1 to 10 years, per currency (reference 000 `DomainTld`). Renew and
//! transfer may be left out where they are not offered.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        money_input::MoneyInput,
        registrant_fields::{FieldSpec, check_specs},
        scopes::Scope,
        time::stamp,
    },
    error::{AppError, FieldErrors, Result},
    service::catalog::{add, amount, audit, fail, unique_violation},
    store::{
        currencies,
        tlds::{self, Tld, TldPrice},
    },
};

/// One term's prices as given: exact amounts (`MoneyInput`) or minor units.
#[derive(Debug, Clone, Default)]
pub struct TldPriceInput {
    pub currency: String,
    pub years: i64,
    pub register: Option<MoneyInput>,
    pub register_minor: Option<i64>,
    pub renew: Option<MoneyInput>,
    pub renew_minor: Option<i64>,
    pub transfer: Option<MoneyInput>,
    pub transfer_minor: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct TldInput {
    /// `.com` or `com`.
    pub tld: String,
    pub requires_manual_check: bool,
    pub supports_id_protection: bool,
    pub status: String,
    pub sort_order: i64,
    /// The whole list: replaces every price.
    pub prices: Vec<TldPriceInput>,
    /// What its registry wants beyond the contact; `None` keeps the
    /// current list (a new TLD has none).
    pub registrant_fields: Option<Vec<FieldSpec>>,
}

#[derive(Debug, Clone)]
pub struct PricedTld {
    pub tld: Tld,
    pub prices: Vec<TldPrice>,
}

impl PricedTld {
    pub fn price_for(&self, currency: &str, years: i64) -> Option<&TldPrice> {
        self.prices
            .iter()
            .find(|p| p.currency == currency && p.years == years)
    }
}

fn priced(conn: &Connection, list: Vec<Tld>) -> Result<Vec<PricedTld>> {
    list.into_iter()
        .map(|tld| {
            Ok(PricedTld {
                prices: tlds::prices(conn, tld.id)?,
                tld,
            })
        })
        .collect()
}

/// The active TLD a domain name falls under: the longest that ends it
/// (`example.co.uk` is `.co.uk` when that is sold, else `.uk`).
pub(crate) fn for_domain(conn: &Connection, name: &str) -> Result<Option<PricedTld>> {
    let best = tlds::list(conn, false)?
        .into_iter()
        .filter(|t| name.len() > t.tld.len() && name.ends_with(&t.tld))
        .max_by_key(|t| t.tld.len());
    Ok(match best {
        Some(t) => Some(priced(conn, vec![t])?.remove(0)),
        None => None,
    })
}

/// A TLD (retired too: a domain held renews where it was sold) with its
/// prices, by its name (`.com`).
pub(crate) fn priced_by_name(conn: &Connection, tld: &str) -> Result<Option<PricedTld>> {
    Ok(match tlds::find(conn, tld)? {
        Some(t) => Some(priced(conn, vec![t])?.remove(0)),
        None => None,
    })
}

/// Active TLDs with their prices, for everyone.
pub fn public_list(db: &Db) -> Result<Vec<PricedTld>> {
    db.read(|c| priced(c, tlds::list(c, false)?))
}

/// Staff: every TLD, retired ones too.
pub fn all(db: &Db, staff: &StaffPrincipal) -> Result<Vec<PricedTld>> {
    staff.require(Scope::CatalogRead)?;
    db.read(|c| priced(c, tlds::list(c, true)?))
}

/// `com`, `.CO.UK` -> `.com`, `.co.uk`; `None` when it is not a TLD.
pub fn normalize(text: &str) -> Option<String> {
    let bare = text.trim().trim_start_matches('.').to_lowercase();
    let labels: Vec<&str> = bare.split('.').collect();
    let ok = !bare.is_empty()
        && labels.len() <= 3
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    ok.then(|| format!(".{bare}"))
}

fn check(conn: &Connection, input: &TldInput) -> Result<(String, Vec<TldPrice>)> {
    let mut errors = FieldErrors::new();
    let name = normalize(&input.tld);
    if name.is_none() {
        add(
            &mut errors,
            "tld",
            "must be a domain ending such as .com or .co.uk",
        );
    }
    if !["active", "retired"].contains(&input.status.as_str()) {
        add(&mut errors, "status", "must be active or retired");
    }
    let mut prices: Vec<TldPrice> = Vec::new();
    for (i, p) in input.prices.iter().enumerate() {
        let field = |f: &str| format!("prices.{i}.{f}");
        let code = p.currency.trim().to_uppercase();
        let currency = currencies::find(conn, &code)?;
        if currency.is_none() {
            add(&mut errors, &field("currency"), "no such currency");
        }
        if !(1..=10).contains(&p.years) {
            add(&mut errors, &field("years"), "must be between 1 and 10");
        }
        if p.register.is_none() && p.register_minor.is_none() {
            add(&mut errors, &field("register"), "is required");
        }
        let register = amount(
            &mut errors,
            &field("register"),
            &p.register,
            p.register_minor,
            currency.as_ref(),
        );
        let mut optional = |f: &str, text: &Option<MoneyInput>, minor: Option<i64>| {
            (text.is_some() || minor.is_some())
                .then(|| amount(&mut errors, &field(f), text, minor, currency.as_ref()))
        };
        let renew = optional("renew", &p.renew, p.renew_minor);
        let transfer = optional("transfer", &p.transfer, p.transfer_minor);
        if prices
            .iter()
            .any(|q| q.currency == code && q.years == p.years)
        {
            add(
                &mut errors,
                &field("years"),
                "is listed twice for this currency",
            );
        }
        prices.push(TldPrice {
            currency: code,
            years: p.years,
            register,
            renew,
            transfer,
        });
    }
    for (field, message) in check_specs(input.registrant_fields.as_deref().unwrap_or_default()) {
        add(&mut errors, &field, &message);
    }
    fail(errors)?;
    Ok((name.unwrap_or_default(), prices))
}

fn save(
    conn: &Connection,
    existing: Option<&Tld>,
    input: &TldInput,
    now: Timestamp,
) -> Result<i64> {
    let (name, prices) = check(conn, input)?;
    let specs = match (&input.registrant_fields, existing) {
        (Some(given), _) => given.clone(),
        (None, Some(t)) => t.registrant_fields.clone(),
        (None, None) => Vec::new(),
    };
    let specs = serde_json::to_string(&specs).map_err(AppError::internal)?;
    let fields = tlds::TldFields {
        registrant_fields: &specs,
        tld: &name,
        requires_manual_check: input.requires_manual_check,
        supports_id_protection: input.supports_id_protection,
        status: &input.status,
        sort_order: input.sort_order,
    };
    let taken = |e: rusqlite::Error| {
        if unique_violation(&e) {
            AppError::invalid("tld", "is already in the catalog")
        } else {
            e.into()
        }
    };
    let id = match existing {
        Some(t) => {
            tlds::update(conn, t.id, &fields, &stamp(now)).map_err(taken)?;
            t.id
        }
        None => tlds::insert(conn, &fields, &stamp(now)).map_err(taken)?,
    };
    tlds::set_prices(conn, id, &prices)?;
    Ok(id)
}

fn reload(conn: &Connection, id: i64) -> Result<PricedTld> {
    let t = tlds::find(conn, &id.to_string())?.ok_or(AppError::NotFound)?;
    Ok(priced(conn, vec![t])?.remove(0))
}

pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    input: TldInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PricedTld> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let id = save(tx, None, &input, now)?;
        let t = reload(tx, id)?;
        audit(
            tx,
            staff,
            "catalog.tld_created",
            ("tld", id),
            meta,
            now,
            serde_json::json!({ "tld": t.tld.tld }),
        )?;
        Ok(t)
    })
}

pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    input: TldInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PricedTld> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let existing = tlds::find(tx, ident)?.ok_or(AppError::NotFound)?;
        save(tx, Some(&existing), &input, now)?;
        let t = reload(tx, existing.id)?;
        audit(
            tx,
            staff,
            "catalog.tld_updated",
            ("tld", existing.id),
            meta,
            now,
            serde_json::json!({ "tld": t.tld.tld, "status": t.tld.status }),
        )?;
        Ok(t)
    })
}

/// Retire a TLD: it can no longer be ordered.
pub fn retire(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let t = tlds::find(tx, ident)?.ok_or(AppError::NotFound)?;
        tlds::set_status(tx, t.id, "retired", &stamp(now))?;
        audit(
            tx,
            staff,
            "catalog.tld_retired",
            ("tld", t.id),
            meta,
            now,
            serde_json::json!({ "tld": t.tld }),
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlds_are_normalized() {
        assert_eq!(normalize("COM").as_deref(), Some(".com"));
        assert_eq!(normalize(".co.uk").as_deref(), Some(".co.uk"));
        for bad in ["", ".", "-a", "a..b", "a b", "a.b.c.d"] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }
}
