//! Who is making a request, once authenticated.

use std::collections::BTreeSet;

use crate::{
    domain::{scopes::Scope, staff::StaffRole},
    error::{AppError, Result},
};

/// Where a request came from, for audit rows and session lists. The HTTP
/// edge (`app::request_meta`) works it out once per request and leaves it
/// in the request's extensions for the handlers.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// It came over https (directly or through a trusted proxy).
    pub https: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Web,
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// A customer, logged in through a session.
#[derive(Debug, Clone)]
pub struct UserPrincipal {
    pub user_id: i64,
    pub user_uuid: String,
    pub session_id: i64,
    pub session_kind: SessionKind,
}

/// A staff member, through an API key or an admin session.
#[derive(Debug, Clone)]
pub struct StaffPrincipal {
    pub staff_id: i64,
    pub role: StaffRole,
    pub api_key_id: Option<i64>,
    /// The key's scopes; `None` for an admin-area session (the role alone
    /// decides).
    pub scopes: Option<BTreeSet<Scope>>,
}

impl StaffPrincipal {
    /// Refuse unless both the role and (for a key) the key allow `scope`.
    pub fn require(&self, scope: Scope) -> Result<()> {
        let key_allows = self.scopes.as_ref().is_none_or(|s| s.contains(&scope));
        if scope.allowed_for(self.role) && key_allows {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[derive(Debug, Clone)]
pub enum Principal {
    User(UserPrincipal),
    Staff(StaffPrincipal),
}
