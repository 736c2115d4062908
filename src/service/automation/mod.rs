//! The automation wing: what happens on its own as time passes. Renewal
//! invoices and credit applied to them, reminders, late fees, suspension
//! and termination for non-payment, cancelled orders gone stale (dunning),
//! and the settings that steer them (here).

pub mod domain_renewals;
pub mod dunning;
pub mod renewals;
mod settings;

pub use settings::*;
