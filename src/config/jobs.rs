//! `[jobs]`: the background scheduler's switches.

use serde::{Deserialize, Serialize};

/// The in-process scheduler.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// Run the billing automation (renewal invoices, reminders, late fees,
    /// suspension, termination) on its schedule. Off pauses it, for
    /// example while customers move over from another billing system;
    /// `till jobs run` still runs it by hand. Mail, provisioning and the
    /// other workers run either way.
    pub billing: bool,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self { billing: true }
    }
}
