//! Money is an integer count of a currency's minor units. Nothing here
//! uses floating point except `Money::amount_for_display`, which exists
//! only because reference 000's `Money.amount` is a JSON number.

use serde::Serialize;

/// Minor-unit digits of an ISO 4217 currency (2 unless listed).
pub fn decimals(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// `1234` with 2 decimals -> `"12.34"`; exact, any size, any sign.
pub fn format_decimal(minor: i64, decimals: u32) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(decimals);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = decimals as usize
    )
}

/// Reference 000's `Money`, plus `amount_minor`, the exact integer.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Money {
    /// The amount in major units, as a JSON number (display only: use
    /// `amount_minor` for arithmetic).
    pub amount: f64,
    /// The exact amount in the currency's minor units.
    pub amount_minor: i64,
    /// `12.34 USD`.
    pub formatted: String,
    #[schema(example = "USD")]
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: &str) -> Money {
        let d = decimals(currency);
        let text = format_decimal(minor, d);
        Money {
            amount: amount_for_display(&text),
            amount_minor: minor,
            formatted: format!("{text} {currency}"),
            currency: currency.to_string(),
        }
    }
}

/// The decimal text parsed as the nearest `f64`: exact to the cent for any
/// amount a hosting business will meet (below 2^53 minor units).
fn amount_for_display(decimal_text: &str) -> f64 {
    decimal_text.parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_is_exact_for_zero_two_and_three_decimals() {
        assert_eq!(format_decimal(1234, 2), "12.34");
        assert_eq!(format_decimal(5, 2), "0.05");
        assert_eq!(format_decimal(-5, 2), "-0.05");
        assert_eq!(format_decimal(1234, 0), "1234");
        assert_eq!(format_decimal(1234, 3), "1.234");
        assert_eq!(format_decimal(i64::MIN, 2), "-92233720368547758.08");
        assert_eq!(Money::new(1999, "USD").formatted, "19.99 USD");
        assert_eq!(Money::new(500, "JPY").formatted, "500 JPY");
        assert_eq!(Money::new(1500, "KWD").amount, 1.5);
    }
}
