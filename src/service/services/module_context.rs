//! Reading what a module call on a service needs, in one read, with the
//! server's and product's secrets opened.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{keys::AuthKeys, sealed},
    error::{AppError, Result},
    integrations::{
        outbound::TargetPolicy,
        provisioning::{ModuleContext, PRODUCT_SECRET, SERVER_SECRET, ServerAccess},
    },
    store::{catalog, clients, servers, services},
};

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
