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

/// THE rounding rule: the exact quotient `numerator / denominator`, rounded
/// to the nearest whole minor unit, halves away from zero ("commercial"
/// rounding, what tax authorities such as HMRC and most EU member states
/// expect on invoices). Every fractional amount of money in till (tax,
/// proration, percentage discounts and fees) is rounded here and nowhere
/// else. `None` on a zero denominator or a result beyond `i64`.
pub fn round_div(numerator: i128, denominator: i128) -> Option<i64> {
    if denominator == 0 {
        return None;
    }
    let negative = (numerator < 0) != (denominator < 0);
    let (n, d) = (numerator.unsigned_abs(), denominator.unsigned_abs());
    let (quotient, remainder) = (n / d, n % d);
    // Round up when the remainder is at least half the divisor.
    let magnitude = if remainder.checked_mul(2)? >= d {
        quotient + 1
    } else {
        quotient
    };
    let magnitude = i128::try_from(magnitude).ok()?;
    i64::try_from(if negative { -magnitude } else { magnitude }).ok()
}

/// Parse an exact decimal amount (`"19.99"`, `"5"`, `"0.5"`) into minor
/// units of a currency with `decimals` digits. More fraction digits than
/// the currency has is an error, never a rounding.
pub fn parse_decimal(text: &str, decimals: u32) -> Result<i64, String> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || (digits.contains('.') && fraction.is_empty())
    {
        return Err(format!("`{text}` is not a decimal amount such as 19.99"));
    }
    if fraction.len() > decimals as usize {
        return Err(format!("has more than {decimals} decimal places"));
    }
    let scale = 10i128.pow(decimals);
    let whole: i128 = whole.parse().map_err(|_| "is too large".to_string())?;
    let fraction: i128 = if fraction.is_empty() {
        0
    } else {
        fraction
            .parse::<i128>()
            .map_err(|_| "is too large".to_string())?
            * 10i128.pow(decimals - fraction.len() as u32)
    };
    let magnitude = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(|| "is too large".to_string())?;
    i64::try_from(if negative { -magnitude } else { magnitude })
        .map_err(|_| "is too large".to_string())
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

impl Money {
    /// Money in a currency of the catalog: its decimals, prefix and suffix
    /// (`$4.99 USD`).
    pub fn formatted_as(
        minor: i64,
        code: &str,
        decimals: u32,
        prefix: &str,
        suffix: &str,
    ) -> Money {
        let text = format_decimal(minor, decimals);
        let formatted = match suffix.is_empty() {
            true => format!("{prefix}{text}"),
            false => format!("{prefix}{text} {suffix}"),
        };
        Money {
            amount: amount_for_display(&text),
            amount_minor: minor,
            formatted,
            currency: code.to_string(),
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
    use proptest::prelude::*;

    use super::*;

    /// An independent oracle: the first decimal digit of |n/d| decides.
    fn oracle(n: i128, d: i128) -> i128 {
        let sign = if (n < 0) != (d < 0) { -1 } else { 1 };
        sign * ((n.abs() * 10 / d.abs() + 5) / 10)
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(round_div(5, 2), Some(3));
        assert_eq!(round_div(-5, 2), Some(-3));
        assert_eq!(round_div(7, 2), Some(4));
        assert_eq!(round_div(249, 100), Some(2));
        assert_eq!(round_div(250, 100), Some(3));
        assert_eq!(round_div(1, 3), Some(0));
        assert_eq!(round_div(2, 3), Some(1));
        assert_eq!(round_div(0, 7), Some(0));
        assert_eq!(round_div(1, 0), None);
        assert_eq!(round_div(i128::from(i64::MAX) * 4, 2), None);
    }

    #[test]
    fn decimal_text_parses_exactly_or_not_at_all() {
        assert_eq!(parse_decimal("19.99", 2), Ok(1999));
        assert_eq!(parse_decimal("19.9", 2), Ok(1990));
        assert_eq!(parse_decimal("19", 2), Ok(1900));
        assert_eq!(parse_decimal("0.005", 3), Ok(5));
        assert_eq!(parse_decimal("500", 0), Ok(500));
        assert_eq!(parse_decimal("-1.50", 2), Ok(-150));
        for bad in [
            "19.999",
            "1e3",
            "",
            ".5",
            "5.",
            "1,5",
            "NaN",
            "+5",
            "99999999999999999999",
        ] {
            assert!(parse_decimal(bad, 2).is_err(), "{bad}");
        }
        assert!(parse_decimal("5.5", 0).is_err());
    }

    proptest! {
        #[test]
        fn parsing_what_was_formatted_gives_it_back(minor in any::<i64>(), decimals in 0u32..=3) {
            prop_assert_eq!(parse_decimal(&format_decimal(minor, decimals), decimals), Ok(minor));
        }

        #[test]
        fn round_div_matches_the_oracle(n in -10_000_000_000_000i128..10_000_000_000_000, d in prop_oneof![1i128..1_000_000, -1_000_000i128..-1]) {
            prop_assert_eq!(i128::from(round_div(n, d).unwrap()), oracle(n, d));
        }

        #[test]
        fn formatting_never_loses_a_minor_unit(minor in any::<i64>(), decimals in 0u32..=3) {
            let text = format_decimal(minor, decimals);
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
            let back: i128 = digits.parse().unwrap();
            let back = if text.starts_with('-') { -back } else { back };
            prop_assert_eq!(back, i128::from(minor));
        }
    }

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
