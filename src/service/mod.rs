//! Use-cases, one file per area. The API, the pages, the jobs and the CLI
//! all call these functions; rules live here and in `domain/`.

pub mod access;
pub mod accounts;
pub mod addons;
pub mod api_keys;
pub mod audit;
pub mod automation;
pub mod billing;
pub mod bootstrap;
pub mod carts;
pub mod catalog;
pub mod clients;
pub mod config_options;
pub mod contacts;
pub mod dunning;
pub mod email;
pub mod gateway_payments;
pub mod gateways;
pub mod manual_invoices;
pub mod numbering;
pub mod order_items;
pub mod order_lines;
pub mod orders;
pub mod payment_methods;
pub mod promotions;
pub mod provisioning;
pub mod refunds;
pub mod renewals;
pub mod sample;
pub mod sessions;
pub mod staff;
pub mod taxes;
pub mod tlds;
pub mod two_factor;
pub mod web_sessions;
