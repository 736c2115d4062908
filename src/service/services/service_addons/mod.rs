//! Addons of a live service (reference 004 `/service/@id/addon`): what it
//! holds, what it could add, and ordering one.
//!
//! An addon renews with its service, on the service's invoices (see
//! `renewals`), so one ordered mid-period is charged for the days left of
//! the current period, prorated like a plan change, plus in full for any
//! later period already invoiced; then it renews with the service. A
//! one-time addon is charged its price once. The order is invoice-first:
//! the addon waits (pending) until its invoice is paid, and a free one
//! starts at once.

mod held;
mod lifecycle;
mod offers;
mod order;

pub use held::{HeldAddon, ServiceAddons, list};
pub use lifecycle::AddonPurchases;
pub use offers::{AddonOffer, offers};
pub use order::{OrderedAddon, order};
