//! What a staff API key may do. A key's scopes are checked together with
//! its owner's role: a key never does more than the staff member could.

use std::fmt;

use super::staff::StaffRole;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    ClientsRead,
    ClientsWrite,
    CatalogRead,
    CatalogWrite,
    BillingRead,
    BillingWrite,
    AuditRead,
    ApiKeysWrite,
    /// Job runs and the email log.
    SystemRead,
    /// Services, their module tasks, and servers (never their secrets).
    ServicesRead,
    /// Provision, suspend, unsuspend, terminate; manual service records.
    ServicesWrite,
    /// Servers and server groups, with their credentials.
    ServersWrite,
    /// Instance security settings (e.g. two-factor for every staff member).
    SecurityWrite,
    /// Tickets (with internal notes), departments, canned replies, the
    /// knowledgebase and news as staff see them.
    SupportRead,
    /// Answer, assign, merge and close tickets; edit departments, canned
    /// replies, the knowledgebase and news.
    SupportWrite,
}

impl Scope {
    pub const ALL: [Scope; 15] = [
        Scope::ClientsRead,
        Scope::ClientsWrite,
        Scope::CatalogRead,
        Scope::CatalogWrite,
        Scope::BillingRead,
        Scope::BillingWrite,
        Scope::AuditRead,
        Scope::ApiKeysWrite,
        Scope::SystemRead,
        Scope::ServicesRead,
        Scope::ServicesWrite,
        Scope::ServersWrite,
        Scope::SecurityWrite,
        Scope::SupportRead,
        Scope::SupportWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ClientsRead => "clients:read",
            Scope::ClientsWrite => "clients:write",
            Scope::CatalogRead => "catalog:read",
            Scope::CatalogWrite => "catalog:write",
            Scope::BillingRead => "billing:read",
            Scope::BillingWrite => "billing:write",
            Scope::AuditRead => "audit:read",
            Scope::ApiKeysWrite => "api_keys:write",
            Scope::SystemRead => "system:read",
            Scope::ServicesRead => "services:read",
            Scope::ServicesWrite => "services:write",
            Scope::ServersWrite => "servers:write",
            Scope::SecurityWrite => "security:write",
            Scope::SupportRead => "support:read",
            Scope::SupportWrite => "support:write",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether a staff member with `role` may hold this scope.
    pub fn allowed_for(self, role: StaffRole) -> bool {
        match role {
            StaffRole::Admin => true,
            StaffRole::Billing => matches!(
                self,
                Scope::ClientsRead
                    | Scope::ClientsWrite
                    | Scope::CatalogRead
                    | Scope::CatalogWrite
                    | Scope::BillingRead
                    | Scope::BillingWrite
                    | Scope::ServicesRead
                    | Scope::ServicesWrite
            ),
            StaffRole::Support => matches!(
                self,
                Scope::ClientsRead
                    | Scope::CatalogRead
                    | Scope::ServicesRead
                    | Scope::SupportRead
                    | Scope::SupportWrite
            ),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_roles_bound_them() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
            assert!(s.allowed_for(StaffRole::Admin));
        }
        assert!(!Scope::ApiKeysWrite.allowed_for(StaffRole::Billing));
        assert!(!Scope::SecurityWrite.allowed_for(StaffRole::Billing));
        assert!(!Scope::ClientsWrite.allowed_for(StaffRole::Support));
        assert!(Scope::SupportWrite.allowed_for(StaffRole::Support));
        assert!(!Scope::SupportWrite.allowed_for(StaffRole::Billing));
        assert_eq!(Scope::parse("root"), None);
    }
}
