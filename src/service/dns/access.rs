//! Who may see and change a zone: the client's services privilege for a
//! service's zone, its domains privilege for a domain's; another client's
//! zone is a 404.

use rusqlite::Connection;

use crate::{
    auth::principal::Principal,
    domain::privileges::Privilege,
    error::{AppError, Result},
    service::access::{ClientAccess, client_access},
    store::dns_zones::{self, Zone},
};

pub(super) fn privilege_for(zone: &Zone) -> Privilege {
    if zone.service_id.is_none() && zone.domain_id.is_some() {
        Privilege::DomainsFull
    } else {
        Privilege::ServicesFull
    }
}

/// The client's live zone `ident`, after the access check (`change`: the
/// caller means to write).
pub(super) fn owned_zone(
    conn: &Connection,
    principal: &Principal,
    client: &str,
    ident: &str,
    change: bool,
) -> Result<(ClientAccess, Zone)> {
    let access = client_access(conn, principal, client)?;
    let zone = ident
        .trim()
        .parse::<i64>()
        .ok()
        .map(|id| dns_zones::find(conn, id))
        .transpose()?
        .flatten()
        .filter(|z| z.client_id == access.client.id)
        .ok_or(AppError::NotFound)?;
    let p = privilege_for(&zone);
    if change {
        access.require_change(p)?;
    } else {
        access.require(p)?;
    }
    Ok((access, zone))
}
