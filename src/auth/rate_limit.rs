//! Rate limits kept in memory, timed by till's Clock.
//!
//! Two kinds:
//! - a fixed window (`Rule`): at most `max` counted events per `per`;
//!   `hit` counts every attempt, `check` + `fail` count only failures;
//! - a progressive backoff (`Backoff`) for failures against one account:
//!   a few are free, then each further one must wait twice as long as the
//!   one before, up to a cap. It slows guessing without ever locking the
//!   account, so nobody can keep a user or an admin out by guessing.
//!
//! Keys are strings such as a client's address (`client_key`: IPv6 by its
//! /64, which one subscriber usually holds whole) or a lower-cased email,
//! so limits per account apply whether or not the account exists.

use std::{collections::HashMap, net::IpAddr, sync::Mutex};

use jiff::{SignedDuration, Timestamp};

use crate::error::AppError;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub max: u32,
    pub per: SignedDuration,
}

/// Every login attempt from one client address (customers and staff).
pub const LOGIN_PER_IP: Rule = Rule {
    name: "login-ip",
    max: 30,
    per: SignedDuration::from_mins(5),
};
/// Wrong passwords for one account from one client address: the guesser's
/// own delay, which the owner elsewhere never feels.
pub const LOGIN_FAILURES_PER_ACCOUNT_IP: Backoff = Backoff {
    name: "login-fail-account-ip",
    free: 10,
    base: SignedDuration::from_secs(30),
    cap: SignedDuration::from_mins(15),
    forget: SignedDuration::from_hours(1),
};
/// Wrong passwords for one account from anywhere: against guessing spread
/// over many addresses; short, so the owner waits a minute at most.
pub const LOGIN_FAILURES_PER_ACCOUNT: Backoff = Backoff {
    name: "login-fail-account",
    free: 50,
    base: SignedDuration::from_secs(5),
    cap: SignedDuration::from_mins(1),
    forget: SignedDuration::from_hours(1),
};
pub const TWO_FACTOR_PER_ACCOUNT: Rule = Rule {
    name: "2fa-account",
    max: 5,
    per: SignedDuration::from_mins(5),
};
/// Wrong current passwords given behind a session (changing the password):
/// a stolen session must not become a password oracle.
pub const SESSION_PASSWORD_FAILURES: Rule = Rule {
    name: "session-password",
    max: 5,
    per: SignedDuration::from_mins(15),
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
/// Invitations accepted (each hashes a password) from one client address.
pub const ACCEPT_PER_IP: Rule = Rule {
    name: "accept-ip",
    max: 10,
    per: SignedDuration::from_mins(15),
};
/// Contacts invited into one client account.
pub const INVITES_PER_CLIENT: Rule = Rule {
    name: "invites-client",
    max: 10,
    per: SignedDuration::from_hours(1),
};
/// Quotes asked from one client address (the endpoint is public).
pub const QUOTE_PER_IP: Rule = Rule {
    name: "quote-ip",
    max: 60,
    per: SignedDuration::from_mins(1),
};
/// Promotion codes refused for one client address, wherever they were
/// tried (quote, cart, order): guessing codes stays slow.
pub const PROMO_FAILURES_PER_IP: Rule = Rule {
    name: "promo-fail-ip",
    max: 20,
    per: SignedDuration::from_mins(15),
};
/// Guest carts made from one client address.
pub const GUEST_CARTS_PER_IP: Rule = Rule {
    name: "guest-cart-ip",
    max: 20,
    per: SignedDuration::from_hours(1),
};

/// Failures with a growing wait: `free` of them cost nothing, then the
/// next must wait `base`, then twice that, up to `cap`. A key with no
/// failure for `forget` starts again.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub name: &'static str,
    pub free: u32,
    pub base: SignedDuration,
    pub cap: SignedDuration,
    pub forget: SignedDuration,
}

impl Backoff {
    /// How long after the last of `failures` the next attempt must wait.
    fn wait_after(&self, failures: u32) -> SignedDuration {
        if failures < self.free {
            return SignedDuration::ZERO;
        }
        let doublings = (failures - self.free).min(20);
        let wait = self.base.as_secs().saturating_mul(1_i64 << doublings);
        SignedDuration::from_secs(wait.min(self.cap.as_secs()))
    }
}

/// The key a client address is limited under: an IPv4 address as it is,
/// an IPv6 address by its /64 (a subscriber's whole prefix is theirs to
/// rotate through), no address as `-`.
pub fn client_key(ip: Option<&str>) -> String {
    let Some(ip) = ip else {
        return "-".into();
    };
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_string(),
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Timestamp,
    per: SignedDuration,
    count: u32,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Timestamp,
    forget: SignedDuration,
}

type Key = (&'static str, String);

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<Key, Window>>,
    failures: Mutex<HashMap<Key, Failures>>,
}

/// Past this many keys, expired entries are swept on the next use.
const SWEEP_AT: usize = 10_000;

fn refused(left: SignedDuration) -> AppError {
    AppError::RateLimited {
        retry_after_secs: left.as_secs().max(1) as u64,
    }
}

impl RateLimiter {
    /// Count one attempt; refuse it when the window is full.
    pub fn hit(&self, rule: Rule, key: &str, now: Timestamp) -> Result<(), AppError> {
        self.with_window(rule, key, now, |w| {
            if w.count >= rule.max {
                return Err(refused(rule.per - now.duration_since(w.started)));
            }
            w.count += 1;
            Ok(())
        })
    }

    /// Refuse when the window is full, counting nothing (pair with `fail`).
    pub fn check(&self, rule: Rule, key: &str, now: Timestamp) -> Result<(), AppError> {
        self.with_window(rule, key, now, |w| {
            if w.count >= rule.max {
                Err(refused(rule.per - now.duration_since(w.started)))
            } else {
                Ok(())
            }
        })
    }

    /// Count one failure in the window.
    pub fn fail(&self, rule: Rule, key: &str, now: Timestamp) {
        let _ = self.with_window(rule, key, now, |w| {
            w.count = w.count.saturating_add(1);
            Ok(())
        });
    }

    fn with_window(
        &self,
        rule: Rule,
        key: &str,
        now: Timestamp,
        f: impl FnOnce(&mut Window) -> Result<(), AppError>,
    ) -> Result<(), AppError> {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, w| now.duration_since(w.started) < w.per);
        }
        let fresh = Window {
            started: now,
            per: rule.per,
            count: 0,
        };
        let window = windows
            .entry((rule.name, key.to_lowercase()))
            .or_insert(fresh);
        if now.duration_since(window.started) >= rule.per || now < window.started {
            *window = fresh;
        }
        f(window)
    }

    /// Refuse while `key` must still wait after its failures.
    pub fn check_backoff(&self, rule: Backoff, key: &str, now: Timestamp) -> Result<(), AppError> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let k = (rule.name, key.to_lowercase());
        let Some(f) = failures.get(&k).copied() else {
            return Ok(());
        };
        let since = now.duration_since(f.last);
        if since >= rule.forget || now < f.last {
            failures.remove(&k);
            return Ok(());
        }
        let wait = rule.wait_after(f.count);
        if since < wait {
            return Err(refused(wait - since));
        }
        Ok(())
    }

    /// Count one failure for `key`.
    pub fn record_failure(&self, rule: Backoff, key: &str, now: Timestamp) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= SWEEP_AT {
            failures.retain(|_, f| now.duration_since(f.last) < f.forget);
        }
        let entry = failures
            .entry((rule.name, key.to_lowercase()))
            .or_insert(Failures {
                count: 0,
                last: now,
                forget: rule.forget,
            });
        if now.duration_since(entry.last) >= rule.forget {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    /// Forget `key`'s failures (after a success).
    pub fn clear(&self, rule: Backoff, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&(rule.name, key.to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    fn secs(s: i64) -> SignedDuration {
        SignedDuration::from_secs(s)
    }

    #[test]
    fn a_full_window_refuses_until_it_passes() {
        let limiter = RateLimiter::default();
        let rule = Rule {
            name: "t",
            max: 2,
            per: secs(60),
        };
        assert!(limiter.hit(rule, "A", t0()).is_ok());
        assert!(limiter.hit(rule, "a", t0()).is_ok());
        let err = limiter.hit(rule, "a", t0() + secs(20)).unwrap_err();
        assert!(matches!(
            err,
            AppError::RateLimited {
                retry_after_secs: 40
            }
        ));
        // Another key has its own window.
        assert!(limiter.hit(rule, "b", t0()).is_ok());
        assert!(limiter.hit(rule, "a", t0() + secs(60)).is_ok());
    }

    #[test]
    fn check_and_fail_count_only_failures() {
        let limiter = RateLimiter::default();
        let rule = Rule {
            name: "f",
            max: 2,
            per: secs(60),
        };
        for _ in 0..10 {
            assert!(limiter.check(rule, "k", t0()).is_ok());
        }
        limiter.fail(rule, "k", t0());
        limiter.fail(rule, "k", t0());
        assert!(limiter.check(rule, "k", t0()).is_err());
        assert!(limiter.check(rule, "k", t0() + secs(60)).is_ok());
    }

    #[test]
    fn backoff_doubles_after_the_free_failures_up_to_its_cap() {
        let limiter = RateLimiter::default();
        let rule = Backoff {
            name: "b",
            free: 2,
            base: secs(10),
            cap: secs(35),
            forget: secs(3600),
        };
        let mut now = t0();
        for _ in 0..2 {
            limiter.check_backoff(rule, "k", now).unwrap();
            limiter.record_failure(rule, "k", now);
        }
        // Two free failures: the third attempt waits 10 s.
        assert!(matches!(
            limiter.check_backoff(rule, "k", now + secs(3)),
            Err(AppError::RateLimited {
                retry_after_secs: 7
            })
        ));
        now += secs(10);
        limiter.check_backoff(rule, "k", now).unwrap();
        limiter.record_failure(rule, "k", now);
        assert!(limiter.check_backoff(rule, "k", now + secs(19)).is_err());
        now += secs(20);
        limiter.check_backoff(rule, "k", now).unwrap();
        limiter.record_failure(rule, "k", now);
        // 40 s would be next; the cap holds it at 35 s.
        assert!(limiter.check_backoff(rule, "k", now + secs(34)).is_err());
        assert!(limiter.check_backoff(rule, "k", now + secs(35)).is_ok());
        // A success forgets it all.
        limiter.clear(rule, "K");
        assert!(limiter.check_backoff(rule, "k", now).is_ok());
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        assert_eq!(
            client_key(Some("2001:db8:1:2:aaaa::1")),
            client_key(Some("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        );
        assert_ne!(
            client_key(Some("2001:db8:1:2::1")),
            client_key(Some("2001:db8:1:3::1"))
        );
        assert_eq!(client_key(Some("203.0.113.9")), "203.0.113.9");
        assert_eq!(client_key(Some("::ffff:203.0.113.9")), "203.0.113.9");
        assert_eq!(client_key(None), "-");
    }
}
