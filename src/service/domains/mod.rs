//! The domains wing: availability (is a name free, at what price, in the
//! caller's currency); the registrars staff configure and which TLD goes
//! to which; the owner of paid domain lines; the registrar tasks that
//! carry every call out; and what clients and staff do with a domain. It
//! uses the catalog's TLDs and billing's money, and nothing that sells:
//! `sales` may use it.

mod answers;
pub mod availability;
mod cache;
mod checker;
pub mod client_domains;
pub mod deletion;
mod names;
pub mod notices;
mod paid_domains;
mod pricing;
pub mod registrar_outcomes;
pub mod registrar_tasks;
pub mod registrars;
pub mod renewals;
pub mod search;
pub mod staff_domains;
pub mod sync;

pub use availability::{Caller, DomainAvailability, Status, bulk_check, check};
pub use checker::DomainChecker;
pub use paid_domains::DomainOrders;
pub use pricing::TldPricing;
pub use search::{Search, search};

/// Most names one bulk check (or one search) may ask about.
pub const BULK_MAX: usize = 20;
