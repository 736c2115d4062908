//! The catalog: currencies, product groups, products and their prices.
//! Staff change it (scope `catalog:write`); everyone may read what is
//! visible. Amounts arrive as exact decimal strings or minor units, never
//! as floats, and are stored as minor units.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{cycle::BillingCycle, money::parse_decimal, scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Event},
    store::{
        catalog::{self, Group, Price, Product},
        currencies::{self, Currency},
    },
};

pub const PRODUCT_KINDS: [&str; 5] = ["hosting", "vps", "dedicated", "ssl", "other"];
pub const PRODUCT_STATUSES: [&str; 3] = ["visible", "hidden", "retired"];

pub(crate) fn fail(errors: FieldErrors) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub(crate) fn add(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(message.into());
}

/// `Web Hosting!` -> `web-hosting`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

pub(crate) fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && slug.parse::<i64>().is_err()
        // Taken by `/products/pricing`.
        && slug != "pricing"
}

pub(crate) fn audit(
    conn: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    subject: (&str, i64),
    meta: &RequestMeta,
    now: Timestamp,
    details: serde_json::Value,
) -> Result<()> {
    audit::record(
        conn,
        now,
        Event {
            actor: (&Principal::Staff(staff.clone())).into(),
            action,
            subject: Some(subject),
            client_id: None,
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}

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

pub(crate) use crate::store::is_unique_violation as unique_violation;

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

/// A product with its prices.
#[derive(Debug, Clone)]
pub struct PricedProduct {
    pub product: Product,
    pub prices: Vec<Price>,
}

fn priced(conn: &Connection, products: Vec<Product>) -> Result<Vec<PricedProduct>> {
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

/// One price as given: an exact decimal string or minor units.
#[derive(Debug, Clone, Default)]
pub struct PriceInput {
    pub currency: String,
    pub cycle: String,
    pub price: Option<String>,
    pub price_minor: Option<i64>,
    pub setup_fee: Option<String>,
    pub setup_fee_minor: Option<i64>,
}

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

pub(crate) fn amount(
    errors: &mut FieldErrors,
    field: &str,
    text: &Option<String>,
    minor: Option<i64>,
    currency: Option<&Currency>,
) -> i64 {
    let value = match (text, minor, currency) {
        (Some(_), Some(_), _) => {
            add(
                errors,
                field,
                "give the amount as a string or in minor units, not both",
            );
            return 0;
        }
        (None, Some(m), _) => m,
        (Some(t), None, Some(c)) => match parse_decimal(t, c.decimals) {
            Ok(v) => v,
            Err(e) => {
                add(errors, field, e);
                return 0;
            }
        },
        (Some(_), None, None) => return 0,
        (None, None, _) => 0,
    };
    if value < 0 {
        add(errors, field, "must not be negative");
    }
    value
}

/// Check prices given per currency and cycle (`{prefix}.{i}.{field}` names
/// the problems) and convert them to minor units.
pub(crate) fn check_prices(
    conn: &Connection,
    errors: &mut FieldErrors,
    prefix: &str,
    input: &[PriceInput],
) -> Result<Vec<Price>> {
    let mut prices: Vec<Price> = Vec::new();
    for (i, p) in input.iter().enumerate() {
        let field = |f: &str| format!("{prefix}.{i}.{f}");
        let code = p.currency.trim().to_uppercase();
        let currency = currencies::find(conn, &code)?;
        if currency.is_none() {
            add(errors, &field("currency"), "no such currency");
        }
        if p.cycle.parse::<BillingCycle>().is_err() {
            add(
                errors,
                &field("cycle"),
                "must be onetime, monthly, quarterly, semiannually, annually, biennially or triennially",
            );
        }
        let price = amount(
            errors,
            &field("price"),
            &p.price,
            p.price_minor,
            currency.as_ref(),
        );
        let setup_fee = amount(
            errors,
            &field("setup_fee"),
            &p.setup_fee,
            p.setup_fee_minor,
            currency.as_ref(),
        );
        if p.price.is_none() && p.price_minor.is_none() {
            add(errors, &field("price"), "is required");
        }
        if prices
            .iter()
            .any(|q| q.currency == code && q.cycle == p.cycle)
        {
            add(errors, &field("cycle"), "is listed twice for this currency");
        }
        prices.push(Price {
            currency: code,
            cycle: p.cycle.clone(),
            price,
            setup_fee,
        });
    }
    Ok(prices)
}

fn check_product(conn: &Connection, input: &ProductInput) -> Result<(Group, String, Vec<Price>)> {
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

/// A product as its page shows it: prices, options and addons.
#[derive(Debug, Clone)]
pub struct ProductDetail {
    pub product: PricedProduct,
    pub options: Vec<crate::service::config_options::OptionWithChoices>,
    pub addons: Vec<crate::service::addons::PricedAddon>,
}

/// An orderable product with its active options and visible addons.
pub fn public_product_detail(db: &Db, ident: &str) -> Result<ProductDetail> {
    db.read(|c| {
        let product = catalog::find_product(c, ident)?
            .filter(|p| p.status != "retired")
            .ok_or(AppError::NotFound)?;
        let options = crate::service::config_options::of_product(c, product.id, false)?;
        let addons = crate::service::addons::priced(
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
