//! `[company]`: the seller's name and address for emails and invoices.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompanyConfig {
    pub name: String,
    pub email: String,
}

impl Default for CompanyConfig {
    fn default() -> Self {
        Self {
            name: "till".into(),
            email: "billing@localhost".into(),
        }
    }
}
