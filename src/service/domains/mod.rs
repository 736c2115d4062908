//! The domains wing: availability now (is a name free, at what price, in
//! the caller's currency); the domain lifecycle (ordering, registrar
//! tasks, renewals) lands here later. It uses the catalog's TLDs and
//! billing's money, and nothing that sells: `sales` may use it.

mod answers;
pub mod availability;
mod cache;
mod checker;
mod names;
mod pricing;
pub mod search;

pub use availability::{Caller, DomainAvailability, Status, bulk_check, check};
pub use checker::DomainChecker;
pub use pricing::TldPricing;
pub use search::{Search, search};

/// Most names one bulk check (or one search) may ask about.
pub const BULK_MAX: usize = 20;
