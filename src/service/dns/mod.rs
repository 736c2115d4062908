//! DNS hosting: a client's zones (for a hosting service or a domain) on
//! the DNS backend, and their records. Every change is validated against
//! the whole zone first (`domain::dns`), sent to the backend as one change
//! set, and only then written to till's copy with its audit row, so a
//! refused or failed change leaves both as they were.
//!
//! - `zones`: list, read, create for a service, delete; staff views.
//! - `records`: add, edit, delete a record, replace them all.
//! - `domain_dns`: reference 000's `/domains/{domain}/dns`.
//! - `template`: the records a new zone starts with, and
//!   `apply_default_zone` for a hosting service that went live.

mod access;
mod backend;
mod domain_dns;
mod making;
mod records;
mod template;
mod zones;

pub use domain_dns::{DomainDns, domain_records, replace_domain_records};
pub use records::{Edit, Edited, change, staff_change};
pub use template::{apply_default_zone, default_records};
pub use zones::{
    ZoneDetail, create_for_service, delete, get, list, of_service, staff_get, staff_list,
};
