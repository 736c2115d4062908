//! Billing cycles and the periods they cut time into.
//!
//! Period `n` of a service starts at `anchor + n × months`, computed from
//! the anchor every time, never from the previous period: a service started
//! on 31 January renews on 28/29 February, 31 March, 30 April, 31 May...
//! rather than drifting to the 28th forever. When the anchor's day does not
//! exist in a month, the period starts on that month's last day.

use std::{fmt, str::FromStr};

use jiff::{Span, civil::Date};
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum BillingCycle {
    Onetime,
    Monthly,
    Quarterly,
    Semiannually,
    Annually,
    Biennially,
    Triennially,
}

impl BillingCycle {
    pub const ALL: [BillingCycle; 7] = [
        BillingCycle::Onetime,
        BillingCycle::Monthly,
        BillingCycle::Quarterly,
        BillingCycle::Semiannually,
        BillingCycle::Annually,
        BillingCycle::Biennially,
        BillingCycle::Triennially,
    ];

    /// Months in one period; `None` for a one-time purchase.
    pub fn months(self) -> Option<i32> {
        match self {
            BillingCycle::Onetime => None,
            BillingCycle::Monthly => Some(1),
            BillingCycle::Quarterly => Some(3),
            BillingCycle::Semiannually => Some(6),
            BillingCycle::Annually => Some(12),
            BillingCycle::Biennially => Some(24),
            BillingCycle::Triennially => Some(36),
        }
    }

    /// The cycle a period `[start, end)` is one of, by the months it
    /// spans (31 January to 28 February is a month).
    pub fn of_period(start: Date, end: Date) -> Option<BillingCycle> {
        let months = (i32::from(end.year()) - i32::from(start.year())) * 12
            + i32::from(end.month())
            - i32::from(start.month());
        Self::ALL.into_iter().find(|c| c.months() == Some(months))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BillingCycle::Onetime => "onetime",
            BillingCycle::Monthly => "monthly",
            BillingCycle::Quarterly => "quarterly",
            BillingCycle::Semiannually => "semiannually",
            BillingCycle::Annually => "annually",
            BillingCycle::Biennially => "biennially",
            BillingCycle::Triennially => "triennially",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BillingCycle::Onetime => "One time",
            BillingCycle::Monthly => "Monthly",
            BillingCycle::Quarterly => "Quarterly",
            BillingCycle::Semiannually => "Semi-annually",
            BillingCycle::Annually => "Annually",
            BillingCycle::Biennially => "Every two years",
            BillingCycle::Triennially => "Every three years",
        }
    }
}

impl fmt::Display for BillingCycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BillingCycle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown billing cycle `{s}`"))
    }
}

/// The first day of period `n` (0-based) of a service anchored on `anchor`.
/// `None` for one-time cycles or dates beyond the calendar.
pub fn period_start(anchor: Date, cycle: BillingCycle, n: u32) -> Option<Date> {
    let months = i64::from(cycle.months()?) * i64::from(n);
    // jiff clamps a day that does not exist in the target month to the
    // month's last day: exactly the rule above.
    anchor
        .checked_add(Span::new().try_months(months).ok()?)
        .ok()
}

/// Period `n` as `[start, next_start)`.
pub fn period(anchor: Date, cycle: BillingCycle, n: u32) -> Option<(Date, Date)> {
    Some((
        period_start(anchor, cycle, n)?,
        period_start(anchor, cycle, n.checked_add(1)?)?,
    ))
}

/// The index of the period containing `date` (`None` before the anchor or
/// for one-time cycles).
pub fn period_index(anchor: Date, cycle: BillingCycle, date: Date) -> Option<u32> {
    let months = cycle.months()?;
    if date < anchor {
        return None;
    }
    // Estimate from the month difference, then step to the exact period.
    let diff = (i32::from(date.year()) - i32::from(anchor.year())) * 12
        + (i32::from(date.month()) - i32::from(anchor.month()));
    let mut n = u32::try_from((diff / months).max(0)).ok()?;
    while n > 0 && period_start(anchor, cycle, n)? > date {
        n -= 1;
    }
    while period_start(anchor, cycle, n + 1)? <= date {
        n += 1;
    }
    Some(n)
}

/// Days in `[start, end)`.
pub fn days_between(start: Date, end: Date) -> i64 {
    start
        .until(end)
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
}

/// The period of a service that starts on `start`: on the service's grid
/// (from its registration date) when `start` is on it, else one cycle on.
pub fn period_from(anchor: Option<Date>, cycle: BillingCycle, start: Date) -> Option<(Date, Date)> {
    let months = cycle.months()?;
    if let Some(anchor) = anchor.filter(|a| *a <= start) {
        let diff = (i32::from(start.year()) - i32::from(anchor.year())) * 12
            + i32::from(start.month())
            - i32::from(anchor.month());
        let guess = u32::try_from(diff / months).unwrap_or(0);
        for n in [guess, guess + 1, guess.saturating_sub(1)] {
            if let Some((s, e)) = period(anchor, cycle, n)
                && s == start
            {
                return Some((s, e));
            }
        }
    }
    let end = start.checked_add(Span::new().months(months)).ok()?;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_period_names_its_cycle_by_the_months_it_spans() {
        let of = BillingCycle::of_period;
        assert_eq!(
            of(date(2027, 1, 31), date(2027, 2, 28)),
            Some(BillingCycle::Monthly)
        );
        assert_eq!(
            of(date(2028, 2, 29), date(2029, 2, 28)),
            Some(BillingCycle::Annually)
        );
        assert_eq!(
            of(date(2027, 11, 30), date(2028, 2, 29)),
            Some(BillingCycle::Quarterly)
        );
        assert_eq!(of(date(2027, 1, 10), date(2027, 3, 10)), None);
    }

    #[test]
    fn the_31st_renews_on_each_months_last_day_without_drifting() {
        let anchor = date(2025, 1, 31);
        let starts: Vec<Date> = (0..6)
            .map(|n| period_start(anchor, BillingCycle::Monthly, n).unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                date(2025, 1, 31),
                date(2025, 2, 28),
                date(2025, 3, 31),
                date(2025, 4, 30),
                date(2025, 5, 31),
                date(2025, 6, 30)
            ]
        );
    }

    #[test]
    fn a_leap_day_anchor_renews_annually_on_the_28th_then_back_on_the_29th() {
        let anchor = date(2024, 2, 29);
        let y = |n| period_start(anchor, BillingCycle::Annually, n).unwrap();
        assert_eq!(y(1), date(2025, 2, 28));
        assert_eq!(y(3), date(2027, 2, 28));
        assert_eq!(y(4), date(2028, 2, 29));
        assert_eq!(
            period_start(date(2023, 11, 30), BillingCycle::Quarterly, 1),
            Some(date(2024, 2, 29))
        );
    }

    #[test]
    fn one_time_purchases_have_no_periods() {
        assert_eq!(
            period_start(date(2025, 1, 1), BillingCycle::Onetime, 1),
            None
        );
        assert_eq!(
            period_index(date(2025, 1, 1), BillingCycle::Onetime, date(2025, 6, 1)),
            None
        );
    }

    #[test]
    fn cycles_parse_and_print() {
        for c in BillingCycle::ALL {
            assert_eq!(c.as_str().parse::<BillingCycle>(), Ok(c));
        }
        assert!("weekly".parse::<BillingCycle>().is_err());
    }

    fn any_cycle() -> impl Strategy<Value = BillingCycle> {
        prop::sample::select(BillingCycle::ALL[1..].to_vec())
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2000i16..2100, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
            let first = date(y, m, 1);
            date(y, m, d.min(first.days_in_month()))
        })
    }

    proptest! {
        #[test]
        fn periods_tile_time_with_no_gap_and_no_overlap(anchor in any_date(), cycle in any_cycle()) {
            let mut previous_end = anchor;
            for n in 0..40 {
                let (start, end) = period(anchor, cycle, n).unwrap();
                prop_assert_eq!(start, previous_end);
                prop_assert!(end > start);
                previous_end = end;
            }
        }

        #[test]
        fn each_period_starts_on_the_anchor_day_or_the_last_day_of_its_month(anchor in any_date(), cycle in any_cycle(), n in 0u32..60) {
            let start = period_start(anchor, cycle, n).unwrap();
            let expected_day = anchor.day().min(start.days_in_month());
            prop_assert_eq!(start.day(), expected_day);
            let months = (i32::from(start.year()) - i32::from(anchor.year())) * 12
                + i32::from(start.month()) - i32::from(anchor.month());
            prop_assert_eq!(months, cycle.months().unwrap() * n as i32);
        }

        #[test]
        fn period_index_finds_the_period_that_contains_a_date(anchor in any_date(), cycle in any_cycle(), offset in 0i64..4000) {
            let day = anchor.checked_add(Span::new().days(offset)).unwrap();
            let n = period_index(anchor, cycle, day).unwrap();
            let (start, end) = period(anchor, cycle, n).unwrap();
            prop_assert!(start <= day && day < end);
        }
    }
}
