//! What a client does with its services (reference 000 hosting accounts,
//! reference 001 services): list and see them, label them, and cancel
//! (now, or at the end of the paid period, which the dunning job carries
//! out). Plan changes are `service::services::plan_changes`, cycle changes
//! `service::services::cycle_changes`. Every function needs the
//! `services.full` privilege; another client's service is a 404.

mod audit_change;
mod cancel;
mod cancel_when;
mod cancellation;
mod label;
mod records;

pub(crate) use audit_change::audit_change;
pub use cancel::cancel;
pub(crate) use cancel::recurring_in;
pub use cancel_when::CancelWhen;
pub use label::set_label;
pub use records::{ServiceRecord, get, list};
pub(crate) use records::{owned, record};
