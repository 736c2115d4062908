//! Reference 000's `DomainAvailabilityResponse` and `DomainAvailability`,
//! with what till adds in its style: both forms of the name, the TLD, why
//! an answer is provisional, whether it came from the cache and when it
//! was given, and `pricing` as the TLD's prices in the caller's currency.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{money::Money, time::stamp},
    service::{
        billing,
        domains::{DomainAvailability, TldPricing},
    },
};

/// One term's prices; `renew` and `transfer` are null where not offered.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainTermView {
    pub years: i64,
    pub register: Money,
    pub renew: Option<Money>,
    pub transfer: Option<Money>,
}

/// The TLD's prices in the caller's currency: the shortest term at the
/// top, every term in `terms`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainPricingView {
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = ".com")]
    pub tld: String,
    pub years: i64,
    pub register: Money,
    pub renew: Option<Money>,
    pub transfer: Option<Money>,
    pub terms: Vec<DomainTermView>,
}

/// Reference 000 `DomainAvailability`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainAvailabilityView {
    /// As people read it (Unicode for an IDN).
    #[schema(example = "example.com.gh")]
    pub domain: String,
    /// As registries read it (punycode for an IDN).
    #[schema(example = "example.com.gh")]
    pub domain_ascii: String,
    #[schema(example = ".com.gh")]
    pub tld: String,
    /// available, unavailable or provisional_available.
    #[schema(example = "provisional_available")]
    pub status: &'static str,
    /// Null while provisional.
    pub available: Option<bool>,
    pub manual_registration: bool,
    pub provisional: bool,
    /// rdap, whois or manual_fallback.
    #[schema(example = "manual_fallback")]
    pub source: &'static str,
    /// Why it is provisional: timeout, rate_limited, no_lookup_source, ...
    pub reason: Option<String>,
    /// Null when the TLD has no price in the caller's currency.
    pub pricing: Option<DomainPricingView>,
    /// The answer was reused from a recent check.
    pub cached: bool,
    /// When the answer was given (RFC 3339).
    pub checked_at: String,
}

/// Reference 000 `DomainAvailabilityResponse`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainAvailabilityResponse {
    pub success: bool,
    pub data: DomainAvailabilityView,
}

/// The bulk answer: one `DomainAvailability` per name, in the order asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDomainAvailabilityResponse {
    pub success: bool,
    pub data: Vec<DomainAvailabilityView>,
}

fn term(p: &crate::store::tlds::TldPrice, pricing: &TldPricing) -> DomainTermView {
    let m = |minor: i64| billing::money(minor, &pricing.currency);
    DomainTermView {
        years: p.years,
        register: m(p.register),
        renew: p.renew.map(m),
        transfer: p.transfer.map(m),
    }
}

fn pricing_view(tld: &str, pricing: &TldPricing) -> Option<DomainPricingView> {
    let first = pricing.terms.first()?;
    let top = term(first, pricing);
    Some(DomainPricingView {
        currency: pricing.currency.code.clone(),
        tld: tld.to_string(),
        years: top.years,
        register: top.register,
        renew: top.renew,
        transfer: top.transfer,
        terms: pricing.terms.iter().map(|p| term(p, pricing)).collect(),
    })
}

pub fn availability_view(a: &DomainAvailability) -> DomainAvailabilityView {
    DomainAvailabilityView {
        domain: a.name.unicode().to_string(),
        domain_ascii: a.name.ascii().to_string(),
        tld: a.tld.clone(),
        status: a.status.as_str(),
        available: a.available(),
        manual_registration: a.manual_registration,
        provisional: a.available().is_none(),
        source: a.source.map_or("manual_fallback", |s| s.as_str()),
        reason: a.reason.clone(),
        pricing: a.pricing.as_ref().and_then(|p| pricing_view(&a.tld, p)),
        cached: a.cached,
        checked_at: stamp(a.checked_at),
    }
}
