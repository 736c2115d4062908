//! DNS hosting behind one trait. A backend keeps zones and their record
//! sets on a DNS server and answers typed errors; which zones exist and
//! who may change them is the service's business (`service::dns`).
//!
//! - `powerdns`: PowerDNS Authoritative through its HTTP API (zones kind
//!   Native, changes as one `PATCH` of record sets, which PowerDNS applies
//!   whole or not at all).
//!
//! - `registrar_dns`: a registrar that hosts DNS (reference 000's `/dns` on
//!   a domain), over the registrar's own record calls.

pub mod powerdns;
pub mod registrar_dns;
mod sets;

pub use sets::{Change, RecordSet, changes, sets_of};

use futures_util::future::BoxFuture;

/// A call to a DNS backend that did not do what was asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DnsError {
    /// No answer: connect failure, timeout, or the connection dropped.
    #[error("the DNS server did not answer: {0}")]
    Unreachable(String),
    /// The zone is already on the server.
    #[error("the zone already exists on the DNS server")]
    Exists,
    /// The zone is not on the server.
    #[error("the zone is not on the DNS server")]
    NotFound,
    /// The server answered that it would not do it; its own words, cut short.
    #[error("the DNS server refused ({status}): {message}")]
    Refused { status: u16, message: String },
    /// An answer we could not read.
    #[error("unexpected answer from the DNS server: {0}")]
    BadResponse(String),
}

pub type DnsResult<T> = Result<T, DnsError>;
type Call<'a, T> = BoxFuture<'a, DnsResult<T>>;

/// What every DNS backend can be asked. Zone names are absolute, with
/// their trailing dot (`example.com.`), as are record names.
pub trait DnsBackend: Send + Sync {
    /// `powerdns`, `registrar`: what `dns_zones.backend` records.
    fn name(&self) -> &'static str;
    /// Make the zone with these record sets (its NS among them).
    fn create_zone<'a>(&'a self, zone: &'a str, sets: &'a [RecordSet]) -> Call<'a, ()>;
    fn delete_zone<'a>(&'a self, zone: &'a str) -> Call<'a, ()>;
    /// The record sets the server holds (SOA included).
    fn list_records<'a>(&'a self, zone: &'a str) -> Call<'a, Vec<RecordSet>>;
    /// Replace or delete record sets, all or none.
    fn apply<'a>(&'a self, zone: &'a str, changes: &'a [Change]) -> Call<'a, ()>;
}
