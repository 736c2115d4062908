//! What a module call is about, read (and secrets opened) in one read.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{keys::AuthKeys, sealed},
    error::{AppError, Result},
    integrations::outbound::TargetPolicy,
    store::{
        catalog::{self, Product},
        clients::{self, Client},
        servers,
        services::{self, ServiceRecord},
    },
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

/// Read everything a module call on `service_id` needs.
pub fn load_context(
    conn: &Connection,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    service_id: i64,
    payload: serde_json::Value,
    now: Timestamp,
) -> Result<ModuleContext> {
    let service = services::find_by_id(conn, service_id)?.ok_or(AppError::NotFound)?;
    let product =
        catalog::find_product(conn, &service.product_id.to_string())?.ok_or(AppError::NotFound)?;
    let client = clients::find(conn, service.client_id)?.ok_or(AppError::NotFound)?;
    let server = match service.server_id {
        Some(id) => servers::find(conn, &id.to_string())?.map(|s| ServerAccess {
            id: s.id,
            secret: s
                .secret
                .as_deref()
                .and_then(|b| sealed::open(&keys.credentials, SERVER_SECRET, b))
                .unwrap_or_default(),
            hostname: s.hostname,
            address: s.address,
            scheme: s.scheme,
            port: s.port,
            username: s.username,
            targets: targets.clone(),
        }),
        None => None,
    };
    let (_, secret) = servers::product_provisioning(conn, product.id)?;
    let module_secret = secret
        .as_deref()
        .and_then(|b| sealed::open(&keys.credentials, PRODUCT_SECRET, b));
    let settings = serde_json::from_str(&product.module_settings).unwrap_or_default();
    Ok(ModuleContext {
        service,
        product,
        client,
        server,
        settings,
        module_secret,
        payload,
        now,
        targets: targets.clone(),
    })
}
