//! How long sessions and tokens live, and when a session's last use is
//! written down.

use jiff::{SignedDuration, Timestamp};

use crate::store::sessions;

/// A customer's session lives at most this long, however active.
pub const SESSION_ABSOLUTE: SignedDuration = SignedDuration::from_hours(30 * 24);
/// A customer's session unused (and a refresh token unexchanged) this long
/// ends.
pub const SESSION_IDLE: SignedDuration = SignedDuration::from_hours(7 * 24);
/// A staff session lives at most this long: the admin area can do
/// everything, so a forgotten browser must not keep it open for days.
pub const STAFF_SESSION_ABSOLUTE: SignedDuration = SignedDuration::from_hours(12);
/// A staff session unused this long ends.
pub const STAFF_SESSION_IDLE: SignedDuration = SignedDuration::from_hours(2);

/// How long a session may sit unused: each kind keeps its own, also when
/// its use is recorded (`touch_if_stale`).
pub fn idle_timeout(session: &sessions::Session) -> SignedDuration {
    if session.staff_id.is_some() {
        STAFF_SESSION_IDLE
    } else {
        SESSION_IDLE
    }
}
/// A retired refresh token presented again this soon gets the same successor.
pub const REFRESH_GRACE: SignedDuration = SignedDuration::from_secs(10);
/// Session use is recorded at most this often (it costs a write).
pub(super) const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

pub fn later(now: Timestamp, by: SignedDuration) -> Timestamp {
    now.checked_add(by).unwrap_or(now)
}
