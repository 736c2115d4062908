//! Configurable options of a product (WHMCS's "configurable options"): a
//! dropdown or radio choice, a quantity (one choice, priced per unit) or a
//! yes/no (one choice, charged when ticked). Each choice's price and setup
//! fee are per currency and cycle and follow the product's cycle; a choice
//! without any price is free.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::catalog::{PriceInput, add, audit, check_prices, fail},
    store::{
        catalog::{self, Price},
        config_options::{self as store, Choice, ConfigOption},
    },
};

pub const OPTION_KINDS: [&str; 4] = ["dropdown", "radio", "quantity", "yesno"];
pub const OPTION_STATUSES: [&str; 2] = ["active", "retired"];
/// The most units of a quantity option without a maximum of its own.
pub const QUANTITY_CAP: i64 = 100_000;

#[derive(Debug, Clone, Default)]
pub struct ChoiceInput {
    /// An existing choice to change; none for a new one.
    pub id: Option<i64>,
    pub name: String,
    pub sort_order: i64,
    pub prices: Vec<PriceInput>,
}

#[derive(Debug, Clone, Default)]
pub struct OptionInput {
    pub name: String,
    pub kind: String,
    pub required: bool,
    pub min_quantity: Option<i64>,
    pub max_quantity: Option<i64>,
    pub sort_order: i64,
    pub status: String,
    /// The whole list: choices left out are retired.
    pub choices: Vec<ChoiceInput>,
}

#[derive(Debug, Clone)]
pub struct PricedChoice {
    pub choice: Choice,
    pub prices: Vec<Price>,
}

impl PricedChoice {
    /// The choice's price in a currency and cycle; a choice without any
    /// price is free; `None` when it is priced, but not for this.
    pub fn price_for(&self, currency: &str, cycle: &str) -> Option<(i64, i64)> {
        if self.prices.is_empty() {
            return Some((0, 0));
        }
        self.prices
            .iter()
            .find(|p| p.currency == currency && p.cycle == cycle)
            .map(|p| (p.price, p.setup_fee))
    }
}

#[derive(Debug, Clone)]
pub struct OptionWithChoices {
    pub option: ConfigOption,
    pub choices: Vec<PricedChoice>,
}

/// A product's options with their (active) choices; retired ones too if `all`.
pub(crate) fn of_product(
    conn: &Connection,
    product_id: i64,
    all: bool,
) -> Result<Vec<OptionWithChoices>> {
    store::of_product(conn, product_id, all)?
        .into_iter()
        .map(|option| with_choices(conn, option, all))
        .collect()
}

fn with_choices(conn: &Connection, option: ConfigOption, all: bool) -> Result<OptionWithChoices> {
    let choices = store::choices(conn, option.id, all)?
        .into_iter()
        .map(|choice| {
            Ok(PricedChoice {
                prices: store::choice_prices(conn, choice.id)?,
                choice,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(OptionWithChoices { option, choices })
}

/// Staff: a product's options, retired ones included.
pub fn of_product_staff(
    db: &Db,
    staff: &StaffPrincipal,
    product: &str,
) -> Result<Vec<OptionWithChoices>> {
    staff.require(Scope::CatalogRead)?;
    db.read(|c| {
        let p = catalog::find_product(c, product)?.ok_or(AppError::NotFound)?;
        of_product(c, p.id, true)
    })
}

struct Checked {
    min: i64,
    max: Option<i64>,
    choices: Vec<(Option<i64>, String, i64, Vec<Price>)>,
}

fn check(
    conn: &Connection,
    existing: Option<&ConfigOption>,
    input: &OptionInput,
) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        add(&mut errors, "name", "is required (at most 120 characters)");
    }
    let kind = input.kind.as_str();
    if !OPTION_KINDS.contains(&kind) {
        add(
            &mut errors,
            "kind",
            "must be dropdown, radio, quantity or yesno",
        );
    } else if existing.is_some_and(|o| o.kind != kind) {
        add(
            &mut errors,
            "kind",
            "cannot change; retire this option and make another",
        );
    }
    if !OPTION_STATUSES.contains(&input.status.as_str()) {
        add(&mut errors, "status", "must be active or retired");
    }
    let (min, max) = if kind == "quantity" {
        let min = input.min_quantity.unwrap_or(0);
        if !(0..=QUANTITY_CAP).contains(&min) {
            add(
                &mut errors,
                "min_quantity",
                format!("must be between 0 and {QUANTITY_CAP}"),
            );
        }
        if input
            .max_quantity
            .is_some_and(|m| m < min.max(1) || m > QUANTITY_CAP)
        {
            add(
                &mut errors,
                "max_quantity",
                format!("must be at least 1, not below min_quantity, and at most {QUANTITY_CAP}"),
            );
        }
        (min, input.max_quantity)
    } else {
        (0, None)
    };
    let n = input.choices.len();
    match kind {
        "quantity" | "yesno" if n != 1 => add(
            &mut errors,
            "choices",
            "a quantity or yes/no option has exactly one choice (its price is per unit, or when ticked)",
        ),
        "dropdown" | "radio" if n == 0 || n > 100 => {
            add(&mut errors, "choices", "give between 1 and 100 choices")
        }
        _ => {}
    }
    let known: Vec<i64> = match existing {
        Some(o) => store::choices(conn, o.id, true)?
            .iter()
            .map(|c| c.id)
            .collect(),
        None => Vec::new(),
    };
    let mut choices = Vec::new();
    for (i, c) in input.choices.iter().enumerate() {
        let cname = c.name.trim();
        if cname.is_empty() || cname.chars().count() > 120 {
            add(
                &mut errors,
                &format!("choices.{i}.name"),
                "is required (at most 120 characters)",
            );
        }
        if let Some(id) = c.id
            && !known.contains(&id)
        {
            add(
                &mut errors,
                &format!("choices.{i}.id"),
                "is not a choice of this option",
            );
        }
        if c.id.is_some() && input.choices[..i].iter().any(|d| d.id == c.id) {
            add(&mut errors, &format!("choices.{i}.id"), "is listed twice");
        }
        let prices = check_prices(conn, &mut errors, &format!("choices.{i}.prices"), &c.prices)?;
        choices.push((c.id, cname.to_string(), c.sort_order, prices));
    }
    fail(errors)?;
    Ok(Checked { min, max, choices })
}

fn save(
    conn: &Connection,
    product_id: i64,
    existing: Option<&ConfigOption>,
    input: &OptionInput,
    now: Timestamp,
) -> Result<i64> {
    let checked = check(conn, existing, input)?;
    let now_s = stamp(now);
    let fields = store::OptionFields {
        name: input.name.trim(),
        kind: &input.kind,
        required: input.required,
        min_quantity: checked.min,
        max_quantity: checked.max,
        sort_order: input.sort_order,
        status: &input.status,
    };
    let id = match existing {
        Some(o) => {
            store::update(conn, o.id, &fields, &now_s)?;
            o.id
        }
        None => store::insert(
            conn,
            &uuid::Uuid::new_v4().to_string(),
            product_id,
            &fields,
            &now_s,
        )?,
    };
    let mut keep = Vec::new();
    for (choice_id, name, sort_order, prices) in &checked.choices {
        let cid = match choice_id {
            Some(cid) => {
                store::update_choice(conn, *cid, name, *sort_order, &now_s)?;
                *cid
            }
            None => store::insert_choice(conn, id, name, *sort_order, &now_s)?,
        };
        store::set_choice_prices(conn, cid, prices)?;
        keep.push(cid);
    }
    store::retire_other_choices(conn, id, &keep, &now_s)?;
    Ok(id)
}

fn reload(conn: &Connection, id: i64) -> Result<OptionWithChoices> {
    let o = store::find(conn, &id.to_string())?.ok_or(AppError::NotFound)?;
    with_choices(conn, o, false)
}

/// Add an option to a product.
pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    product: &str,
    input: OptionInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<OptionWithChoices> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let p = catalog::find_product(tx, product)?.ok_or(AppError::NotFound)?;
        let id = save(tx, p.id, None, &input, now)?;
        audit(
            tx,
            staff,
            "catalog.option_created",
            ("config_option", id),
            meta,
            now,
            serde_json::json!({ "product": p.id, "name": input.name.trim(), "kind": input.kind }),
        )?;
        reload(tx, id)
    })
}

/// Change an option and its choices (choices left out are retired).
pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    input: OptionInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<OptionWithChoices> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let o = store::find(tx, ident)?.ok_or(AppError::NotFound)?;
        save(tx, o.product_id, Some(&o), &input, now)?;
        audit(
            tx,
            staff,
            "catalog.option_updated",
            ("config_option", o.id),
            meta,
            now,
            serde_json::json!({ "name": input.name.trim(), "status": input.status }),
        )?;
        reload(tx, o.id)
    })
}

/// Retire an option: new orders no longer see it; services keep theirs.
pub fn retire(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let o = store::find(tx, ident)?.ok_or(AppError::NotFound)?;
        store::set_status(tx, o.id, "retired", &stamp(now))?;
        audit(
            tx,
            staff,
            "catalog.option_retired",
            ("config_option", o.id),
            meta,
            now,
            serde_json::json!({ "name": o.name }),
        )?;
        Ok(())
    })
}
