//! Promotion codes: staff create them; quotes and orders apply them. A code
//! is checked against its dates, uses, currency and the client's earlier
//! uses; an order takes a use in its own transaction, so `max_uses` holds
//! under concurrency.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        cycle::BillingCycle,
        money,
        promotion::{self, PromotionKind},
        scopes::Scope,
        tax,
        time::stamp,
    },
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Actor, Event},
    store::{
        catalog,
        clients::Client,
        currencies,
        promotions::{self, Promotion},
    },
};

/// A promotion as staff send it.
#[derive(Debug, Clone, Default)]
pub struct NewPromotion {
    pub code: String,
    /// percent, fixed, free_setup or price_override.
    pub kind: String,
    /// percent: `"10"`; fixed and price_override: an amount in `currency`.
    pub value: String,
    pub currency: Option<String>,
    /// Product ids or slugs; empty: every product.
    pub products: Vec<String>,
    /// Cycle names; empty: every cycle.
    pub cycles: Vec<String>,
    pub recurring: bool,
    /// RFC 3339 instants.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub max_uses: Option<i64>,
    pub once_per_client: bool,
}

fn instant(field: &str, text: Option<String>, errors: &mut FieldErrors) -> Option<String> {
    let text = text.filter(|t| !t.trim().is_empty())?;
    match text.trim().parse::<Timestamp>() {
        Ok(t) => Some(stamp(t)),
        Err(_) => {
            errors
                .entry(field.into())
                .or_default()
                .push("must be an RFC 3339 time such as 2026-12-31T23:59:59Z".into());
            None
        }
    }
}

/// A promotion row from what staff sent: for a new one, or (`keep`) in
/// place of an existing one, whose uses and creation time stay.
fn checked(
    tx: &Connection,
    input: NewPromotion,
    keep: Option<&Promotion>,
    now: Timestamp,
) -> Result<Promotion> {
    let mut errors = FieldErrors::new();
    let mut add = |f: &str, m: &str| errors.entry(f.to_string()).or_default().push(m.to_string());
    let code = input.code.trim().to_ascii_uppercase();
    if code.is_empty()
        || code.len() > 40
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        add("code", "must be 1 to 40 letters, digits, - or _");
    } else if promotions::find_by_code(tx, &code)?
        .is_some_and(|other| Some(other.id) != keep.map(|k| k.id))
    {
        add("code", "is already used by another promotion");
    }
    let kind = PromotionKind::parse(input.kind.trim());
    let currency = input
        .currency
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase());
    let (mut percent_milli, mut amount) = (0, 0);
    match kind {
        None => add(
            "kind",
            "must be percent, fixed, free_setup or price_override",
        ),
        Some(PromotionKind::Percent) => match tax::parse_rate(&input.value) {
            Ok(p) if p > 0 => percent_milli = p,
            _ => add("value", "must be a percentage above 0 and at most 100"),
        },
        Some(PromotionKind::FreeSetup) => {}
        Some(PromotionKind::Fixed | PromotionKind::PriceOverride) => {
            match currency
                .as_deref()
                .map(|c| currencies::find(tx, c))
                .transpose()?
            {
                Some(Some(cur)) => match money::parse_decimal(&input.value, cur.decimals) {
                    Ok(v) if v >= 0 => amount = v,
                    _ => add("value", "must be an amount in the currency, not negative"),
                },
                _ => add("currency", "must be a configured currency for this kind"),
            }
        }
    }
    let mut product_ids = Vec::new();
    for p in &input.products {
        match catalog::find_product(tx, p.trim())? {
            Some(found) => product_ids.push(found.id),
            None => add("products", &format!("{p} is not a product")),
        }
    }
    let mut cycles = Vec::new();
    for c in &input.cycles {
        match c.trim().parse::<BillingCycle>() {
            Ok(cycle) => cycles.push(cycle.as_str().to_string()),
            Err(_) => add("cycles", &format!("{c} is not a billing cycle")),
        }
    }
    if input.max_uses.is_some_and(|m| m <= 0) {
        add("max_uses", "must be at least 1");
    }
    let starts_at = instant("starts_at", input.starts_at, &mut errors);
    let ends_at = instant("ends_at", input.ends_at, &mut errors);
    if let (Some(s), Some(e)) = (&starts_at, &ends_at)
        && e <= s
    {
        errors
            .entry("ends_at".into())
            .or_default()
            .push("must be after starts_at".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let kind = kind.ok_or_else(|| AppError::internal("kind checked above"))?;
    let row = Promotion {
        code,
        kind: kind.as_str().into(),
        percent_milli,
        amount,
        currency: currency
            .filter(|_| matches!(kind, PromotionKind::Fixed | PromotionKind::PriceOverride)),
        product_ids: serde_json::to_string(&product_ids).map_err(AppError::internal)?,
        cycles: serde_json::to_string(&cycles).map_err(AppError::internal)?,
        recurring: input.recurring,
        starts_at,
        ends_at,
        max_uses: input.max_uses,
        uses: keep.map_or(0, |k| k.uses),
        once_per_client: input.once_per_client,
        created_at: keep.map_or_else(|| stamp(now), |k| k.created_at.clone()),
        id: keep.map_or(0, |k| k.id),
    };
    Ok(row)
}

pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    input: NewPromotion,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Promotion> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let row = checked(tx, input, None, now)?;
        let id = promotions::insert(tx, &row)?;
        audit_staff(tx, staff, "promotion.created", id, &row, meta, now)?;
        promotions::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

/// Change a promotion (needs `catalog:write`); its uses so far stay, and
/// orders already placed keep their discount.
pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    input: NewPromotion,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Promotion> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let existing = promotions::find(tx, id)?.ok_or(AppError::NotFound)?;
        let row = checked(tx, input, Some(&existing), now)?;
        if row.max_uses.is_some_and(|m| m < existing.uses) {
            return Err(AppError::invalid(
                "max_uses",
                format!("cannot be below the {} uses so far", existing.uses),
            ));
        }
        promotions::update(tx, &row)?;
        audit_staff(tx, staff, "promotion.updated", id, &row, meta, now)?;
        promotions::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

/// Retire a promotion (needs `catalog:write`): it ends now. Past orders
/// keep their discount; the code stays taken.
pub fn retire(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Promotion> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let mut row = promotions::find(tx, id)?.ok_or(AppError::NotFound)?;
        let now_s = stamp(now);
        if row.ends_at.as_ref().is_none_or(|e| *e > now_s) {
            // One that had not started yet simply never starts.
            if row.starts_at.as_ref().is_some_and(|s| *s >= now_s) {
                row.starts_at = None;
            }
            row.ends_at = Some(now_s);
            promotions::update(tx, &row)?;
        }
        audit_staff(tx, staff, "promotion.retired", id, &row, meta, now)?;
        promotions::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

fn audit_staff(
    tx: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    id: i64,
    row: &Promotion,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::from(&Principal::Staff(staff.clone())),
            action,
            subject: Some(("promotion", id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "code": row.code, "kind": row.kind }),
        },
    )?;
    Ok(())
}

pub fn list(db: &Db, staff: &StaffPrincipal) -> Result<Vec<Promotion>> {
    staff.require(Scope::CatalogRead)?;
    db.read(|c| Ok(promotions::list(c)?))
}

/// The one answer for a code that cannot be used here, whatever the
/// reason: missing, not started, ended, used up, another currency or
/// nothing it covers. Telling them apart would tell a guesser which codes
/// exist (`service::sales::promo_guard`).
pub const NOT_VALID: &str = "is not a valid promotion code for this order";

fn refuse(message: &str) -> AppError {
    AppError::invalid("promo_code", message)
}

/// The promotion behind a code, if it may be used now, in this currency, by
/// this buyer. Every refusal is a 422 on `promo_code`, and all but one say
/// `NOT_VALID`: only the account that already used a code hears so.
pub fn usable(
    conn: &Connection,
    code: &str,
    currency: &str,
    buyer: Option<&Client>,
    now: Timestamp,
) -> Result<Promotion> {
    let p = promotions::find_by_code(conn, &code.trim().to_ascii_uppercase())?
        .ok_or_else(|| refuse(NOT_VALID))?;
    let now_s = stamp(now);
    if p.starts_at.as_deref().is_some_and(|s| now_s.as_str() < s) {
        return Err(refuse(NOT_VALID));
    }
    if p.ends_at.as_deref().is_some_and(|e| now_s.as_str() >= e) {
        return Err(refuse(NOT_VALID));
    }
    if p.max_uses.is_some_and(|m| p.uses >= m) {
        return Err(refuse(NOT_VALID));
    }
    if p.currency.as_deref().is_some_and(|c| c != currency) {
        return Err(refuse(NOT_VALID));
    }
    if let Some(b) = buyer
        && p.once_per_client
        && promotions::used_by(conn, p.id, b.id)?
    {
        return Err(refuse("was already used by this account"));
    }
    Ok(p)
}

/// Whether a promotion covers a product on a cycle.
pub fn covers(p: &Promotion, product_id: i64, cycle: BillingCycle) -> bool {
    let products: Vec<i64> = serde_json::from_str(&p.product_ids).unwrap_or_default();
    let cycles: Vec<String> = serde_json::from_str(&p.cycles).unwrap_or_default();
    (products.is_empty() || products.contains(&product_id))
        && (cycles.is_empty() || cycles.iter().any(|c| c == cycle.as_str()))
}

/// (off the price, off the setup fee) for a covered line.
pub fn discount_for(p: &Promotion, price: i64, setup_fee: i64) -> (i64, i64) {
    match PromotionKind::parse(&p.kind) {
        Some(kind) => promotion::discount(kind, p.percent_milli, p.amount, price, setup_fee),
        None => (0, 0),
    }
}
