//! Taxes: the rules staff keep (a rate per country, or per state), the two
//! settings (prices include tax or not; the seller's country, for EU reverse
//! charge), and which tax applies to a buyer. The arithmetic is
//! `domain::tax`.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        scopes::Scope,
        tax::{self, RateMilli},
        time::stamp,
        vat_id::VatStatus,
    },
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Actor, Event},
    store::{
        clients::Client,
        settings,
        taxes::{self, TaxRule},
    },
};

const INCLUSIVE_KEY: &str = "tax.prices_include_tax";
const SELLER_COUNTRY_KEY: &str = "tax.seller_country";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaxSettings {
    /// Catalog prices already include tax (the tax is split out of them).
    pub prices_include_tax: bool,
    /// ISO 3166 alpha-2, or '' when not set (then no reverse charge).
    pub seller_country: String,
}

pub fn load_settings(conn: &Connection) -> Result<TaxSettings> {
    Ok(TaxSettings {
        prices_include_tax: settings::get(conn, INCLUSIVE_KEY)?.as_deref() == Some("true"),
        seller_country: settings::get(conn, SELLER_COUNTRY_KEY)?.unwrap_or_default(),
    })
}

fn country_code(field: &str, text: &str, errors: &mut FieldErrors) -> String {
    let code = text.trim().to_ascii_uppercase();
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        errors
            .entry(field.into())
            .or_default()
            .push("must be a two-letter country code such as DE".into());
    }
    code
}

fn audit_staff(
    tx: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    subject: Option<(&str, i64)>,
    details: serde_json::Value,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::from(&Principal::Staff(staff.clone())),
            action,
            subject,
            client_id: None,
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}

pub fn settings(db: &Db, staff: &StaffPrincipal) -> Result<TaxSettings> {
    staff.require(Scope::CatalogRead)?;
    db.read(load_settings)
}

pub fn save_settings(
    db: &Db,
    staff: &StaffPrincipal,
    input: TaxSettings,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<TaxSettings> {
    staff.require(Scope::CatalogWrite)?;
    let mut errors = FieldErrors::new();
    let seller = if input.seller_country.trim().is_empty() {
        String::new()
    } else {
        country_code("seller_country", &input.seller_country, &mut errors)
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    db.write(|tx| {
        let now_s = stamp(now);
        let inclusive = if input.prices_include_tax { "true" } else { "false" };
        settings::put(tx, INCLUSIVE_KEY, inclusive, &now_s)?;
        settings::put(tx, SELLER_COUNTRY_KEY, &seller, &now_s)?;
        audit_staff(
            tx,
            staff,
            "tax.settings_changed",
            None,
            serde_json::json!({ "prices_include_tax": input.prices_include_tax, "seller_country": seller }),
            meta,
            now,
        )?;
        load_settings(tx)
    })
}

pub fn rules(db: &Db, staff: &StaffPrincipal) -> Result<Vec<TaxRule>> {
    staff.require(Scope::CatalogRead)?;
    db.read(|c| Ok(taxes::list(c)?))
}

/// A rule as staff send it.
#[derive(Debug, Clone, Default)]
pub struct NewRule {
    pub country: String,
    pub state: String,
    pub name: String,
    /// Percent as exact text: `"20"`, `"7.375"`.
    pub rate: String,
}

/// Create the rule for a place, or replace the one it has.
pub fn save_rule(
    db: &Db,
    staff: &StaffPrincipal,
    input: NewRule,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<TaxRule> {
    staff.require(Scope::CatalogWrite)?;
    let mut errors = FieldErrors::new();
    let country = country_code("country", &input.country, &mut errors);
    let state = input.state.trim().to_ascii_uppercase();
    let name = input.name.trim().to_string();
    if state.len() > 40 {
        errors
            .entry("state".into())
            .or_default()
            .push("is at most 40 characters".into());
    }
    if name.is_empty() || name.chars().count() > 60 {
        errors
            .entry("name".into())
            .or_default()
            .push("is required (at most 60 characters), e.g. VAT".into());
    }
    let rate = tax::parse_rate(&input.rate).unwrap_or_else(|e| {
        errors.entry("rate".into()).or_default().push(e);
        0
    });
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    db.write(|tx| {
        let id = taxes::upsert(tx, &country, &state, &name, rate, &stamp(now))?;
        audit_staff(
            tx,
            staff,
            "tax.rule_saved",
            Some(("tax_rule", id)),
            serde_json::json!({ "country": country, "state": state, "name": name, "rate_milli": rate }),
            meta,
            now,
        )?;
        taxes::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

pub fn delete_rule(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::CatalogWrite)?;
    db.write(|tx| {
        let rule = taxes::find(tx, id)?.ok_or(AppError::NotFound)?;
        taxes::delete(tx, id)?;
        audit_staff(
            tx,
            staff,
            "tax.rule_deleted",
            Some(("tax_rule", id)),
            serde_json::json!({ "country": rule.country, "state": rule.state }),
            meta,
            now,
        )
    })
}

/// The tax a buyer pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedTax {
    /// As printed on the invoice line: `VAT 20%`.
    pub label: String,
    pub rate_milli: RateMilli,
    /// Catalog prices include this tax.
    pub inclusive: bool,
    /// EU reverse charge: no tax charged; the buyer accounts for it.
    pub reverse_charge: bool,
    /// Why an EU business buyer is charged VAT after all (its VAT id is not
    /// validated), for the invoice's notes.
    pub note: Option<String>,
}

/// What an invoice under `applied` says about its tax, if anything: the
/// reverse-charge statement, or why VAT was charged to a business buyer.
pub fn invoice_note(applied: Option<&AppliedTax>) -> Option<&str> {
    let t = applied?;
    if t.reverse_charge {
        Some(REVERSE_CHARGE_NOTE)
    } else {
        t.note.as_deref()
    }
}

/// The note an invoice under reverse charge carries.
pub const REVERSE_CHARGE_NOTE: &str = "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC).";

/// The tax on an invoice's lines (outside an order's quote): computed once
/// over the taxed amounts and, with inclusive prices, shared out of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTax {
    pub tax_total: i64,
    /// Per line, the tax taken out of it (all zero with exclusive prices).
    pub shares: Vec<i64>,
    /// The invoice's subtotal: the lines' nets.
    pub subtotal: i64,
}

/// Tax `amounts` (those whose `taxed` flag is set) under `applied`.
pub fn line_tax(applied: Option<&AppliedTax>, amounts: &[i64], taxed: &[bool]) -> LineTax {
    let taxed: Vec<i64> = amounts
        .iter()
        .zip(taxed)
        .map(|(a, t)| if *t { *a } else { 0 })
        .collect();
    let listed_taxed: i64 = taxed.iter().sum();
    let listed: i64 = amounts.iter().sum();
    let (tax_total, inclusive) = match applied {
        Some(t) if t.inclusive => (tax::inclusive_split(listed_taxed, t.rate_milli).1, true),
        Some(t) => (tax::exclusive_tax(listed_taxed, t.rate_milli), false),
        None => (0, false),
    };
    let shares = if inclusive {
        tax::allocate(tax_total, &taxed)
    } else {
        vec![0; amounts.len()]
    };
    LineTax {
        tax_total,
        shares,
        subtotal: listed - if inclusive { tax_total } else { 0 },
    }
}

/// Which tax applies to `buyer` (none for an unknown buyer, whose place we
/// do not know).
pub fn applied_for(conn: &Connection, buyer: Option<&Client>) -> Result<Option<AppliedTax>> {
    let Some(buyer) = buyer else {
        return Ok(None);
    };
    let s = load_settings(conn)?;
    // A VAT id alone proves nothing: only one VIES validated (or staff
    // verified) moves the VAT to the buyer. Until then VAT is charged, and
    // the invoice says why.
    let business = tax::reverse_charge(&s.seller_country, &buyer.country, buyer.vat_id.as_deref());
    if business && VatStatus::parse(&buyer.vat_status).allows_reverse_charge() {
        return Ok(Some(AppliedTax {
            label: "VAT reverse charge".into(),
            rate_milli: 0,
            inclusive: s.prices_include_tax,
            reverse_charge: true,
            note: None,
        }));
    }
    let note = business.then(|| crate::service::billing::vat_ids::vat_charged_note(buyer));
    let country = buyer.country.trim().to_ascii_uppercase();
    let state = buyer.state.trim().to_ascii_uppercase();
    Ok(
        taxes::for_place(conn, &country, &state)?.map(|rule| AppliedTax {
            label: format!("{} {}%", rule.name, tax::format_rate(rule.rate_milli)),
            rate_milli: rule.rate_milli,
            inclusive: s.prices_include_tax,
            reverse_charge: false,
            note,
        }),
    )
}
