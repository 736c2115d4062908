//! The addons a service holds.

use rusqlite::Connection;

use crate::domain::status::ServiceStatus;
use crate::{
    auth::principal::Principal,
    db::Db,
    error::Result,
    service::services::service_actions::owned,
    store::{
        addons::{self, ServiceAddon},
        catalog,
        orders::Service,
    },
};

/// An addon the service holds, with its name.
#[derive(Debug, Clone)]
pub struct HeldAddon {
    pub addon: ServiceAddon,
    pub name: String,
    /// The addon's own status, or its service's when the service has
    /// ended (an addon lives no longer than its service).
    pub status: String,
}

pub(super) fn held(conn: &Connection, s: &Service) -> Result<Vec<HeldAddon>> {
    let ended = matches!(
        s.status,
        ServiceStatus::Cancelled | ServiceStatus::Terminated
    );
    addons::of_service(conn, s.id)?
        .into_iter()
        .map(|a| {
            let name = addons::find(conn, &a.addon_id.to_string())?
                .map(|x| x.name)
                .unwrap_or_default();
            let status = if ended && a.status != ServiceStatus::Cancelled {
                s.status.to_string()
            } else {
                a.status.to_string()
            };
            Ok(HeldAddon {
                addon: a,
                name,
                status,
            })
        })
        .collect()
}

/// A client's service and the addons it holds.
#[derive(Debug, Clone)]
pub struct ServiceAddons {
    pub service: Service,
    /// What the client calls the service: its label, else its product.
    pub name: String,
    pub held: Vec<HeldAddon>,
}

/// The addons of a client's service.
pub fn list(db: &Db, principal: &Principal, client: &str, service: &str) -> Result<ServiceAddons> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        let name = match s.label.clone() {
            Some(label) => label,
            None => catalog::find_product(c, &s.product_id.to_string())?
                .map(|p| p.name)
                .unwrap_or_default(),
        };
        Ok(ServiceAddons {
            held: held(c, &s)?,
            name,
            service: s,
        })
    })
}
