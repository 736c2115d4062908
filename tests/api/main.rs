//! till's integration tests: the real app on a temporary database and a
//! port-0 listener, driven over HTTP (and, for the CLI, as a process).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fakes;
mod helpers;

mod assets;
mod auth_accounts;
mod auth_login;
mod auth_tokens;
mod backup;
mod browser;
mod cancel_api;
mod carts_api;
mod catalog_api;
mod catalog_extras_api;
mod cli;
mod clients_api;
mod credit_api;
mod errors;
mod fake_gateways;
mod gateway_payments_api;
mod home;
mod idor;
mod invoicing_api;
mod jobs;
mod lifecycle_crash;
mod lifecycle_dunning;
mod lifecycle_renewals;
mod openapi;
mod orders_api;
mod page_client;
mod pages_account;
mod pages_admin;
mod pages_auth;
mod pages_card_payments;
mod pages_cart;
mod pages_invoices;
mod pages_store;
mod payment_methods_api;
mod promotions_api;
mod shutdown;
mod smtp;
mod staff_api;
mod status;
mod taxes_api;
