//! An amount of money as an API caller sends it: a JSON number (`29.99`),
//! a string (`"29.99"`), or `{"amount_minor": 2999}`. A number is read
//! from its exact text in the request, never through a float, so `29.99`
//! is 2999 cents and not 2998.9999…; exponents (`2.999e1`) are fine.
//! Which currency it is in (and so how many decimals it may have) is known
//! only to the caller, who converts it with `to_minor` and names the field
//! when it is refused.

use serde::{Deserialize, Deserializer, de::Error as _};
use serde_json::value::RawValue;

/// The largest amount accepted, in minor units: 2^53 - 1, the largest
/// integer a JSON number survives exactly in every client (JavaScript's
/// `Number.MAX_SAFE_INTEGER`), so what till answers is what it was sent.
pub const MAX_MINOR: i64 = 9_007_199_254_740_991;

/// An amount as sent, not yet tied to a currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyInput {
    /// Decimal text: a JSON number's own text, or a string.
    Decimal(String),
    /// `{"amount_minor": n}`.
    Minor(i64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MinorOnly {
    amount_minor: i64,
}

impl<'de> Deserialize<'de> for MoneyInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The raw text of the value: a number is kept exactly as written.
        let raw: Box<RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get().trim();
        match text.as_bytes().first() {
            Some(b'"') => serde_json::from_str::<String>(text)
                .map(MoneyInput::Decimal)
                .map_err(D::Error::custom),
            Some(b'{') => serde_json::from_str::<MinorOnly>(text)
                .map(|m| MoneyInput::Minor(m.amount_minor))
                .map_err(|_| {
                    D::Error::custom(
                        "give an amount such as 29.99, \"29.99\" or {\"amount_minor\": 2999}",
                    )
                }),
            Some(b'-' | b'0'..=b'9') => Ok(MoneyInput::Decimal(text.to_string())),
            _ => Err(D::Error::custom(
                "give an amount such as 29.99, \"29.99\" or {\"amount_minor\": 2999}",
            )),
        }
    }
}

impl MoneyInput {
    /// What to ask for when no amount was given.
    pub const ASK: &str = "give an amount such as 29.99, \"29.99\" or {\"amount_minor\": 2999}";

    /// Nothing was typed (an empty form field or string).
    pub fn is_blank(&self) -> bool {
        matches!(self, MoneyInput::Decimal(t) if t.trim().is_empty())
    }

    /// Minor units of a currency with `decimals` digits. Refuses text that
    /// is not a decimal number, more decimals than the currency has (never
    /// rounds), and amounts beyond `MAX_MINOR` either way.
    pub fn to_minor(&self, decimals: u32) -> Result<i64, String> {
        match self {
            MoneyInput::Minor(m) if m.unsigned_abs() <= MAX_MINOR.unsigned_abs() => Ok(*m),
            MoneyInput::Minor(_) => Err(too_large()),
            MoneyInput::Decimal(text) => parse_exact(text, decimals),
        }
    }
}

/// For amounts and percentages kept as decimal text until their currency
/// is known (a promotion's value, a payment method's fees, the late fee):
/// a JSON number or a string, kept exactly as written, never through a
/// float. `{"amount_minor"}` has no meaning without a currency and is
/// refused. Use with `#[serde(deserialize_with = "exact_text")]`.
pub fn exact_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match MoneyInput::deserialize(d)? {
        MoneyInput::Decimal(text) => Ok(without_exponent(&text)),
        MoneyInput::Minor(_) => Err(D::Error::custom(
            "give a decimal such as 2.5 or \"2.5\" here, not minor units",
        )),
    }
}

/// `2.5e1` as `25`, `25e-3` as `0.025`: the same value in plain decimal
/// digits, so the text can be checked where its decimals are known. Text
/// that is not such a number (or whose exponent is absurd) is kept as it
/// is, for that check to refuse.
fn without_exponent(text: &str) -> String {
    let t = text.trim();
    let Some(i) = t.find(['e', 'E']) else {
        return text.to_string();
    };
    let (mantissa, exponent) = (&t[..i], &t[i + 1..]);
    let Ok(exponent) = exponent.parse::<i32>() else {
        return text.to_string();
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    if !(-40..=40).contains(&exponent) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    // The decimal point sits after `point` digits of `digits`.
    let point = whole.len() as i32 + exponent;
    let (int, frac) = if point <= 0 {
        let zeros = "0".repeat(point.unsigned_abs() as usize);
        ("0".to_string(), format!("{zeros}{digits}"))
    } else if point as usize >= digits.len() {
        let zeros = "0".repeat(point as usize - digits.len());
        (format!("{digits}{zeros}"), String::new())
    } else {
        let (a, b) = digits.split_at(point as usize);
        (a.to_string(), b.to_string())
    };
    let int = match int.trim_start_matches('0') {
        "" => "0",
        i => i,
    };
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// `exact_text` for an optional field (with `#[serde(default)]`).
pub fn exact_text_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    exact_text(d).map(Some)
}

fn too_large() -> String {
    format!("is too large (at most {MAX_MINOR} minor units)")
}

/// `-?digits[.digits][(e|E)[+-]digits]`, exactly, into minor units.
fn parse_exact(text: &str, decimals: u32) -> Result<i64, String> {
    let text = text.trim();
    let not_a_number = || format!("`{text}` is not an amount such as 29.99");
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (mantissa.contains('.') && !digits(fraction)) {
        return Err(not_a_number());
    }
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
            if !digits(unsigned) {
                return Err(not_a_number());
            }
            // Anything past a few dozen digits is out of range anyway.
            if unsigned.trim_start_matches('0').len() > 4 {
                return Err(if e.starts_with('-') {
                    format!("has more than {decimals} decimal places")
                } else {
                    too_large()
                });
            }
            e.parse().map_err(|_| not_a_number())?
        }
    };
    // The value is `all × 10^(exponent - fraction digits)`; in minor units
    // that is `all × 10^shift`.
    let all = format!("{whole}{fraction}");
    let shift = i64::from(decimals) + exponent - fraction.len() as i64;
    let (kept, dropped) = if shift >= 0 {
        (all.as_str(), "")
    } else {
        let cut = all.len().saturating_sub(shift.unsigned_abs() as usize);
        all.split_at(cut)
    };
    if dropped.bytes().any(|b| b != b'0') {
        return Err(format!("has more than {decimals} decimal places"));
    }
    let kept = kept.trim_start_matches('0');
    let zeros = usize::try_from(shift.max(0)).map_err(|_| too_large())?;
    if kept.is_empty() {
        return Ok(0);
    }
    if kept.len() + zeros > 16 {
        return Err(too_large());
    }
    let magnitude: i64 = format!("{kept}{}", "0".repeat(zeros))
        .parse()
        .map_err(|_| too_large())?;
    if magnitude > MAX_MINOR {
        return Err(too_large());
    }
    Ok(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use proptest::prelude::*;

    use super::*;

    fn parse(json: &str) -> MoneyInput {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_three_forms_of_the_references_read_the_same() {
        for json in [
            "29.99",
            "\"29.99\"",
            "{\"amount_minor\": 2999}",
            "2.999e1",
            "2999E-2",
        ] {
            assert_eq!(parse(json).to_minor(2), Ok(2999), "{json}");
        }
        assert_eq!(parse("50").to_minor(2), Ok(5000));
        assert_eq!(parse("50").to_minor(0), Ok(50));
        assert_eq!(parse("1.234").to_minor(3), Ok(1234));
        assert_eq!(parse("-0.5").to_minor(2), Ok(-50));
        assert_eq!(parse("0.10").to_minor(1), Ok(1));
    }

    #[test]
    fn a_float_that_is_not_exact_is_still_read_exactly() {
        // 0.1 + 0.2 as a float is 0.30000000000000004; as text it is 0.3.
        assert_eq!(parse("0.3").to_minor(2), Ok(30));
        assert_eq!(parse("1.005").to_minor(3), Ok(1005));
        assert_eq!(parse("9007199254740.991").to_minor(3), Ok(MAX_MINOR));
    }

    #[test]
    fn more_decimals_than_the_currency_has_are_refused_not_rounded() {
        assert!(
            parse("29.999")
                .to_minor(2)
                .unwrap_err()
                .contains("decimal places")
        );
        assert!(
            parse("1.5")
                .to_minor(0)
                .unwrap_err()
                .contains("decimal places")
        );
        assert!(
            parse("1e-9999")
                .to_minor(2)
                .unwrap_err()
                .contains("decimal places")
        );
        // Trailing zeros are no extra precision.
        assert_eq!(parse("29.9900").to_minor(2), Ok(2999));
    }

    #[test]
    fn out_of_range_and_malformed_amounts_are_refused() {
        assert!(
            parse("1e99999")
                .to_minor(2)
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            parse("90071992547409.92")
                .to_minor(2)
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            parse("{\"amount_minor\": 9007199254740992}")
                .to_minor(2)
                .is_err()
        );
        assert!(parse("123456789012345678901234567890").to_minor(0).is_err());
        for bad in [
            "\"\"", "\"12.\"", "\"abc\"", "\"1,5\"", "\".5\"", "\"1e\"", "\"--1\"",
        ] {
            assert!(parse(bad).to_minor(2).is_err(), "{bad}");
        }
        for bad in ["true", "null", "[1]", "{\"amount\": 1}"] {
            assert!(serde_json::from_str::<MoneyInput>(bad).is_err(), "{bad}");
        }
    }

    /// `minor` (of a currency with `decimals`) written as decimal text,
    /// moved by `e` with an exponent, with `zeros` trailing zeros and a
    /// leading zero or not: an exact oracle built by string operations.
    fn render(minor: i64, decimals: u32, e: i32, zeros: usize, lead: bool) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let digits = minor.unsigned_abs().to_string();
        // The value is digits × 10^-decimals; write it as mantissa × 10^e.
        let point = digits.len() as i64 - i64::from(decimals) - i64::from(e);
        let (int, frac) = if point <= 0 {
            (
                "0".to_string(),
                format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
            )
        } else if point as usize >= digits.len() {
            (
                format!("{digits}{}", "0".repeat(point as usize - digits.len())),
                String::new(),
            )
        } else {
            let (a, b) = digits.split_at(point as usize);
            (a.to_string(), b.to_string())
        };
        let frac = format!("{frac}{}", "0".repeat(zeros));
        let lead = if lead { "0" } else { "" };
        let mantissa = if frac.is_empty() {
            format!("{lead}{int}")
        } else {
            format!("{lead}{int}.{frac}")
        };
        if e == 0 {
            format!("{sign}{mantissa}")
        } else {
            format!("{sign}{mantissa}e{e}")
        }
    }

    #[derive(serde::Deserialize)]
    struct Fee {
        #[serde(deserialize_with = "super::exact_text")]
        amount: String,
    }

    fn fee(json: &str) -> Result<String, String> {
        serde_json::from_str::<Fee>(json)
            .map(|f| f.amount)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn exact_text_keeps_numbers_and_strings_as_written() {
        assert_eq!(fee(r#"{"amount": 2.50}"#).unwrap(), "2.50");
        assert_eq!(fee(r#"{"amount": "7.375"}"#).unwrap(), "7.375");
        assert_eq!(fee(r#"{"amount": 0.1}"#).unwrap(), "0.1");
        assert_eq!(fee(r#"{"amount": 5}"#).unwrap(), "5");
    }

    #[test]
    fn exact_text_writes_exponents_out_in_plain_digits() {
        assert_eq!(fee(r#"{"amount": 2.5e1}"#).unwrap(), "25");
        assert_eq!(fee(r#"{"amount": 25e-3}"#).unwrap(), "0.025");
        assert_eq!(fee(r#"{"amount": 1E2}"#).unwrap(), "100");
        assert_eq!(fee(r#"{"amount": -1.5e-1}"#).unwrap(), "-0.15");
        assert_eq!(fee(r#"{"amount": 0.0e5}"#).unwrap(), "0");
    }

    #[test]
    fn exact_text_refuses_minor_units_and_other_values() {
        assert!(fee(r#"{"amount": {"amount_minor": 5}}"#).is_err());
        assert!(fee(r#"{"amount": true}"#).is_err());
        assert!(fee(r#"{"amount": null}"#).is_err());
    }

    proptest! {
        #[test]
        fn any_amount_written_any_exact_way_reads_back_exactly(
            minor in -MAX_MINOR..=MAX_MINOR,
            decimals in prop_oneof![Just(0u32), Just(2u32), Just(3u32)],
            e in -6i32..6,
            zeros in 0usize..3,
            lead in any::<bool>(),
            quoted in any::<bool>(),
        ) {
            // JSON numbers have no leading zeros; strings may.
            let text = render(minor, decimals, e, zeros, lead && quoted);
            let json = if quoted { format!("\"{text}\"") } else { text.clone() };
            let input: MoneyInput = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(input.to_minor(decimals), Ok(minor), "{}", json);
        }

        #[test]
        fn exponents_written_out_keep_the_exact_value(
            minor in -1_000_000_000i64..1_000_000_000,
            decimals in prop_oneof![Just(0u32), Just(2u32), Just(3u32)],
            e in -6i32..6,
            zeros in 0usize..3,
        ) {
            // Without an exponent the text is kept as written.
            prop_assume!(e != 0);
            let text = render(minor, decimals, e, zeros, false);
            let plain = fee(&format!("{{\"amount\": {text}}}")).unwrap();
            prop_assert!(!plain.contains(['e', 'E']), "{}", plain);
            prop_assert_eq!(
                crate::domain::money::parse_decimal(&plain, decimals),
                Ok(minor),
                "{} -> {}", text, plain
            );
        }

        #[test]
        fn one_digit_more_than_the_currency_has_is_refused(
            minor in 0i64..1_000_000_000,
            decimals in prop_oneof![Just(0u32), Just(2u32), Just(3u32)],
            extra in 1u8..10,
        ) {
            let written = render(minor, decimals, 0, 0, false);
            let text = if written.contains('.') { format!("{written}{extra}") } else { format!("{written}.{extra}") };
            let input = MoneyInput::Decimal(text.clone());
            prop_assert!(input.to_minor(decimals).is_err(), "{}", text);
        }

        #[test]
        fn amounts_past_the_safe_range_are_refused(
            over in 1i64..1_000_000,
            decimals in prop_oneof![Just(0u32), Just(2u32), Just(3u32)],
            quoted in any::<bool>(),
        ) {
            let minor = MAX_MINOR.checked_add(over).unwrap();
            let text = render(minor, decimals, 0, 0, false);
            let json = if quoted { format!("\"{text}\"") } else { text };
            let input: MoneyInput = serde_json::from_str(&json).unwrap();
            prop_assert!(input.to_minor(decimals).is_err());
        }
    }
}
