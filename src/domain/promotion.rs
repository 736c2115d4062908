//! What a promotion takes off a line. Percentages round with
//! `money::round_div`; no discount ever exceeds what it applies to.

use super::money::round_div;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromotionKind {
    /// A percent off the price.
    Percent,
    /// A fixed amount off the price.
    Fixed,
    /// No setup fee.
    FreeSetup,
    /// The price becomes this amount.
    PriceOverride,
}

impl PromotionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PromotionKind::Percent => "percent",
            PromotionKind::Fixed => "fixed",
            PromotionKind::FreeSetup => "free_setup",
            PromotionKind::PriceOverride => "price_override",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "percent" => Some(PromotionKind::Percent),
            "fixed" => Some(PromotionKind::Fixed),
            "free_setup" => Some(PromotionKind::FreeSetup),
            "price_override" => Some(PromotionKind::PriceOverride),
            _ => None,
        }
    }
}

/// (off the price, off the setup fee) for one line.
pub fn discount(
    kind: PromotionKind,
    percent_milli: i64,
    amount: i64,
    price: i64,
    setup_fee: i64,
) -> (i64, i64) {
    let off_price = match kind {
        PromotionKind::Percent => {
            round_div(i128::from(price) * i128::from(percent_milli), 100_000).unwrap_or(0)
        }
        PromotionKind::Fixed => amount,
        PromotionKind::FreeSetup => 0,
        PromotionKind::PriceOverride => price - amount,
    };
    let off_setup = if kind == PromotionKind::FreeSetup {
        setup_fee
    } else {
        0
    };
    (off_price.clamp(0, price.max(0)), off_setup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PromotionKind::*;

    #[test]
    fn each_kind_takes_what_it_says_and_never_more_than_the_price() {
        assert_eq!(discount(Percent, 10_000, 0, 4_990, 500), (499, 0));
        // 15% of 0.99 is 0.1485: rounds to 0.15.
        assert_eq!(discount(Percent, 15_000, 0, 99, 0), (15, 0));
        assert_eq!(discount(Percent, 100_000, 0, 1_200, 0), (1_200, 0));
        assert_eq!(discount(Fixed, 0, 300, 1_200, 500), (300, 0));
        assert_eq!(
            discount(Fixed, 0, 5_000, 1_200, 500),
            (1_200, 0),
            "capped at the price"
        );
        assert_eq!(discount(FreeSetup, 0, 0, 1_200, 500), (0, 500));
        assert_eq!(discount(PriceOverride, 0, 100, 1_200, 500), (1_100, 0));
        assert_eq!(
            discount(PriceOverride, 0, 5_000, 1_200, 0),
            (0, 0),
            "never raises a price"
        );
        assert_eq!(
            discount(Percent, 50_000, 0, 0, 0),
            (0, 0),
            "a free line stays free"
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in [Percent, Fixed, FreeSetup, PriceOverride] {
            assert_eq!(PromotionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(PromotionKind::parse("bogus"), None);
    }
}
