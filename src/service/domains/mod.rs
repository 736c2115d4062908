//! The domains wing: the registrars staff configure and which TLD goes to
//! which, the owner of paid domain lines, the registrar tasks that carry
//! every call out, and what clients and staff do with a domain.

pub mod client_domains;
mod paid_domains;
pub mod registrar_outcomes;
pub mod registrar_tasks;
pub mod registrars;
pub mod staff_domains;

pub use paid_domains::DomainOrders;
