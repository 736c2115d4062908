//! Who may see and do what for a client account. Every client-scoped
//! service function starts here: a client the principal may not see is a
//! 404, a missing privilege (or, for staff, the scope matching it) is a
//! 403. Staff reach a client with `clients:read`.

use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, StaffPrincipal},
    domain::{
        privileges::{Privilege, Privileges},
        scopes::Scope,
    },
    error::{AppError, Result},
    store::{clients::Client, memberships},
};

#[derive(Debug, Clone)]
pub enum Grant {
    Owner,
    Contact {
        membership_id: i64,
        privileges: Privileges,
    },
    Staff(StaffPrincipal),
}

#[derive(Debug, Clone)]
pub struct ClientAccess {
    pub client: Client,
    pub grant: Grant,
}

impl ClientAccess {
    /// Whether the principal may see what `p` covers for this client. A
    /// staff member needs the scope that reaches the same data (see
    /// `Privilege::staff_scopes`): `clients:read` opens the client, not
    /// its invoices or services.
    pub fn can(&self, p: Privilege) -> bool {
        match &self.grant {
            Grant::Owner => true,
            Grant::Staff(staff) => staff.require(p.staff_scopes().0).is_ok(),
            Grant::Contact { privileges, .. } => privileges.contains(p),
        }
    }

    pub fn require(&self, p: Privilege) -> Result<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// For changes: a customer needs `p`; staff need the write scope of
    /// what `p` covers (`billing:write` to pay, `services:write` to
    /// cancel a service, `clients:write` for the profile and contacts).
    pub fn require_change(&self, p: Privilege) -> Result<()> {
        match &self.grant {
            Grant::Staff(staff) => staff.require(p.staff_scopes().1),
            _ => self.require(p),
        }
    }

    /// The privileges a principal holds here (owners and staff: all).
    pub fn privileges(&self) -> Privileges {
        match &self.grant {
            Grant::Owner | Grant::Staff(_) => Privileges::all(),
            Grant::Contact { privileges, .. } => privileges.clone(),
        }
    }

    /// `owner`, `contact` or `staff`, as reference 000's `Client.role`.
    pub fn role(&self) -> &'static str {
        match self.grant {
            Grant::Owner => "owner",
            Grant::Contact { .. } => "contact",
            Grant::Staff(_) => "staff",
        }
    }
}

/// A use case that also touches a second kind of data (a service action
/// that issues an invoice) needs, from a staff key, that data's scope too.
/// Customers are covered by the privilege the use case already checks.
pub fn staff_also_needs(principal: &Principal, scope: Scope) -> Result<()> {
    match principal {
        Principal::Staff(staff) => staff.require(scope),
        Principal::User(_) => Ok(()),
    }
}

/// Resolve `ident` (id or uuid) for `principal`, or 404.
pub fn client_access(
    conn: &Connection,
    principal: &Principal,
    ident: &str,
) -> Result<ClientAccess> {
    let client = crate::store::clients::find_by_ident(conn, ident)?.ok_or(AppError::NotFound)?;
    let grant = match principal {
        Principal::User(user) => {
            let m = memberships::find(conn, user.user_id, client.id)?.ok_or(AppError::NotFound)?;
            if m.role == "owner" {
                Grant::Owner
            } else {
                Grant::Contact {
                    membership_id: m.id,
                    privileges: Privileges::from_json(&m.privileges),
                }
            }
        }
        Principal::Staff(staff) => {
            staff.require(Scope::ClientsRead)?;
            Grant::Staff(staff.clone())
        }
    };
    Ok(ClientAccess { client, grant })
}
