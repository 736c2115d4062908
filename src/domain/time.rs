//! How instants are written down.

use jiff::{Timestamp, Unit, civil::Date, tz::TimeZone};

/// An instant as stored and shown: UTC RFC 3339 with whole seconds
/// (`2026-11-22T15:31:42Z`). Fixed width, so text order is time order.
pub fn stamp(ts: Timestamp) -> String {
    ts.round(
        jiff::TimestampRound::new()
            .smallest(Unit::Second)
            .mode(jiff::RoundMode::Trunc),
    )
    .unwrap_or(ts)
    .to_string()
}

/// Today in UTC: dates on invoices and services are UTC dates.
pub fn today(now: Timestamp) -> Date {
    now.to_zoned(TimeZone::UTC).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_whole_seconds_in_utc_and_sort_as_text() {
        let a: Timestamp = "2026-11-22T15:31:42.999Z".parse().unwrap();
        let b: Timestamp = "2026-11-22T15:31:43Z".parse().unwrap();
        assert_eq!(stamp(a), "2026-11-22T15:31:42Z");
        assert!(stamp(a) < stamp(b));
        let leap: Timestamp = "2024-02-29T23:59:59+02:00".parse().unwrap();
        assert_eq!(stamp(leap), "2024-02-29T21:59:59Z");
    }
}
