//! `DomainChecker`: the lookup sources and the answer cache, built once at
//! start-up and held in `AppState`, with the per-address limit the
//! config sets.

use jiff::SignedDuration;

use crate::{
    auth::rate_limit::Rule,
    config::Config,
    integrations::lookup::{Bootstrap, Lookups},
};

use super::cache::AnswerCache;

pub struct DomainChecker {
    pub(super) lookups: Lookups,
    pub(super) cache: AnswerCache,
    pub(super) rule: Rule,
    pub(super) concurrency: usize,
}

impl DomainChecker {
    /// From `[domains]`, with the newer of the built-in and the saved
    /// bootstrap (`<data_dir>/rdap-dns.json`).
    pub fn from_config(config: &Config) -> DomainChecker {
        let d = &config.domains;
        DomainChecker {
            lookups: Lookups::new(d, Bootstrap::load(&config.data_dir)),
            cache: AnswerCache::new(d.cache_seconds),
            rule: Rule {
                name: "domain-check-ip",
                max: d.check_rate_per_minute,
                per: SignedDuration::from_mins(1),
            },
            concurrency: d.bulk_concurrency.max(1),
        }
    }

    /// When the RDAP bootstrap in use was published.
    pub fn bootstrap_publication(&self) -> &str {
        &self.lookups.bootstrap().publication
    }
}
