//! Currencies and amounts as invoices show them, and the seller and buyer
//! as an invoice freezes them when it is issued.

use rusqlite::Connection;

use crate::{
    domain::money::Money,
    error::Result,
    service::email::Branding,
    store::{
        clients::Client,
        currencies::{self, Currency},
    },
};

/// The seller as printed on an invoice, frozen when it is issued.
pub fn seller_snapshot(brand: &Branding) -> String {
    serde_json::json!({ "name": brand.company, "url": brand.base_url }).to_string()
}

/// The buyer as printed on an invoice, frozen when it is issued.
pub fn buyer_snapshot(c: &Client) -> String {
    serde_json::json!({
        "name": c.display_name(), "first_name": c.first_name, "last_name": c.last_name,
        "company_name": c.company_name, "email": c.email, "address1": c.address1,
        "address2": c.address2, "city": c.city, "state": c.state, "postcode": c.postcode,
        "country": c.country, "vat_id": c.vat_id,
        // What was known about the VAT id when the invoice was issued.
        "vat_status": c.vat_id.as_ref().map(|_| &c.vat_status),
        "vat_source": c.vat_source, "vat_checked_at": c.vat_checked_at,
    })
    .to_string()
}

/// A currency of the catalog, or ISO defaults for one that was removed.
pub fn currency(conn: &Connection, code: &str) -> Result<Currency> {
    Ok(currencies::find(conn, code)?.unwrap_or_else(|| iso_currency(code)))
}

fn iso_currency(code: &str) -> Currency {
    Currency {
        code: code.to_string(),
        prefix: String::new(),
        suffix: code.to_string(),
        decimals: crate::domain::money::decimals(code),
        is_default: false,
    }
}

/// From a list of the catalog's currencies, or ISO defaults for one since
/// removed (old invoices and payments keep their currency).
pub fn currency_in(currencies: &[Currency], code: &str) -> Currency {
    currencies
        .iter()
        .find(|c| c.code == code)
        .cloned()
        .unwrap_or_else(|| iso_currency(code))
}

pub fn money(minor: i64, c: &Currency) -> Money {
    Money::formatted_as(minor, &c.code, c.decimals, &c.prefix, &c.suffix)
}

pub fn format_money(minor: i64, c: &Currency) -> String {
    money(minor, c).formatted
}
