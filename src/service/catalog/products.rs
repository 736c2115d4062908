//! Saving products: create, update and retire.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, Result},
    store::catalog::{self, Product},
};

use crate::store::is_unique_violation as unique_violation;

use super::product_checks::{ProductInput, check_product};
use super::reading::{PricedProduct, priced};
use super::staff_audit::audit;

fn save_product(
    conn: &Connection,
    existing: Option<&Product>,
    input: &ProductInput,
    now: Timestamp,
) -> Result<i64> {
    let (group, slug, prices) = check_product(conn, input)?;
    let settings = input.module_settings.to_string();
    let fields = catalog::ProductFields {
        group_id: group.id,
        kind: &input.kind,
        name: input.name.trim(),
        slug: &slug,
        description: input.description.trim(),
        status: &input.status,
        stock: input.stock,
        requires_domain: input.requires_domain,
        module: &input.module,
        module_settings: &settings,
        sort_order: input.sort_order,
    };
    let slug_taken = |e: rusqlite::Error| {
        if unique_violation(&e) {
            AppError::invalid("slug", "is already used by another product")
        } else {
            e.into()
        }
    };
    let id = match existing {
        Some(p) => {
            catalog::update_product(conn, p.id, &fields, &stamp(now)).map_err(slug_taken)?;
            p.id
        }
        None => catalog::insert_product(
            conn,
            &uuid::Uuid::new_v4().to_string(),
            &fields,
            &stamp(now),
        )
        .map_err(slug_taken)?,
    };
    catalog::set_prices(conn, id, &prices)?;
    Ok(id)
}

pub fn create_product(
    db: &Db,
    staff: &StaffPrincipal,
    input: ProductInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PricedProduct> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let id = save_product(tx, None, &input, now)?;
        audit(
            tx,
            staff,
            "catalog.product_created",
            ("product", id),
            meta,
            now,
            serde_json::json!({ "name": input.name.trim() }),
        )?;
        let product = catalog::find_product(tx, &id.to_string())?.ok_or(AppError::NotFound)?;
        Ok(priced(tx, vec![product])?.remove(0))
    })
}

pub fn update_product(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    input: ProductInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PricedProduct> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let existing = catalog::find_product(tx, ident)?.ok_or(AppError::NotFound)?;
        save_product(tx, Some(&existing), &input, now)?;
        audit(
            tx,
            staff,
            "catalog.product_updated",
            ("product", existing.id),
            meta,
            now,
            serde_json::json!({ "name": input.name.trim(), "status": input.status }),
        )?;
        let product =
            catalog::find_product(tx, &existing.id.to_string())?.ok_or(AppError::NotFound)?;
        Ok(priced(tx, vec![product])?.remove(0))
    })
}

/// Retire a product: it can no longer be ordered; existing services keep it.
pub fn retire_product(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let p = catalog::find_product(tx, ident)?.ok_or(AppError::NotFound)?;
        catalog::set_status(tx, p.id, "retired", &stamp(now))?;
        audit(
            tx,
            staff,
            "catalog.product_retired",
            ("product", p.id),
            meta,
            now,
            serde_json::json!({ "name": p.name }),
        )?;
        Ok(())
    })
}
