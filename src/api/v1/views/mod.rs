//! The JSON shapes `/api/v1` answers in (reference 000's schemas, extended
//! in its style), shared by the client and the staff resources.

mod accounts;
pub mod carts;
pub mod dns;
pub mod domains;
pub mod invoices;
pub mod orders;
pub mod quotes;

pub use accounts::*;
