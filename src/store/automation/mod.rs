//! What the billing automation reads and marks: services whose next period
//! may need an invoice, periods already billed, reminders sent, late fees,
//! overdue services and stale orders.

mod billed_periods;
mod candidates;
mod overdue;
mod renewing_addons;
mod service_state;
mod unpaid;

pub use billed_periods::{
    billed_until, has_shared_unpaid_renewal, paid_period_end, services_billed_by,
    set_period_outcome, unpaid_renewals_only_of,
};
pub use candidates::{Candidate, candidate_clients, candidate_service, candidates_of_clients};
pub use overdue::{Overdue, ending_services, overdue_services, stale_order_invoices};
pub use renewing_addons::{RenewingAddon, renewing_addons_of_clients};
pub use service_state::{
    has_unpaid_due_by, next_due, service_state, service_summary, set_cancel_at_period_end,
    set_next_due, set_service_status,
};
pub use unpaid::{Unpaid, add_late_fee, late_fee_charged, mark_sent, unpaid_due_between, was_sent};
