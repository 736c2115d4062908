//! Proration by days: a price for part of a period.

use super::money::round_div;

/// `amount` for `days` of a period of `days_in_period` days, rounded once
/// by the money rule. `None` for an empty period or days outside it.
pub fn prorate(amount_minor: i64, days: i64, days_in_period: i64) -> Option<i64> {
    if days_in_period <= 0 || !(0..=days_in_period).contains(&days) {
        return None;
    }
    round_div(
        i128::from(amount_minor) * i128::from(days),
        i128::from(days_in_period),
    )
}

/// What changing from a plan at `old_price` to one at `new_price` costs for
/// the `days_left` of a `days_in_period`-day period: positive is charged,
/// negative is credited. The difference is prorated as one amount, so
/// charge and credit can never be rounded apart.
pub fn change_of_plan(
    old_price: i64,
    new_price: i64,
    days_left: i64,
    days_in_period: i64,
) -> Option<i64> {
    prorate(new_price.checked_sub(old_price)?, days_left, days_in_period)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_month_split_in_days() {
        assert_eq!(prorate(3000, 15, 30), Some(1500));
        assert_eq!(prorate(1000, 1, 3), Some(333));
        assert_eq!(prorate(1000, 2, 3), Some(667));
        assert_eq!(prorate(1000, 0, 31), Some(0));
        assert_eq!(prorate(1000, 31, 31), Some(1000));
        assert_eq!(prorate(1000, 32, 31), None);
        assert_eq!(prorate(1000, 1, 0), None);
        // 29 February counts: a leap-year February has 29 days.
        assert_eq!(prorate(2900, 1, 29), Some(100));
    }

    #[test]
    fn upgrades_charge_and_downgrades_credit_the_prorated_difference() {
        assert_eq!(change_of_plan(1000, 2500, 10, 30), Some(500));
        assert_eq!(change_of_plan(2500, 1000, 10, 30), Some(-500));
        assert_eq!(change_of_plan(1000, 1000, 10, 30), Some(0));
    }

    proptest! {
        #[test]
        fn the_parts_of_a_period_add_up_to_within_one_unit_per_part(amount in 0i64..100_000_000, total in 1i64..1200, split in 0i64..1200) {
            let split = split % (total + 1);
            let a = prorate(amount, split, total).unwrap();
            let b = prorate(amount, total - split, total).unwrap();
            prop_assert!((a + b - amount).abs() <= 1);
            prop_assert!(a >= 0 && a <= amount);
        }
    }
}
