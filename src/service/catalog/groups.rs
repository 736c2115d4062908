//! Product groups: checking, creating and updating them.

use jiff::Timestamp;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    store::catalog::{self, Group},
};

use crate::store::is_unique_violation as unique_violation;

use super::staff_audit::audit;
use super::validation::{add, fail, slugify, valid_slug};

// ---- groups ----

#[derive(Debug, Clone, Default)]
pub struct GroupInput {
    pub name: String,
    pub slug: Option<String>,
    pub description: String,
    pub sort_order: i64,
    pub visible: bool,
}

fn check_group(input: &GroupInput) -> Result<String> {
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
    fail(errors)?;
    Ok(slug)
}

pub fn create_group(
    db: &Db,
    staff: &StaffPrincipal,
    input: GroupInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Group> {
    staff.require(Scope::CatalogWrite)?;
    let slug = check_group(&input)?;
    db.write(|tx| {
        let fields = catalog::GroupFields {
            name: input.name.trim(),
            slug: &slug,
            description: input.description.trim(),
            sort_order: input.sort_order,
            visible: input.visible,
        };
        let id = catalog::insert_group(tx, &uuid::Uuid::new_v4().to_string(), &fields, &stamp(now))
            .map_err(|e| {
                if unique_violation(&e) {
                    AppError::invalid("slug", "is already used by another group")
                } else {
                    e.into()
                }
            })?;
        audit(
            tx,
            staff,
            "catalog.group_created",
            ("product_group", id),
            meta,
            now,
            serde_json::json!({ "name": input.name.trim(), "slug": slug }),
        )?;
        catalog::find_group(tx, &id.to_string())?.ok_or(AppError::NotFound)
    })
}

pub fn update_group(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    input: GroupInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Group> {
    staff.require(Scope::CatalogWrite)?;
    let slug = check_group(&input)?;
    db.write(|tx| {
        let group = catalog::find_group(tx, ident)?.ok_or(AppError::NotFound)?;
        let fields = catalog::GroupFields {
            name: input.name.trim(),
            slug: &slug,
            description: input.description.trim(),
            sort_order: input.sort_order,
            visible: input.visible,
        };
        catalog::update_group(tx, group.id, &fields, &stamp(now)).map_err(|e| {
            if unique_violation(&e) {
                AppError::invalid("slug", "is already used by another group")
            } else {
                e.into()
            }
        })?;
        audit(
            tx,
            staff,
            "catalog.group_updated",
            ("product_group", group.id),
            meta,
            now,
            serde_json::json!({ "name": input.name.trim(), "visible": input.visible }),
        )?;
        catalog::find_group(tx, &group.id.to_string())?.ok_or(AppError::NotFound)
    })
}
