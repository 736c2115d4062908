//! `check` and `bulk_check`: is a name free, where did the answer come
//! from, and what does it cost the caller. Reference 000's
//! `DomainAvailability`: a definite answer is `available` or
//! `unavailable`; a registry that did not answer (rate limited, down, too
//! slow) gives `provisional_available` with `available: null`; a TLD with
//! no lookup source at all gives the reference's manual fallback
//! (`provisional_available`, `manual_registration`, `manual_fallback`).
//!
//! Every name counts against the caller's address (`[domains]
//! check_rate_per_minute`), cached or not; lookups run outside any
//! database work, a bulk check at most `bulk_concurrency` at a time.

use jiff::Timestamp;

use crate::{
    auth::{
        principal::Principal,
        rate_limit::{self, RateLimiter},
    },
    db::Db,
    domain::domain_name::DomainName,
    error::{AppError, FieldErrors, Result},
    integrations::lookup::Source,
    service::catalog::tlds::{self, PricedTld},
    store::currencies::Currency,
};

use super::{
    BULK_MAX, DomainChecker,
    answers::look_up_all,
    names::resolve,
    pricing::{self, TldPricing},
};

/// Who is asking: for the currency and the address limit.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub principal: Option<Principal>,
    /// The client account named (`X-Client-Id`, the page's account).
    pub client: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Available,
    Unavailable,
    ProvisionalAvailable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Available => "available",
            Status::Unavailable => "unavailable",
            Status::ProvisionalAvailable => "provisional_available",
        }
    }
}

#[derive(Debug, Clone)]
pub struct DomainAvailability {
    pub name: DomainName,
    /// The sold TLD it falls under, with its dot: `.com.gh`.
    pub tld: String,
    pub status: Status,
    /// `None`: no lookup source for this TLD (the manual fallback).
    pub source: Option<Source>,
    /// Staff register it by hand: the TLD says so, or nothing could be asked.
    pub manual_registration: bool,
    /// Why the answer is provisional (`timeout`, `rate_limited`, ...).
    pub reason: Option<String>,
    /// `None` when the TLD has no price in the caller's currency.
    pub pricing: Option<TldPricing>,
    /// The answer was given earlier and reused.
    pub cached: bool,
    /// When the registry (or the fallback) gave this answer.
    pub checked_at: Timestamp,
}

impl DomainAvailability {
    /// `true`, `false`, or `None` while provisional.
    pub fn available(&self) -> Option<bool> {
        match self.status {
            Status::Available => Some(true),
            Status::Unavailable => Some(false),
            Status::ProvisionalAvailable => None,
        }
    }
}

/// `POST /domains/check`: one name (the field is `domain`).
pub async fn check(
    db: &Db,
    checker: &DomainChecker,
    limiter: &RateLimiter,
    caller: Caller,
    name: &str,
    now: Timestamp,
) -> Result<DomainAvailability> {
    let mut all = run(
        db,
        checker,
        limiter,
        caller,
        &[name.to_string()],
        |_| "domain".into(),
        now,
    )
    .await?;
    all.pop()
        .ok_or_else(|| AppError::internal("a check answered nothing"))
}

/// `POST /domains/bulk-check`: up to 20 names (fields `domains.N`), in the
/// order given, each once.
pub async fn bulk_check(
    db: &Db,
    checker: &DomainChecker,
    limiter: &RateLimiter,
    caller: Caller,
    names: &[String],
    now: Timestamp,
) -> Result<Vec<DomainAvailability>> {
    if names.is_empty() || names.len() > BULK_MAX {
        return Err(AppError::invalid(
            "domains",
            format!("must list between 1 and {BULK_MAX} domain names"),
        ));
    }
    run(
        db,
        checker,
        limiter,
        caller,
        names,
        |i| format!("domains.{i}"),
        now,
    )
    .await
}

/// What the database says for a check: the sold TLDs and the currency.
pub(super) async fn catalog_for(db: &Db, caller: &Caller) -> Result<(Vec<PricedTld>, Currency)> {
    let (principal, client) = (caller.principal.clone(), caller.client.clone());
    db.run(move |db| {
        let sold = tlds::public_list(db)?;
        let currency =
            db.read(|c| pricing::caller_currency(c, principal.as_ref(), client.as_deref()))?;
        Ok((sold, currency))
    })
    .await
}

pub(super) fn count_against(
    checker: &DomainChecker,
    limiter: &RateLimiter,
    caller: &Caller,
    names: usize,
    now: Timestamp,
) -> Result<()> {
    let key = rate_limit::client_key(caller.ip.as_deref());
    (0..names).try_for_each(|_| limiter.hit(checker.rule, &key, now))
}

#[allow(clippy::too_many_arguments)]
async fn run(
    db: &Db,
    checker: &DomainChecker,
    limiter: &RateLimiter,
    caller: Caller,
    names: &[String],
    field: impl Fn(usize) -> String,
    now: Timestamp,
) -> Result<Vec<DomainAvailability>> {
    count_against(checker, limiter, &caller, names.len(), now)?;
    let (sold, currency) = catalog_for(db, &caller).await?;
    let mut errors = FieldErrors::new();
    let mut wanted: Vec<(DomainName, &PricedTld)> = Vec::new();
    for (i, text) in names.iter().enumerate() {
        match resolve(checker, &sold, text) {
            Ok((name, _)) if wanted.iter().any(|(n, _)| *n == name) => {}
            Ok(found) => wanted.push(found),
            Err(message) => {
                errors.entry(field(i)).or_default().push(message);
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(look_up_all(checker, &wanted, &currency, now).await)
}
