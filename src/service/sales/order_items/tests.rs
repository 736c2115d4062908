//! Unit tests for `service::sales::order_items`.

use super::*;

use super::domain_prices::valid_domain;

#[test]
fn domains_are_checked_for_shape() {
    for good in ["example.com", "a-b.co.uk", "xn--bcher-kva.example"] {
        assert!(valid_domain(good), "{good}");
    }
    for bad in [
        "example",
        "-a.com",
        "a..com",
        "exa mple.com",
        "a.123",
        "Example.com",
    ] {
        assert!(!valid_domain(bad), "{bad}");
    }
}

#[test]
fn an_inclusive_net_that_does_not_divide_is_one_unit() {
    let mut c = Charge::new(ChargeKind::Option, "Option: IPs".into(), 3, 200, true);
    assert_eq!(c.line_quantity(), (3, 200, "Option: IPs".into()));
    c.tax_included = true;
    c.tax = 100;
    assert_eq!(c.line_quantity(), (1, 500, "Option: IPs × 3".into()));
    c.tax = 99;
    assert_eq!(c.line_quantity(), (3, 167, "Option: IPs".into()));
}

#[test]
fn a_renewal_never_takes_the_expiry_past_ten_years() {
    use super::max_renewal_years;
    let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    let today = d("2026-12-03");
    assert_eq!(max_renewal_years(d("2027-01-10"), today), 9);
    assert_eq!(max_renewal_years(d("2026-12-03"), today), 10);
    assert_eq!(max_renewal_years(d("2025-06-01"), today), 10);
    assert_eq!(max_renewal_years(d("2035-12-04"), today), 0);
    assert_eq!(max_renewal_years(d("2035-12-03"), today), 1);
}
