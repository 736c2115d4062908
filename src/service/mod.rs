//! Use-cases, in wings by area. The API, the pages, the jobs, the CLI and
//! every dialect call these functions; rules live here and in `domain/`.
//!
//! The wings, each depending only on those above it in this list (an
//! architecture test holds it):
//! - the shared rooms here: access checks, audit, email, notifications,
//!   numbering, idempotency, the client feed, bootstrap;
//! - `accounts` (people and access) and `catalog` (what is for sale);
//! - `knowledge` (the knowledgebase and news; only the shared rooms and
//!   `accounts`);
//! - `billing` (invoices and money, and the paid-line seam's trait);
//! - `domains` (availability, priced in billing's money; later the domain
//!   lifecycle);
//! - `services` (what was sold, after the sale; the owners of paid lines);
//! - `settlement` (the one dispatch from a paid invoice to its owners);
//! - `payments`, `sales` and `automation` (what takes money, sells, or runs
//!   on its own, settling through `settlement`).

mod ctx;

pub use ctx::Ctx;

pub mod access;
pub mod audit;
pub mod bootstrap;
pub mod client_feed;
pub mod email;
pub mod idempotency;
pub mod notifications;
pub mod numbering;

pub mod accounts;
pub mod automation;
pub mod billing;
pub mod catalog;
pub mod dns;
pub mod domains;
pub mod knowledge;
pub mod payments;
pub mod sales;
pub mod services;
pub mod settlement;
pub mod support;
