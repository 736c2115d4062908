//! Tax arithmetic and who is taxed.
//!
//! THE rule: tax is computed once per invoice, on the sum of its taxable
//! amounts, and rounded with `money::round_div` (half away from zero) to the
//! currency's minor unit. With exclusive prices the tax is
//! `net × rate`; with inclusive prices the net is `gross ÷ (1 + rate)` and
//! the tax is what is left, so net + tax is always exactly the gross. The
//! invoice total is then exactly the sum of its lines. Per-line shares of
//! the tax (for display) are allocated by largest remainder, so they too
//! add up exactly.

use super::money::round_div;

/// A rate in thousandths of a percent: 20% is 20_000, 7.375% is 7_375.
pub type RateMilli = i64;

/// 100% in `RateMilli`.
pub const HUNDRED_PERCENT: RateMilli = 100_000;

/// Parse `"20"`, `"7.375"` (percent, up to three decimals) into a rate.
pub fn parse_rate(text: &str) -> Result<RateMilli, String> {
    let rate = super::money::parse_decimal(text, 3)
        .map_err(|_| "must be a percentage such as 20 or 7.375".to_string())?;
    if !(0..=HUNDRED_PERCENT).contains(&rate) {
        return Err("must be between 0 and 100".into());
    }
    Ok(rate)
}

/// `"20"`, `"7.375"`: a rate as text, without trailing zeros.
pub fn format_rate(rate: RateMilli) -> String {
    let text = super::money::format_decimal(rate, 3);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

/// The tax on a net amount at `rate`.
pub fn exclusive_tax(net: i64, rate: RateMilli) -> i64 {
    round_div(
        i128::from(net) * i128::from(rate),
        i128::from(HUNDRED_PERCENT),
    )
    .unwrap_or(0)
}

/// Split a gross (tax-inclusive) amount into (net, tax).
pub fn inclusive_split(gross: i64, rate: RateMilli) -> (i64, i64) {
    let net = round_div(
        i128::from(gross) * i128::from(HUNDRED_PERCENT),
        i128::from(HUNDRED_PERCENT + rate),
    )
    .unwrap_or(gross);
    (net, gross - net)
}

/// Share `total` out in proportion to `weights` (all ≥ 0) so the shares add
/// up to `total` exactly: each gets the floor of its exact share, and the
/// units left over go to the largest remainders (the earliest on a tie).
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w.max(0))).sum();
    if sum == 0 || weights.is_empty() {
        let mut out = vec![0; weights.len()];
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let mut shares: Vec<(i64, i128, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let exact = i128::from(total) * i128::from(w.max(0));
            let floor = exact.div_euclid(sum);
            (i64::try_from(floor).unwrap_or(0), exact.rem_euclid(sum), i)
        })
        .collect();
    let mut left = total - shares.iter().map(|s| s.0).sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].1.cmp(&shares[a].1).then(a.cmp(&b)));
    for i in order.into_iter().cycle() {
        if left <= 0 {
            break;
        }
        shares[i].0 += 1;
        left -= 1;
    }
    shares.into_iter().map(|s| s.0).collect()
}

/// The EU member states, by ISO 3166 code (Greece as both GR and EL, as on
/// VAT ids).
pub const EU: [&str; 28] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

pub fn in_eu(country: &str) -> bool {
    EU.contains(&country.trim().to_ascii_uppercase().as_str())
}

/// EU reverse charge: a business buyer (one with a VAT id) in another EU
/// member state than the seller pays no VAT to the seller; they account for
/// it themselves.
pub fn reverse_charge(
    seller_country: &str,
    buyer_country: &str,
    buyer_vat_id: Option<&str>,
) -> bool {
    let (s, b) = (
        seller_country.trim().to_ascii_uppercase(),
        buyer_country.trim().to_ascii_uppercase(),
    );
    buyer_vat_id.is_some_and(|v| !v.trim().is_empty()) && in_eu(&s) && in_eu(&b) && s != b
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The exact oracle: the rational `n / d` rounded half away from zero,
    /// computed by comparing twice the remainder with the divisor.
    fn oracle_round(n: i128, d: i128) -> i128 {
        let q = n.div_euclid(d);
        let r = n.rem_euclid(d);
        // For n >= 0 (all amounts here), half rounds up.
        if 2 * r >= d { q + 1 } else { q }
    }

    #[test]
    fn rates_parse_and_print_without_float() {
        assert_eq!(parse_rate("20"), Ok(20_000));
        assert_eq!(parse_rate("7.375"), Ok(7_375));
        assert_eq!(parse_rate("0"), Ok(0));
        assert!(parse_rate("7.3755").is_err());
        assert!(parse_rate("101").is_err());
        assert!(parse_rate("-1").is_err());
        assert_eq!(format_rate(20_000), "20");
        assert_eq!(format_rate(7_375), "7.375");
        assert_eq!(format_rate(5_500), "5.5");
    }

    #[test]
    fn exclusive_tax_rounds_halves_away_from_zero() {
        // 20% of 0.02 is 0.004: rounds to 0.00; of 0.03 is 0.006: 0.01.
        assert_eq!(exclusive_tax(2, 20_000), 0);
        assert_eq!(exclusive_tax(3, 20_000), 1);
        // 10% of 0.05 is exactly half a cent: rounds up.
        assert_eq!(exclusive_tax(5, 10_000), 1);
        assert_eq!(exclusive_tax(4_990, 20_000), 998);
        // 0-decimal currency (JPY): 10% of 1,005 yen is 100.5: 101.
        assert_eq!(exclusive_tax(1_005, 10_000), 101);
        // 3-decimal currency (KWD): 5% of 1.234 is 0.0617: 0.062.
        assert_eq!(exclusive_tax(1_234, 5_000), 62);
    }

    #[test]
    fn inclusive_prices_split_into_net_and_tax_that_add_up() {
        assert_eq!(inclusive_split(1_200, 20_000), (1_000, 200));
        assert_eq!(inclusive_split(999, 20_000), (833, 166));
        assert_eq!(inclusive_split(0, 20_000), (0, 0));
        assert_eq!(inclusive_split(500, 0), (500, 0));
    }

    #[test]
    fn allocation_adds_up_and_favours_the_largest_remainders() {
        assert_eq!(allocate(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(allocate(1, &[100, 300]), [0, 1]);
        assert_eq!(allocate(7, &[0, 0]), [7, 0]);
        assert!(allocate(5, &[]).is_empty());
    }

    #[test]
    fn reverse_charge_needs_a_vat_id_and_two_different_eu_states() {
        assert!(reverse_charge("DE", "FR", Some("FR12345678901")));
        assert!(!reverse_charge("DE", "DE", Some("DE123")), "same state");
        assert!(!reverse_charge("DE", "FR", None), "a consumer");
        assert!(!reverse_charge("DE", "FR", Some("  ")), "a blank VAT id");
        assert!(!reverse_charge("DE", "US", Some("123")), "outside the EU");
        assert!(!reverse_charge("", "FR", Some("FR1")), "no seller country");
        assert!(reverse_charge("de", "el", Some("EL1")), "case and EL");
    }

    proptest! {
        #[test]
        fn exclusive_tax_equals_the_exact_oracle(net in 0i64..10_000_000_000, rate in 0i64..=100_000) {
            let exact = oracle_round(i128::from(net) * i128::from(rate), 100_000);
            prop_assert_eq!(i128::from(exclusive_tax(net, rate)), exact);
        }

        #[test]
        fn inclusive_split_equals_the_oracle_and_sums_to_the_gross(gross in 0i64..10_000_000_000, rate in 0i64..=100_000) {
            let (net, tax) = inclusive_split(gross, rate);
            prop_assert_eq!(net + tax, gross);
            let exact_net = oracle_round(i128::from(gross) * 100_000, 100_000 + i128::from(rate));
            prop_assert_eq!(i128::from(net), exact_net);
            prop_assert!(tax >= 0);
        }

        #[test]
        fn allocation_always_sums_to_the_total_and_each_share_is_within_one_of_exact(
            total in 0i64..1_000_000,
            weights in proptest::collection::vec(0i64..1_000_000, 1..12),
        ) {
            let shares = allocate(total, &weights);
            prop_assert_eq!(shares.iter().sum::<i64>(), total);
            let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
            if sum > 0 {
                for (s, w) in shares.iter().zip(&weights) {
                    let exact_floor = (i128::from(total) * i128::from(*w)) / sum;
                    prop_assert!(i128::from(*s) == exact_floor || i128::from(*s) == exact_floor + 1);
                }
            }
        }
    }
}
