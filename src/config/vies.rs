//! `[vies]`: the EU VAT number check service.

use serde::{Deserialize, Serialize};

/// VIES, the EU's VAT number validation service (`checkVatService`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ViesConfig {
    /// The SOAP endpoint; tests point it at a local fake.
    pub url: String,
    /// How long one check may take before VIES counts as unavailable.
    pub timeout_secs: u64,
    /// Valid VAT ids are checked again after this many days (0 = never).
    pub recheck_days: u32,
}

impl Default for ViesConfig {
    fn default() -> Self {
        Self {
            url: "https://ec.europa.eu/taxation_customs/vies/services/checkVatService".into(),
            timeout_secs: 10,
            recheck_days: 30,
        }
    }
}
