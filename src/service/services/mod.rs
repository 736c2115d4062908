//! The services wing: what was sold, after the sale. Services going live
//! when their order is paid (`activation`), provisioning through modules
//! and their task queue, servers, what a client and staff do with a
//! service (actions, cancellation, plan and cycle changes, addons bought
//! later), renewal periods moving on when paid, suspension and its end,
//! and the staff views of services. The owners of paid lines live here;
//! they learn of payments through `service::settlement`, never by calling
//! it.

pub mod activation;
pub mod admin_views;
pub mod cycle_changes;
pub mod module_actions;
pub mod module_context;
pub mod module_errors;
pub mod module_tasks;
pub mod plan_changes;
pub mod plan_prices;
pub mod provisioning;
pub mod renewal_periods;
pub mod servers;
pub mod service_actions;
pub mod service_addons;
pub mod service_records;
pub mod suspension;
