//! The rate limits of one login attempt (customers' and staff's alike):
//! every attempt counts against the client's address, only failures
//! against the account, and those slow the next attempt down instead of
//! locking the account (`rate_limit::LOGIN_FAILURES_*`), so guessing
//! cannot keep the owner out.

use jiff::Timestamp;

use crate::{
    auth::{
        principal::RequestMeta,
        rate_limit::{self, RateLimiter},
    },
    error::Result,
    service::Ctx,
};

/// The rate limits of one login attempt, for customers and staff alike
/// (staff accounts are keyed apart).
pub struct LoginGuard<'a> {
    limiter: &'a RateLimiter,
    ip: String,
    account: String,
    account_ip: String,
}

impl<'a> LoginGuard<'a> {
    /// `account` is the email as given (staff emails are given a prefix by
    /// the caller, so a customer's failures never slow a staff login).
    pub fn new(ctx: &'a Ctx, account: &str, meta: &RequestMeta) -> Self {
        let ip = rate_limit::client_key(meta.ip.as_deref());
        Self {
            limiter: &ctx.limiter,
            account_ip: format!("{account}|{ip}"),
            account: account.to_string(),
            ip,
        }
    }

    /// Count the attempt against the address; refuse while the account
    /// (from here, or from anywhere) must still wait after its failures.
    pub fn check(&self, now: Timestamp) -> Result<()> {
        self.limiter.hit(rate_limit::LOGIN_PER_IP, &self.ip, now)?;
        self.limiter.check_backoff(
            rate_limit::LOGIN_FAILURES_PER_ACCOUNT_IP,
            &self.account_ip,
            now,
        )?;
        self.limiter
            .check_backoff(rate_limit::LOGIN_FAILURES_PER_ACCOUNT, &self.account, now)
    }

    pub fn failed(&self, now: Timestamp) {
        self.limiter.record_failure(
            rate_limit::LOGIN_FAILURES_PER_ACCOUNT_IP,
            &self.account_ip,
            now,
        );
        self.limiter
            .record_failure(rate_limit::LOGIN_FAILURES_PER_ACCOUNT, &self.account, now);
    }

    /// A right password from here: this address starts afresh. The
    /// account-wide count stays, so a guesser elsewhere gains nothing.
    pub fn succeeded(&self) {
        self.limiter
            .clear(rate_limit::LOGIN_FAILURES_PER_ACCOUNT_IP, &self.account_ip);
    }
}
