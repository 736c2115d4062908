//! Unit tests for `service::automation::renewals`.

#![allow(clippy::unwrap_used)]
use super::*;

use jiff::civil::Date;

use crate::domain::cycle::BillingCycle;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn periods_follow_the_anchor_not_the_previous_period() {
    let a = Some(d("2027-01-31"));
    assert_eq!(
        period_from(a, BillingCycle::Monthly, d("2027-02-28")),
        Some((d("2027-02-28"), d("2027-03-31")))
    );
    assert_eq!(
        period_from(a, BillingCycle::Monthly, d("2027-03-31")),
        Some((d("2027-03-31"), d("2027-04-30")))
    );
    let leap = Some(d("2028-02-29"));
    assert_eq!(
        period_from(leap, BillingCycle::Annually, d("2029-02-28")),
        Some((d("2029-02-28"), d("2030-02-28")))
    );
    assert_eq!(
        period_from(leap, BillingCycle::Annually, d("2032-02-29")),
        Some((d("2032-02-29"), d("2033-02-28")))
    );
    // Off the grid: one cycle on.
    assert_eq!(
        period_from(a, BillingCycle::Quarterly, d("2027-02-10")),
        Some((d("2027-02-10"), d("2027-05-10")))
    );
}
