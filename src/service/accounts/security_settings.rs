//! Instance-wide security settings, kept in `settings`. Today one: whether
//! every staff member must use two-factor authentication. When it is on,
//! a staff member without 2FA who logs in to the admin area is sent to set
//! it up before any other page opens (`web_sessions::authenticate` marks
//! the session).

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::Result,
    service::audit::{self, Actor, Event},
    store::settings,
};

pub const REQUIRE_STAFF_TWO_FACTOR: &str = "security.require_staff_two_factor";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SecuritySettings {
    pub require_staff_two_factor: bool,
}

/// The settings as stored (absent: off).
pub fn load(conn: &Connection) -> Result<SecuritySettings> {
    Ok(SecuritySettings {
        require_staff_two_factor: settings::get(conn, REQUIRE_STAFF_TWO_FACTOR)?.as_deref()
            == Some("true"),
    })
}

pub fn get(db: &Db, staff: &StaffPrincipal) -> Result<SecuritySettings> {
    staff.require(Scope::SystemRead)?;
    db.read(load)
}

/// Change them (`security:write`, admins only).
pub fn save(
    db: &Db,
    staff: &StaffPrincipal,
    wanted: SecuritySettings,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<SecuritySettings> {
    staff.require(Scope::SecurityWrite)?;
    db.write(|tx| {
        let before = load(tx)?;
        settings::put(
            tx,
            REQUIRE_STAFF_TWO_FACTOR,
            if wanted.require_staff_two_factor {
                "true"
            } else {
                "false"
            },
            &stamp(now),
        )?;
        if before != wanted {
            audit::record(
                tx,
                now,
                Event {
                    actor: Actor::from(&Principal::Staff(staff.clone())),
                    action: "settings.security_changed",
                    subject: None,
                    client_id: None,
                    ip: meta.ip.as_deref(),
                    details: serde_json::json!({
                        "require_staff_two_factor": wanted.require_staff_two_factor,
                    }),
                },
            )?;
        }
        Ok(wanted)
    })
}
