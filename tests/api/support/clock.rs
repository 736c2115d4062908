//! The clock: where every test app starts, and the days tests jump to.

use jiff::Timestamp;

/// The instant every test app's clock starts at.
pub fn start_time() -> Timestamp {
    "2026-01-15T10:00:00Z".parse().unwrap()
}

/// 09:00 UTC on a day given as `YYYY-MM-DD` (the moment tests jump to).
pub fn at(text: &str) -> Timestamp {
    format!("{text}T09:00:00Z").parse().unwrap()
}
