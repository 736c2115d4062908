//! A client's services as records: list them and read one it owns.

use rusqlite::Connection;

use crate::{
    auth::principal::Principal,
    db::Db,
    domain::privileges::Privilege,
    error::{AppError, Result},
    service::{access::client_access, billing},
    store::{
        addons::{self, ServiceAddon},
        catalog::{self, Product},
        clients::Client,
        currencies::Currency,
        orders::{self, Service},
        service_changes::{self, CancellationRequest, ServiceChange},
    },
};

/// A service with what a client sees of it.
#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub service: Service,
    pub product: Product,
    pub currency: Currency,
    pub addons: Vec<ServiceAddon>,
    pub cancellation: Option<CancellationRequest>,
    pub pending_change: Option<ServiceChange>,
}

pub(crate) fn record(conn: &Connection, service: Service) -> Result<ServiceRecord> {
    let product =
        catalog::find_product(conn, &service.product_id.to_string())?.ok_or(AppError::NotFound)?;
    Ok(ServiceRecord {
        currency: billing::currency(conn, &service.currency)?,
        addons: addons::of_service(conn, service.id)?,
        cancellation: service_changes::cancellation_of(conn, service.id)?,
        pending_change: service_changes::pending_of_service(conn, service.id)?,
        product,
        service,
    })
}

/// The client's service `ident`, after the access check.
pub(crate) fn owned(
    conn: &Connection,
    principal: &Principal,
    client: &str,
    ident: &str,
    change: bool,
) -> Result<(Client, Service)> {
    let access = client_access(conn, principal, client)?;
    if change {
        access.require_change(Privilege::ServicesFull)?;
    } else {
        access.require(Privilege::ServicesFull)?;
    }
    let service = orders::find_service(conn, ident.trim())?
        .filter(|s| s.client_id == access.client.id)
        .ok_or(AppError::NotFound)?;
    Ok((access.client, service))
}

pub fn list(db: &Db, principal: &Principal, client: &str) -> Result<Vec<ServiceRecord>> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::ServicesFull)?;
        orders::services_of_client(c, access.client.id)?
            .into_iter()
            .map(|s| record(c, s))
            .collect()
    })
}

pub fn get(db: &Db, principal: &Principal, client: &str, service: &str) -> Result<ServiceRecord> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        record(c, s)
    })
}
