//! An addon held by a service: the row and reading it.

use rusqlite::{Connection, Row, params};

use crate::domain::status::ServiceStatus;

/// An addon a service was ordered with.
#[derive(Debug, Clone)]
pub struct ServiceAddon {
    pub id: i64,
    pub uuid: String,
    pub service_id: i64,
    pub addon_id: i64,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount: i64,
    pub status: ServiceStatus,
    pub next_due_date: Option<String>,
}

pub(super) const SERVICE_ADDON_COLUMNS: &str = "id, uuid, service_id, addon_id, billing_cycle, currency, \
     recurring_amount, status, next_due_date";

pub(super) fn service_addon_from_row(r: &Row<'_>) -> rusqlite::Result<ServiceAddon> {
    Ok(ServiceAddon {
        id: r.get(0)?,
        uuid: r.get(1)?,
        service_id: r.get(2)?,
        addon_id: r.get(3)?,
        billing_cycle: r.get(4)?,
        currency: r.get(5)?,
        recurring_amount: r.get(6)?,
        status: r.get(7)?,
        next_due_date: r.get(8)?,
    })
}

pub fn of_service(conn: &Connection, service_id: i64) -> rusqlite::Result<Vec<ServiceAddon>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVICE_ADDON_COLUMNS} FROM service_addons WHERE service_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([service_id], service_addon_from_row)?;
    rows.collect()
}

/// Does the service hold this addon (pending or active)?
pub fn holds(conn: &Connection, service_id: i64, addon_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM service_addons WHERE service_id = ?1 AND addon_id = ?2
            AND status IN ('pending', 'active', 'suspended'))",
    )?
    .query_row(params![service_id, addon_id], |r| r.get(0))
}
