//! `/api/v1`: till's own API, in reference 000's shapes and style. One
//! file (or folder) per resource; staff resources under `staff/`; the
//! JSON shapes under `views/`.

pub mod auth;
pub mod carts;
pub mod catalog;
pub mod catalog_extras;
pub mod client_domains;
pub mod clients;
pub mod contacts;
pub mod dns;
pub mod domain_actions;
pub mod domain_renew;
pub mod domains;
pub mod invoices;
pub mod knowledge;
pub mod orders;
pub mod payment_methods;
pub mod payments;
pub mod service_addons;
pub mod services;
pub mod staff;
pub mod status;
pub mod support;
pub mod vat_ids;
pub mod views;
