//! Is a domain name free? The lookup sources and what they answered, with
//! no opinion on what that means for a sale (that is
//! `service::domains::availability`):
//! - `rdap`: RDAP over HTTPS (RFC 9082/9083), the registries' own answer;
//! - `bootstrap`: which RDAP server answers for a TLD (RFC 9224), built in
//!   and refreshable; `[domains] rdap_base_url` replaces it for every TLD;
//! - `whois`: port 43, for TLDs without RDAP, servers per TLD in config.
//!
//! These servers are chosen by the operator (the config) or by IANA (the
//! bootstrap), never by a customer: a customer's name only fills the query
//! path. So, like VIES and the gateways, they are trusted targets and are
//! not held to `outbound::TargetPolicy` (which guards addresses that come
//! from data staff type in); a test or a private registry on loopback
//! needs no `allow_private_targets` entry.

pub mod bootstrap;
pub mod rdap;
pub mod whois;

use std::time::Duration;

use crate::{config::DomainsConfig, domain::domain_name::DomainName};

pub use bootstrap::Bootstrap;

/// What a source said about one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupAnswer {
    Available,
    Taken,
    /// No answer about the name: why (`timeout`, `rate_limited`, ...).
    Unknown(String),
}

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Rdap,
    Whois,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Rdap => "rdap",
            Source::Whois => "whois",
        }
    }
}

/// The sources for every TLD, built once from the config and the bootstrap.
pub struct Lookups {
    config: DomainsConfig,
    bootstrap: Bootstrap,
    http: reqwest::Client,
}

impl Lookups {
    pub fn new(config: &DomainsConfig, bootstrap: Bootstrap) -> Lookups {
        Lookups {
            http: rdap::client(Self::timeout_of(config)),
            config: config.clone(),
            bootstrap,
        }
    }

    fn timeout_of(config: &DomainsConfig) -> Duration {
        Duration::from_millis(config.lookup_timeout_ms)
    }

    pub fn bootstrap(&self) -> &Bootstrap {
        &self.bootstrap
    }

    /// The source that would be asked about `name`, if any: RDAP (the
    /// configured server, else the bootstrap's), else a WHOIS server.
    pub fn source_for(&self, name: &DomainName) -> Option<Source> {
        let suffixes = name.suffixes();
        if !self.config.rdap_base_url.is_empty() || self.bootstrap.base_for(&suffixes).is_some() {
            Some(Source::Rdap)
        } else if self.whois_for(&suffixes).is_some() {
            Some(Source::Whois)
        } else {
            None
        }
    }

    fn whois_for(&self, suffixes: &[&str]) -> Option<&crate::config::WhoisServerConfig> {
        suffixes.iter().find_map(|s| {
            self.config
                .whois_servers
                .iter()
                .find(|(tld, _)| tld.trim_start_matches('.').eq_ignore_ascii_case(s))
                .map(|(_, w)| w)
        })
    }

    /// Whether a TLD label is one any source knows (for telling an
    /// unknown ending from one that is just not sold).
    pub fn knows_tld(&self, label: &str) -> bool {
        self.bootstrap.knows(label) || self.whois_for(&[label]).is_some()
    }

    /// Ask the source for `name`; `None` when there is none.
    pub async fn ask(&self, name: &DomainName) -> Option<(Source, LookupAnswer)> {
        let suffixes = name.suffixes();
        if !self.config.rdap_base_url.is_empty() {
            let base = with_slash(&self.config.rdap_base_url);
            return Some((
                Source::Rdap,
                rdap::query(&self.http, &base, name.ascii()).await,
            ));
        }
        if let Some(base) = self.bootstrap.base_for(&suffixes) {
            return Some((
                Source::Rdap,
                rdap::query(&self.http, base, name.ascii()).await,
            ));
        }
        let w = self.whois_for(&suffixes)?;
        let answer = whois::query(
            &w.server,
            &w.available_pattern,
            name.ascii(),
            Self::timeout_of(&self.config),
        )
        .await;
        Some((Source::Whois, answer))
    }
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}
