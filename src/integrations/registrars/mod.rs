//! Domain registrars behind one trait. A registrar checks, registers,
//! transfers, renews and manages names at a registry (or asks a person
//! to); it never touches the database. What an answer means for a domain
//! (its status, expiry and due dates, the tasks that retry a call) is the
//! service's business.
//!
//! - `manual`: every action is a staff to-do (`Outcome::Pending`).
//! - `epp`: a generic EPP client (RFC 5730-5734) over TLS.
//! - `logicboxes`: the LogicBoxes HTTP API (ResellerClub and its kin).
//!
//! A registrar is built from its `RegistrarConfig` (stored sealed by the
//! service) with `registrar_for`; every call opens what it needs and
//! closes it again, so a value can be built per task.

mod config;
pub mod epp;
mod error;
pub mod logicboxes;
mod manual;
mod registrar;
mod types;

pub use config::{RegistrarConfig, registrar_for};
pub use error::RegistrarError;
pub use registrar::{Call, Registrar};
pub use types::{
    Check, Contact, DnsRecord, DomainInfo, EppCode, Nameserver, Outcome, Pending, Period,
    Registration, Transfer,
};

/// The registrar modules a TLD may be mapped to.
pub const REGISTRARS: [&str; 3] = ["manual", "epp", "logicboxes"];
