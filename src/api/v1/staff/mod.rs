//! Staff resources under `/api/v1` (reference 002): the catalog, clients'
//! services and their module tasks, servers, invoices and payments,
//! promotions, taxes, settings, API keys and the audit log. Every handler
//! takes an `ApiStaff` (a staff API key) and the service checks its scopes.

pub mod admin;
pub mod automation_settings;
pub mod billing;
pub mod billing_settings;
pub mod catalog_extras_staff;
pub mod catalog_staff;
pub mod dns_staff;
pub mod domain_actions_staff;
pub mod domains_staff;
pub mod invoices_staff;
pub mod keys;
pub mod promotions;
pub mod refunds;
pub mod registrars;
pub mod security_settings;
pub mod servers;
pub mod services_staff;
pub mod taxes;
