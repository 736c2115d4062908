//! What a module call is about: the service, its product, client and
//! server (secrets opened), read by `service::services::module_context`.

use jiff::Timestamp;

use crate::{
    integrations::outbound::TargetPolicy,
    store::{catalog::Product, clients::Client, services::ServiceRecord},
};

/// Purpose labels bound into sealed secrets.
pub const SERVER_SECRET: &[u8] = b"till server secret v1";
pub const PRODUCT_SECRET: &[u8] = b"till product module secret v1";

/// A server as a module needs it, with its secret opened.
#[derive(Clone)]
pub struct ServerAccess {
    pub id: i64,
    pub hostname: String,
    pub address: String,
    pub scheme: String,
    pub port: Option<i64>,
    pub username: String,
    pub secret: String,
    /// Which internal addresses the module may call; by default none.
    pub targets: TargetPolicy,
}

impl std::fmt::Debug for ServerAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerAccess({} {})", self.id, self.hostname)
    }
}

impl ServerAccess {
    /// `scheme://host:port` with the module's default port.
    pub fn base_url(&self, default_port: i64) -> String {
        let host = if self.address.is_empty() {
            &self.hostname
        } else {
            &self.address
        };
        // An IPv6 address goes in brackets, or its colons read as a port.
        let host = match host.parse::<std::net::Ipv6Addr>() {
            Ok(v6) => format!("[{v6}]"),
            Err(_) => host.to_string(),
        };
        format!(
            "{}://{}:{}",
            self.scheme,
            host,
            self.port.unwrap_or(default_port)
        )
    }
}

pub struct ModuleContext {
    pub service: ServiceRecord,
    pub product: Product,
    pub client: Client,
    pub server: Option<ServerAccess>,
    pub settings: serde_json::Value,
    /// The product's module secret (the webhook signing key), opened.
    pub module_secret: Option<String>,
    pub payload: serde_json::Value,
    pub now: Timestamp,
    /// Which internal addresses the module may call (webhook URL, server).
    pub targets: TargetPolicy,
}

impl ModuleContext {
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.get(key).and_then(|v| v.as_str())
    }
}
