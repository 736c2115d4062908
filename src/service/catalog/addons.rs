//! Addons: extras sold with the products they are attached to, with their
//! own prices per currency and cycle (an addon is billed on its service's
//! cycle, or once when it has a `onetime` price). Staff change them
//! (`catalog:write`); everyone may read the visible ones of a product.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::catalog::{
        PriceInput, add, audit, check_prices, fail, slugify, unique_violation, valid_slug,
    },
    store::{
        addons::{self, Addon},
        catalog::{self, Price},
    },
};

pub const ADDON_STATUSES: [&str; 3] = ["visible", "hidden", "retired"];

#[derive(Debug, Clone, Default)]
pub struct AddonInput {
    pub name: String,
    pub slug: Option<String>,
    pub description: String,
    pub status: String,
    pub sort_order: i64,
    pub prices: Vec<PriceInput>,
    /// The products (id, uuid or slug) it is sold with; replaces the list.
    pub products: Vec<String>,
}

/// An addon with its prices and the products it is attached to.
#[derive(Debug, Clone)]
pub struct PricedAddon {
    pub addon: Addon,
    pub prices: Vec<Price>,
    pub products: Vec<i64>,
}

impl PricedAddon {
    /// The price for a service of `cycle` in `currency`: the cycle's own, or
    /// a one-time price; an addon without any price is free.
    pub fn price_for(&self, currency: &str, cycle: &str) -> Option<Price> {
        if self.prices.is_empty() {
            return Some(Price {
                currency: currency.to_string(),
                cycle: cycle.to_string(),
                price: 0,
                setup_fee: 0,
            });
        }
        let find = |c: &str| {
            self.prices
                .iter()
                .find(|p| p.currency == currency && p.cycle == c)
                .cloned()
        };
        find(cycle).or_else(|| find("onetime"))
    }
}

pub(crate) fn priced(conn: &Connection, list: Vec<Addon>) -> Result<Vec<PricedAddon>> {
    list.into_iter()
        .map(|addon| {
            Ok(PricedAddon {
                prices: addons::prices(conn, addon.id)?,
                products: addons::products_of(conn, addon.id)?,
                addon,
            })
        })
        .collect()
}

/// The addons a customer may order with a product (visible and hidden).
pub(crate) fn orderable_with(conn: &Connection, product_id: i64) -> Result<Vec<PricedAddon>> {
    priced(
        conn,
        addons::of_product(conn, product_id, &["visible", "hidden"])?,
    )
}

/// The visible addons of an orderable product (reference 003
/// `/store/products/{id}/addons`); a retired or unknown product is a 404.
pub fn public_of_product(db: &Db, product: &str) -> Result<Vec<PricedAddon>> {
    db.read(|c| {
        let p = catalog::find_product(c, product)?
            .filter(|p| p.status != "retired")
            .ok_or(AppError::NotFound)?;
        priced(c, addons::of_product(c, p.id, &["visible"])?)
    })
}

/// Staff: every addon, or those of one status.
pub fn all(db: &Db, staff: &StaffPrincipal, status: Option<&str>) -> Result<Vec<PricedAddon>> {
    staff.require(Scope::CatalogRead)?;
    let statuses: Vec<&str> = match status {
        Some(s) if ADDON_STATUSES.contains(&s) => vec![s],
        Some(_) => {
            return Err(AppError::invalid(
                "status",
                "must be visible, hidden or retired",
            ));
        }
        None => ADDON_STATUSES.to_vec(),
    };
    db.read(|c| priced(c, addons::list(c, &statuses)?))
}

pub fn get(db: &Db, staff: &StaffPrincipal, ident: &str) -> Result<PricedAddon> {
    staff.require(Scope::CatalogRead)?;
    db.read(|c| {
        let a = addons::find(c, ident)?.ok_or(AppError::NotFound)?;
        Ok(priced(c, vec![a])?.remove(0))
    })
}

fn check(conn: &Connection, input: &AddonInput) -> Result<(String, Vec<Price>, Vec<i64>)> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        add(&mut errors, "name", "is required (at most 120 characters)");
    }
    let slug = input
        .slug
        .clone()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| slugify(name));
    if !valid_slug(&slug) {
        add(
            &mut errors,
            "slug",
            "must be lower-case letters, digits and dashes, and not a number",
        );
    }
    if !ADDON_STATUSES.contains(&input.status.as_str()) {
        add(&mut errors, "status", "must be visible, hidden or retired");
    }
    let prices = check_prices(conn, &mut errors, "prices", &input.prices)?;
    let mut products = Vec::new();
    for (i, ident) in input.products.iter().enumerate() {
        match catalog::find_product(conn, ident.trim())? {
            Some(p) => products.push(p.id),
            None => add(&mut errors, &format!("products.{i}"), "no such product"),
        }
    }
    fail(errors)?;
    Ok((slug, prices, products))
}

fn save(
    conn: &Connection,
    existing: Option<&Addon>,
    input: &AddonInput,
    now: Timestamp,
) -> Result<i64> {
    let (slug, prices, products) = check(conn, input)?;
    let fields = addons::AddonFields {
        name: input.name.trim(),
        slug: &slug,
        description: input.description.trim(),
        status: &input.status,
        sort_order: input.sort_order,
    };
    let slug_taken = |e: rusqlite::Error| {
        if unique_violation(&e) {
            AppError::invalid("slug", "is already used by another addon")
        } else {
            e.into()
        }
    };
    let id = match existing {
        Some(a) => {
            addons::update(conn, a.id, &fields, &stamp(now)).map_err(slug_taken)?;
            a.id
        }
        None => addons::insert(
            conn,
            &uuid::Uuid::new_v4().to_string(),
            &fields,
            &stamp(now),
        )
        .map_err(slug_taken)?,
    };
    addons::set_prices(conn, id, &prices)?;
    addons::set_products(conn, id, &products)?;
    Ok(id)
}

fn reload(conn: &Connection, id: i64) -> Result<PricedAddon> {
    let a = addons::find(conn, &id.to_string())?.ok_or(AppError::NotFound)?;
    Ok(priced(conn, vec![a])?.remove(0))
}

pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    input: AddonInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PricedAddon> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let id = save(tx, None, &input, now)?;
        audit(
            tx,
            staff,
            "catalog.addon_created",
            ("addon", id),
            meta,
            now,
            serde_json::json!({ "name": input.name.trim() }),
        )?;
        reload(tx, id)
    })
}

pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    input: AddonInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PricedAddon> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let existing = addons::find(tx, ident)?.ok_or(AppError::NotFound)?;
        save(tx, Some(&existing), &input, now)?;
        audit(
            tx,
            staff,
            "catalog.addon_updated",
            ("addon", existing.id),
            meta,
            now,
            serde_json::json!({ "name": input.name.trim(), "status": input.status }),
        )?;
        reload(tx, existing.id)
    })
}

/// Retire an addon: it can no longer be ordered; services keep theirs.
pub fn retire(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let a = addons::find(tx, ident)?.ok_or(AppError::NotFound)?;
        addons::set_status(tx, a.id, "retired", &stamp(now))?;
        audit(
            tx,
            staff,
            "catalog.addon_retired",
            ("addon", a.id),
            meta,
            now,
            serde_json::json!({ "name": a.name }),
        )?;
        Ok(())
    })
}
