//! Writing the audit trail. Every state change calls `record` inside the
//! same transaction as the change.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{domain::time::stamp, error::Result, store::audit};

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    System,
    Staff(i64),
    User(i64),
    ApiKey(i64),
}

impl From<&crate::auth::principal::Principal> for Actor {
    fn from(p: &crate::auth::principal::Principal) -> Self {
        use crate::auth::principal::Principal;
        match p {
            Principal::User(u) => Actor::User(u.user_id),
            Principal::Staff(s) => match s.api_key_id {
                Some(key) => Actor::ApiKey(key),
                None => Actor::Staff(s.staff_id),
            },
        }
    }
}

impl From<&crate::auth::principal::StaffPrincipal> for Actor {
    fn from(s: &crate::auth::principal::StaffPrincipal) -> Self {
        match s.api_key_id {
            Some(key) => Actor::ApiKey(key),
            None => Actor::Staff(s.staff_id),
        }
    }
}

impl Actor {
    fn parts(self) -> (&'static str, Option<i64>) {
        match self {
            Actor::System => ("system", None),
            Actor::Staff(id) => ("staff", Some(id)),
            Actor::User(id) => ("user", Some(id)),
            Actor::ApiKey(id) => ("api_key", Some(id)),
        }
    }
}

/// One audited event.
pub struct Event<'a> {
    pub actor: Actor,
    pub action: &'a str,
    pub subject: Option<(&'a str, i64)>,
    /// The client account this concerns, so its members see it in their feed.
    pub client_id: Option<i64>,
    pub ip: Option<&'a str>,
    pub details: serde_json::Value,
}

pub fn record(conn: &Connection, now: Timestamp, event: Event<'_>) -> Result<i64> {
    let (actor_type, actor_id) = event.actor.parts();
    let details = event.details.to_string();
    Ok(audit::insert(
        conn,
        &audit::NewAudit {
            occurred_at: &stamp(now),
            actor_type,
            actor_id,
            action: event.action,
            subject_type: event.subject.map(|s| s.0),
            subject_id: event.subject.map(|s| s.1),
            client_id: event.client_id,
            ip: event.ip,
            details: &details,
        },
    )?)
}

/// The newest entries of the whole audit trail, for staff holding
/// `audit:read`.
pub fn recent(
    db: &crate::db::Db,
    staff: &crate::auth::principal::StaffPrincipal,
    limit: i64,
) -> Result<Vec<audit::AuditRow>> {
    staff.require(crate::domain::scopes::Scope::AuditRead)?;
    db.read(|c| {
        Ok(audit::list(
            c,
            &audit::AuditFilter::default(),
            crate::store::PageRequest {
                page: 1,
                per_page: limit,
            },
        )?
        .rows)
    })
}
