//! Fixed-window rate limits kept in memory, timed by till's Clock. Keys are
//! strings such as an IP address or a lower-cased email, so limits per
//! account apply whether or not the account exists.

use std::{collections::HashMap, sync::Mutex};

use jiff::{SignedDuration, Timestamp};

use crate::error::AppError;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub max: u32,
    pub per: SignedDuration,
}

pub const LOGIN_PER_IP: Rule = Rule {
    name: "login-ip",
    max: 30,
    per: SignedDuration::from_mins(5),
};
pub const LOGIN_PER_ACCOUNT: Rule = Rule {
    name: "login-account",
    max: 10,
    per: SignedDuration::from_mins(15),
};
pub const TWO_FACTOR_PER_ACCOUNT: Rule = Rule {
    name: "2fa-account",
    max: 5,
    per: SignedDuration::from_mins(5),
};
pub const SIGNUP_PER_IP: Rule = Rule {
    name: "signup-ip",
    max: 10,
    per: SignedDuration::from_hours(1),
};
pub const SIGNUP_PER_ACCOUNT: Rule = Rule {
    name: "signup-account",
    max: 3,
    per: SignedDuration::from_hours(1),
};
pub const FORGOT_PER_IP: Rule = Rule {
    name: "forgot-ip",
    max: 10,
    per: SignedDuration::from_mins(15),
};
pub const FORGOT_PER_ACCOUNT: Rule = Rule {
    name: "forgot-account",
    max: 3,
    per: SignedDuration::from_hours(1),
};
pub const RESET_PER_IP: Rule = Rule {
    name: "reset-ip",
    max: 10,
    per: SignedDuration::from_mins(15),
};

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Timestamp,
    count: u32,
}

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<(&'static str, String), Window>>,
}

/// Past this many keys, expired windows are swept on the next hit.
const SWEEP_AT: usize = 10_000;

impl RateLimiter {
    /// Count one attempt; refuse it when the window is full.
    pub fn hit(&self, rule: Rule, key: &str, now: Timestamp) -> Result<(), AppError> {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= SWEEP_AT {
            windows.retain(|(name, _), w| {
                let per = rule_period(name).unwrap_or(SignedDuration::from_hours(1));
                now.duration_since(w.started) < per
            });
        }
        let window = windows
            .entry((rule.name, key.to_lowercase()))
            .or_insert(Window {
                started: now,
                count: 0,
            });
        if now.duration_since(window.started) >= rule.per || now < window.started {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        if window.count >= rule.max {
            let left = rule.per - now.duration_since(window.started);
            let retry_after_secs = left.as_secs().max(1) as u64;
            return Err(AppError::RateLimited { retry_after_secs });
        }
        window.count += 1;
        Ok(())
    }
}

fn rule_period(name: &str) -> Option<SignedDuration> {
    [
        LOGIN_PER_IP,
        LOGIN_PER_ACCOUNT,
        TWO_FACTOR_PER_ACCOUNT,
        SIGNUP_PER_IP,
        SIGNUP_PER_ACCOUNT,
        FORGOT_PER_IP,
        FORGOT_PER_ACCOUNT,
        RESET_PER_IP,
    ]
    .into_iter()
    .find(|r| r.name == name)
    .map(|r| r.per)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_refuses_until_it_passes() {
        let limiter = RateLimiter::default();
        let rule = Rule {
            name: "t",
            max: 2,
            per: SignedDuration::from_secs(60),
        };
        let t0: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        assert!(limiter.hit(rule, "A", t0).is_ok());
        assert!(limiter.hit(rule, "a", t0).is_ok());
        let err = limiter
            .hit(rule, "a", t0 + SignedDuration::from_secs(20))
            .unwrap_err();
        assert!(matches!(
            err,
            AppError::RateLimited {
                retry_after_secs: 40
            }
        ));
        // Another key has its own window.
        assert!(limiter.hit(rule, "b", t0).is_ok());
        assert!(
            limiter
                .hit(rule, "a", t0 + SignedDuration::from_secs(60))
                .is_ok()
        );
    }
}
