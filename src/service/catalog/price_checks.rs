//! A product's prices as staff send them, and checking them: one price
//! per currency and cycle, exact amounts.

use rusqlite::Connection;

use crate::{
    domain::{cycle::BillingCycle, money_input::MoneyInput},
    error::{FieldErrors, Result},
    store::{
        catalog::Price,
        currencies::{self, Currency},
    },
};

use super::validation::add;

/// One price as given: an exact amount (`MoneyInput`: a number, a string
/// or `{"amount_minor"}`) or the older separate minor-units field.
#[derive(Debug, Clone, Default)]
pub struct PriceInput {
    pub currency: String,
    pub cycle: String,
    pub price: Option<MoneyInput>,
    pub price_minor: Option<i64>,
    pub setup_fee: Option<MoneyInput>,
    pub setup_fee_minor: Option<i64>,
}

pub(crate) fn amount(
    errors: &mut FieldErrors,
    field: &str,
    text: &Option<MoneyInput>,
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
        (Some(t), None, Some(c)) => match t.to_minor(c.decimals) {
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
