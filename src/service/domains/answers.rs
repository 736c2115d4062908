//! Asking the lookup sources (or the cache) about checked names, a few at
//! a time, and turning what they said into `DomainAvailability`.

use futures_util::{StreamExt, stream};
use jiff::Timestamp;

use crate::{
    domain::domain_name::DomainName, integrations::lookup::LookupAnswer,
    service::catalog::tlds::PricedTld, store::currencies::Currency,
};

use super::{
    DomainChecker,
    availability::{DomainAvailability, Status},
    pricing,
};

pub(super) async fn look_up_all(
    checker: &DomainChecker,
    wanted: &[(DomainName, &PricedTld)],
    currency: &Currency,
    now: Timestamp,
) -> Vec<DomainAvailability> {
    stream::iter(wanted.iter())
        .map(|(name, tld)| look_up(checker, name, tld, currency, now))
        .buffered(checker.concurrency)
        .collect()
        .await
}

async fn look_up(
    checker: &DomainChecker,
    name: &DomainName,
    tld: &PricedTld,
    currency: &Currency,
    now: Timestamp,
) -> DomainAvailability {
    let (found, cached, checked_at) = match checker.cache.get(name.ascii(), now) {
        Some(c) => (Some((c.source, c.answer)), true, c.at),
        None => {
            let found = checker.lookups.ask(name).await;
            if let Some((source, answer)) = &found {
                checker.cache.put(name.ascii(), *source, answer, now);
            }
            (found, false, now)
        }
    };
    let manual = tld.tld.requires_manual_check;
    let (status, source, manual_registration, reason) = match found {
        Some((s, LookupAnswer::Available)) => (Status::Available, Some(s), manual, None),
        Some((s, LookupAnswer::Taken)) => (Status::Unavailable, Some(s), manual, None),
        Some((s, LookupAnswer::Unknown(why))) => {
            tracing::info!(domain = name.ascii(), source = s.as_str(), reason = %why, "domain lookup gave no answer");
            (Status::ProvisionalAvailable, Some(s), manual, Some(why))
        }
        None => (
            Status::ProvisionalAvailable,
            None,
            true,
            Some("no_lookup_source".to_string()),
        ),
    };
    DomainAvailability {
        name: name.clone(),
        tld: tld.tld.tld.clone(),
        status,
        source,
        manual_registration,
        reason,
        pricing: pricing::for_currency(tld, currency),
        cached,
        checked_at,
    }
}
