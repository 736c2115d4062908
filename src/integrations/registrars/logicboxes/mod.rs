//! The LogicBoxes HTTP API, which ResellerClub, BigRock, NetEarthOne and
//! other resellers of the same platform speak. Orders are made with no
//! invoice at LogicBoxes (till bills the customer) and without
//! LogicBoxes' own auto-renewal (till's renewals decide).
//!
//! - `client`: the HTTP call, its authentication and error mapping.
//! - `orders`: reading order details and action results.
//! - `contacts`: customers and contacts behind an order.
//! - `dns`: the DNS LogicBoxes hosts.

mod client;
mod contacts;
mod dns;
mod ops;
mod orders;

use serde::Deserialize;

use self::client::Client;
use crate::{config::Secret, integrations::outbound::TargetPolicy};

/// Production; `https://test.httpapi.com/api/` is the test platform.
pub const PRODUCTION_URL: &str = "https://httpapi.com/api/";
pub const TEST_URL: &str = "https://test.httpapi.com/api/";

/// A reseller account at LogicBoxes.
#[derive(Debug, Clone, Deserialize)]
pub struct LogicBoxesConfig {
    #[serde(default = "default_url")]
    pub base_url: String,
    /// The reseller id.
    pub auth_userid: String,
    pub api_key: Secret,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// The domains' zones are LogicBoxes' DNS (its `dns/manage` calls)
    /// rather than till's DNS hosting.
    #[serde(default)]
    pub dns_hosting: bool,
}

fn default_url() -> String {
    PRODUCTION_URL.to_string()
}

fn default_timeout() -> u64 {
    60
}

pub struct LogicBoxes {
    config: LogicBoxesConfig,
    policy: TargetPolicy,
}

impl LogicBoxes {
    pub fn new(config: LogicBoxesConfig, policy: TargetPolicy) -> LogicBoxes {
        LogicBoxes { config, policy }
    }

    fn api(&self) -> Client<'_> {
        Client {
            config: &self.config,
            policy: &self.policy,
        }
    }
}
