//! A payment method's fee on what a gateway collects.

use crate::{
    domain::{money::round_div, tax},
    store::{currencies::Currency, payment_methods::PaymentMethod},
};

/// The fee a payment method adds to `amount`: its fixed part plus its
/// percentage, each rounded once to the currency's minor unit.
pub fn method_fee(method: &PaymentMethod, amount: i64, currency: &Currency) -> i64 {
    let fixed_milli = tax::parse_rate(&method.fee_fixed).unwrap_or(0);
    let scale = 10_i128.pow(currency.decimals);
    let fixed = round_div(i128::from(fixed_milli) * scale, 1000).unwrap_or(0);
    let percent = round_div(
        i128::from(amount) * i128::from(method.fee_percent_milli),
        100_000,
    )
    .unwrap_or(0);
    (fixed + percent).max(0)
}

pub(super) fn fee_description(method: &PaymentMethod) -> String {
    format!("{} fee", method.name)
}
