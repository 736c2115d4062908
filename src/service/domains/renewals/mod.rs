//! A domain's renewal as the domains wing sees it: the term a paid
//! renewal line buys (`Term`, read from the line), what the registrar's
//! answer to a `renew` task does (`renewed`), and cancelling the open
//! renewal invoices when the customer stops renewing. Invoicing, reminders
//! and expiry run on their own: `service/automation/domain_renewals`.

mod renewed;
mod stopping;

pub(crate) use renewed::{Term, renewed, term_of};
pub(crate) use stopping::cancel_open_renewals;
