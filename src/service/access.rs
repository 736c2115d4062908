//! Who may see and do what for a client account. Every client-scoped
//! service function starts here: a client the principal may not see is a
//! 404, a missing privilege is a 403.

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
    /// Whether the principal holds `p` for this client. Staff hold every
    /// customer privilege (their own limits are scopes and roles).
    pub fn can(&self, p: Privilege) -> bool {
        match &self.grant {
            Grant::Owner | Grant::Staff(_) => true,
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

    /// For changes: a customer needs `p`; staff need `clients:write`.
    pub fn require_change(&self, p: Privilege) -> Result<()> {
        match &self.grant {
            Grant::Staff(staff) => staff.require(Scope::ClientsWrite),
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
