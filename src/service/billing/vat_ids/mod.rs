//! Validating clients' VAT ids, which EU reverse charge depends on
//! (`taxes::applied_for` reverse charges only a `valid` or staff-`verified`
//! id). An id is asked about when it is set or changed, again by the
//! `vat_checks` job while VIES was unavailable (after an hour) and, once
//! valid, every `vies.recheck_days`; staff may verify one themselves.
//!
//! VIES is called with no transaction open: the client is read, VIES is
//! asked, and the answer is recorded in a second transaction, guarded so
//! that an answer about an id the client has since changed is dropped.

mod asking;
mod client_checks;
mod due;
mod notes;
mod verify;

pub use asking::RETRY_AFTER;
pub use client_checks::{check_client, check_now, update_profile};
pub use due::run_due;
pub use notes::{describe, describe_client, vat_charged_note};
pub use verify::verify;
