//! Promotion codes are worth guessing, and the quote that checks one is
//! public. So every refusal answers one message whatever the reason (see
//! `promotions::NOT_VALID`: a missing code and an existing one that does
//! not apply look the same), quotes are limited per client address, and
//! refused codes count against the address wherever they were tried
//! (quote, cart, order).

use jiff::Timestamp;

use crate::{
    auth::{
        principal::{Principal, RequestMeta},
        rate_limit::{self, RateLimiter},
    },
    db::Db,
    error::{AppError, Result},
    service::sales::orders::{self, ItemRequest, Quote},
};

/// Run `attempt`, which may refuse `code`, within the address's budget of
/// refused codes. Without a code there is nothing to guess.
pub fn attempt<T>(
    limiter: &RateLimiter,
    meta: &RequestMeta,
    code: Option<&str>,
    now: Timestamp,
    attempt: impl FnOnce() -> Result<T>,
) -> Result<T> {
    if code.is_none_or(|c| c.trim().is_empty()) {
        return attempt();
    }
    let key = rate_limit::client_key(meta.ip.as_deref());
    limiter.check(rate_limit::PROMO_FAILURES_PER_IP, &key, now)?;
    let result = attempt();
    if let Err(AppError::Validation(errors)) = &result
        && (errors.contains_key("promo_code") || errors.contains_key("code"))
    {
        limiter.fail(rate_limit::PROMO_FAILURES_PER_IP, &key, now);
    }
    result
}

/// `POST /orders/quote`: price a cart for anyone, within the limits.
#[allow(clippy::too_many_arguments)]
pub fn quote(
    db: &Db,
    limiter: &RateLimiter,
    meta: &RequestMeta,
    principal: Option<&Principal>,
    client: Option<&str>,
    items: &[ItemRequest],
    promo_code: Option<&str>,
    now: Timestamp,
) -> Result<Quote> {
    limiter.hit(
        rate_limit::QUOTE_PER_IP,
        &rate_limit::client_key(meta.ip.as_deref()),
        now,
    )?;
    attempt(limiter, meta, promo_code, now, || {
        db.read(|c| orders::quote_for(c, principal, client, items, promo_code, now))
    })
}
