//! Amounts in v1 bodies: `amount` as `29.99`, `"29.99"` or
//! `{"amount_minor": 2999}` (`domain::money_input`, read exactly, never
//! through a float), or the separate `amount_minor` field older clients send.

use crate::{domain::money_input::MoneyInput, error::AppError};

/// The amount a body gives, from `amount` or `amount_minor` (not both).
pub fn amount_of(
    amount: Option<MoneyInput>,
    amount_minor: Option<i64>,
) -> Result<Option<MoneyInput>, AppError> {
    match (amount, amount_minor) {
        (Some(_), Some(_)) => Err(AppError::invalid(
            "amount",
            "give amount or amount_minor, not both",
        )),
        (Some(a), None) => Ok(Some(a)),
        (None, Some(m)) => Ok(Some(MoneyInput::Minor(m))),
        (None, None) => Ok(None),
    }
}
