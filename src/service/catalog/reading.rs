//! Reading the catalog: the public groups and products with their prices,
//! and staff's view of every product.

use rusqlite::Connection;

use crate::{
    auth::principal::StaffPrincipal,
    db::Db,
    domain::scopes::Scope,
    error::{AppError, Result},
    store::catalog::{self, Group, Price, Product},
};

use super::PRODUCT_STATUSES;

/// A product with its prices.
#[derive(Debug, Clone)]
pub struct PricedProduct {
    pub product: Product,
    pub prices: Vec<Price>,
}

pub(super) fn priced(conn: &Connection, products: Vec<Product>) -> Result<Vec<PricedProduct>> {
    products
        .into_iter()
        .map(|product| {
            let prices = catalog::prices(conn, product.id)?;
            Ok(PricedProduct { product, prices })
        })
        .collect()
}

/// Visible groups, for the store.
pub fn public_groups(db: &Db) -> Result<Vec<Group>> {
    db.read(|c| Ok(catalog::groups(c, false)?))
}

/// A visible group and its visible products; anything else is a 404.
pub fn public_group(db: &Db, ident: &str) -> Result<(Group, Vec<PricedProduct>)> {
    db.read(|c| {
        let group = catalog::find_group(c, ident)?
            .filter(|g| g.visible)
            .ok_or(AppError::NotFound)?;
        let products = priced(c, catalog::products(c, Some(group.id), &["visible"])?)?;
        Ok((group, products))
    })
}

/// A product that can be ordered (visible, or hidden but linked to);
/// retired products are a 404.
pub fn public_product(db: &Db, ident: &str) -> Result<PricedProduct> {
    db.read(|c| {
        let product = catalog::find_product(c, ident)?
            .filter(|p| p.status != "retired")
            .ok_or(AppError::NotFound)?;
        Ok(priced(c, vec![product])?.remove(0))
    })
}

/// Every visible product in visible groups, in store order.
pub fn public_products(db: &Db) -> Result<Vec<PricedProduct>> {
    db.read(|c| {
        let mut out = Vec::new();
        for group in catalog::groups(c, false)? {
            out.extend(priced(
                c,
                catalog::products(c, Some(group.id), &["visible"])?,
            )?);
        }
        Ok(out)
    })
}

/// Staff view: every product, whatever its status, optionally one status.
pub fn all_products(
    db: &Db,
    staff: &StaffPrincipal,
    status: Option<&str>,
) -> Result<Vec<PricedProduct>> {
    staff.require(Scope::CatalogRead)?;
    let statuses: Vec<&str> = match status {
        Some(s) if PRODUCT_STATUSES.contains(&s) => vec![s],
        Some(_) => {
            return Err(AppError::invalid(
                "status",
                "must be visible, hidden or retired",
            ));
        }
        None => PRODUCT_STATUSES.to_vec(),
    };
    db.read(|c| priced(c, catalog::products(c, None, &statuses)?))
}

pub fn staff_product(db: &Db, staff: &StaffPrincipal, ident: &str) -> Result<PricedProduct> {
    staff.require(Scope::CatalogRead)?;
    db.read(|c| {
        let product = catalog::find_product(c, ident)?.ok_or(AppError::NotFound)?;
        Ok(priced(c, vec![product])?.remove(0))
    })
}

/// A product as its page shows it: prices, options and addons.
#[derive(Debug, Clone)]
pub struct ProductDetail {
    pub product: PricedProduct,
    pub options: Vec<crate::service::catalog::config_options::OptionWithChoices>,
    pub addons: Vec<crate::service::catalog::addons::PricedAddon>,
}

/// An orderable product with its active options and visible addons.
pub fn public_product_detail(db: &Db, ident: &str) -> Result<ProductDetail> {
    db.read(|c| {
        let product = catalog::find_product(c, ident)?
            .filter(|p| p.status != "retired")
            .ok_or(AppError::NotFound)?;
        let options = crate::service::catalog::config_options::of_product(c, product.id, false)?;
        let addons = crate::service::catalog::addons::priced(
            c,
            crate::store::addons::of_product(c, product.id, &["visible"])?,
        )?;
        Ok(ProductDetail {
            product: priced(c, vec![product])?.remove(0),
            options,
            addons,
        })
    })
}
