//! DNS zones and records as till validates them before any DNS server
//! sees them: names (`name.rs`), the content of each record type
//! (`content.rs`) and the rules a whole zone must keep (`zone.rs`: CNAME
//! exclusivity, one TTL per record set, no duplicates). Pure: no I/O.

mod content;
mod name;
mod zone;

pub use content::{RecordType, TXT_CHUNK};
pub use name::{absolute, relative, zone_name};
pub use zone::{RecordInput, ZoneErrors, validate_record, validate_zone};

/// The fewest seconds a record may be cached.
pub const MIN_TTL: i64 = 60;
/// The most: one week.
pub const MAX_TTL: i64 = 604_800;
/// The most records one zone may hold.
pub const MAX_RECORDS: usize = 500;

/// A record that passed validation, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: RecordType,
    /// Absolute, lower case, with the trailing dot (`www.example.com.`).
    pub name: String,
    /// The record's data without its priority (MX: the exchange; SRV:
    /// `weight port target`), canonical for its type.
    pub data: String,
    /// MX and SRV only.
    pub priority: Option<u16>,
    pub ttl: u32,
}

impl Record {
    /// The content as a DNS server holds it (priority first for MX and SRV).
    pub fn content(&self) -> String {
        match self.priority {
            Some(p) => format!("{p} {}", self.data),
            None => self.data.clone(),
        }
    }
}
