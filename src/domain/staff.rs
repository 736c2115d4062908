//! Staff roles.

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    /// Everything, including staff and API keys.
    Admin,
    /// Catalog, invoices, payments, services.
    Billing,
    /// Tickets and client records.
    Support,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Billing => "billing",
            StaffRole::Support => "support",
        }
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StaffRole {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(StaffRole::Admin),
            "billing" => Ok(StaffRole::Billing),
            "support" => Ok(StaffRole::Support),
            other => Err(format!("unknown staff role `{other}`")),
        }
    }
}
