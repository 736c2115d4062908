//! A product as staff send it, and checking its fields.

use rusqlite::Connection;

use crate::{
    error::{AppError, FieldErrors, Result},
    store::catalog::{self, Group, Price},
};

use super::price_checks::{PriceInput, check_prices};
use super::validation::{add, fail, slugify, valid_slug};
use super::{PRODUCT_KINDS, PRODUCT_STATUSES};

#[derive(Debug, Clone, Default)]
pub struct ProductInput {
    pub group: String,
    pub kind: String,
    pub name: String,
    pub slug: Option<String>,
    pub description: String,
    pub status: String,
    pub stock: Option<i64>,
    pub requires_domain: bool,
    pub module: String,
    pub module_settings: serde_json::Value,
    pub sort_order: i64,
    pub prices: Vec<PriceInput>,
}

pub(super) fn check_product(
    conn: &Connection,
    input: &ProductInput,
) -> Result<(Group, String, Vec<Price>)> {
    let mut errors = FieldErrors::new();
    let group = catalog::find_group(conn, input.group.trim())?;
    if group.is_none() {
        add(&mut errors, "group", "no such product group");
    }
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
    if !PRODUCT_KINDS.contains(&input.kind.as_str()) {
        add(
            &mut errors,
            "kind",
            format!("must be one of {}", PRODUCT_KINDS.join(", ")),
        );
    }
    if !PRODUCT_STATUSES.contains(&input.status.as_str()) {
        add(&mut errors, "status", "must be visible, hidden or retired");
    }
    if input.stock.is_some_and(|s| s < 0) {
        add(
            &mut errors,
            "stock",
            "must not be negative (leave it out for unlimited)",
        );
    }
    if !crate::integrations::provisioning::MODULES.contains(&input.module.as_str()) {
        add(
            &mut errors,
            "module",
            format!(
                "must be one of {}",
                crate::integrations::provisioning::MODULES.join(", ")
            ),
        );
    }
    if !input.module_settings.is_object() {
        add(&mut errors, "module_settings", "must be an object");
    }
    let prices = check_prices(conn, &mut errors, "prices", &input.prices)?;
    fail(errors)?;
    Ok((group.ok_or(AppError::NotFound)?, slug, prices))
}
