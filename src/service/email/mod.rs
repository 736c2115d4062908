//! Email: rendered from templates (text and HTML parts) and written to the
//! outbox in the same transaction as the change that causes it. The
//! `mail_outbox` job sends it.

/// Declares an email: its data struct, and text and HTML templates at
/// `templates/email/<name>.txt` / `.html` reading the data as `m`.
macro_rules! email {
    ($ty:ident, $name:literal, $txt:literal, $html:literal, |$m:ident| $subject:expr) => {
        const _: () = {
            #[derive(Template)]
            #[template(path = $txt, escape = "none")]
            struct Text<'a> {
                m: &'a $ty,
            }
            #[derive(Template)]
            #[template(path = $html)]
            struct Html<'a> {
                m: &'a $ty,
            }
            impl Email for $ty {
                const TEMPLATE: &'static str = $name;
                fn subject(&self) -> String {
                    let $m = self;
                    $subject
                }
                fn text(&self) -> std::result::Result<String, askama::Error> {
                    Text { m: self }.render()
                }
                fn html(&self) -> std::result::Result<String, askama::Error> {
                    Html { m: self }.render()
                }
            }
        };
    };
}

mod account_emails;
mod billing_emails;
mod branding;
mod domain_emails;
mod queue;
mod service_emails;
mod support_emails;
#[cfg(test)]
mod tests;

pub use account_emails::{
    ContactInvitation, PasswordChanged, PasswordReset, SignupExisting, VerifyEmail, Welcome,
};
pub use billing_emails::{
    InvoiceCreated, OrderConfirmation, OverdueNotice, PaymentReceipt, PaymentReminder, RefundIssued,
};
pub use branding::Branding;
pub use domain_emails::{
    DomainExpired, DomainExpiryReminder, DomainRegistered, DomainRenewed, DomainTransferFailed,
};
pub use queue::{Email, Threading, queue, queue_threaded};
pub use service_emails::{
    CancellationConfirmed, ModuleTaskFailed, ServiceActivated, ServiceSuspended, ServiceTerminated,
    ServiceUnsuspended,
};
pub use support_emails::{TicketOpened, TicketReply, TicketStaffAlert, TicketStatusChanged};
