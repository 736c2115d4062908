//! Email: rendered from templates (text and HTML parts) and written to the
//! outbox in the same transaction as the change that causes it. The
//! `mail_outbox` job sends it.

use askama::Template;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    config::Config,
    domain::time::stamp,
    error::{AppError, Result},
    store::outbox,
};

/// What every email shows of the business.
#[derive(Debug, Clone)]
pub struct Branding {
    pub company: String,
    pub base_url: String,
}

impl Branding {
    pub fn from_config(config: &Config) -> Self {
        Self {
            company: config.company.name.clone(),
            base_url: config.base_url(),
        }
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// An email till sends.
pub trait Email {
    /// The template name, kept in the outbox for the email log.
    const TEMPLATE: &'static str;
    fn subject(&self) -> String;
    fn text(&self) -> std::result::Result<String, askama::Error>;
    fn html(&self) -> std::result::Result<String, askama::Error>;
}

/// Render `email` and queue it for `to`.
pub fn queue<E: Email>(conn: &Connection, now: Timestamp, to: &str, email: &E) -> Result<i64> {
    let render = |e: askama::Error| AppError::internal(format!("email {}: {e}", E::TEMPLATE));
    let text = email.text().map_err(render)?;
    let html = email.html().map_err(render)?;
    Ok(outbox::insert(
        conn,
        &outbox::NewEmail {
            template: E::TEMPLATE,
            to_address: to,
            subject: &email.subject(),
            text_body: &text,
            html_body: Some(&html),
            now: &stamp(now),
        },
    )?)
}

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

/// Confirm the address given at sign-up.
pub struct VerifyEmail {
    pub brand: Branding,
    pub name: String,
    pub link: String,
}
email!(
    VerifyEmail,
    "verify_email",
    "email/verify_email.txt",
    "email/verify_email.html",
    |m| format!("Confirm your email address for {}", m.brand.company)
);

/// Someone signed up with an address that already has an account.
pub struct SignupExisting {
    pub brand: Branding,
    pub name: String,
    pub login_link: String,
    pub reset_link: String,
}
email!(
    SignupExisting,
    "signup_existing",
    "email/signup_existing.txt",
    "email/signup_existing.html",
    |m| format!("You already have a {} account", m.brand.company)
);

/// A new client account: where the client area is and how to log in
/// (never the password).
pub struct Welcome {
    pub brand: Branding,
    pub name: String,
    /// The address to log in with.
    pub email: String,
    pub login_link: String,
    pub account_link: String,
    pub reset_link: String,
}
email!(
    Welcome,
    "welcome",
    "email/welcome.txt",
    "email/welcome.html",
    |m| format!("Welcome to {}", m.brand.company)
);

/// A password reset link.
pub struct PasswordReset {
    pub brand: Branding,
    pub name: String,
    pub link: String,
}
email!(
    PasswordReset,
    "password_reset",
    "email/password_reset.txt",
    "email/password_reset.html",
    |m| format!("Reset your {} password", m.brand.company)
);

/// The password was changed (by reset or by the user).
pub struct PasswordChanged {
    pub brand: Branding,
    pub name: String,
}
email!(
    PasswordChanged,
    "password_changed",
    "email/password_changed.txt",
    "email/password_changed.html",
    |m| format!("Your {} password was changed", m.brand.company)
);

/// Someone was invited to act for a client account: the one-time link
/// where they accept (setting their own password, or logging in).
pub struct ContactInvitation {
    pub brand: Branding,
    pub name: String,
    pub client_name: String,
    pub link: String,
    /// When the link stops working (RFC 3339).
    pub expires: String,
}
email!(
    ContactInvitation,
    "contact_invitation",
    "email/contact_invitation.txt",
    "email/contact_invitation.html",
    |m| format!(
        "You were invited to {} at {}",
        m.client_name, m.brand.company
    )
);

/// An order was placed; its invoice waits for payment.
pub struct OrderConfirmation {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub total: String,
    pub link: String,
}
email!(
    OrderConfirmation,
    "order_confirmation",
    "email/order_confirmation.txt",
    "email/order_confirmation.html",
    |m| format!("Order confirmation: invoice {}", m.invoice_number)
);

/// An invoice was paid in full.
pub struct PaymentReceipt {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub amount: String,
    pub link: String,
}
email!(
    PaymentReceipt,
    "payment_receipt",
    "email/payment_receipt.txt",
    "email/payment_receipt.html",
    |m| format!("Payment received for invoice {}", m.invoice_number)
);

/// Staff issued an invoice.
pub struct InvoiceCreated {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub total: String,
    pub due_date: String,
    pub link: String,
}
email!(
    InvoiceCreated,
    "invoice_created",
    "email/invoice_created.txt",
    "email/invoice_created.html",
    |m| format!("New invoice {}", m.invoice_number)
);

/// Money was given back.
pub struct RefundIssued {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub amount: String,
    /// Where it went, in words: "to your account credit", "to your card".
    pub destination: String,
    pub link: String,
}
email!(
    RefundIssued,
    "refund_issued",
    "email/refund_issued.txt",
    "email/refund_issued.html",
    |m| format!("Refund for invoice {}", m.invoice_number)
);

/// A service is live, with the access details known at activation (never
/// a password: the panel login is a button on the service's page).
pub struct ServiceActivated {
    pub brand: Branding,
    pub name: String,
    pub product: String,
    pub domain: Option<String>,
    pub next_due_date: Option<String>,
    /// The account's user name on its server.
    pub username: Option<String>,
    /// The hostname of the server it lives on.
    pub server: Option<String>,
    /// The service's page in the client area.
    pub link: String,
}

impl ServiceActivated {
    /// Whether there are access details to show.
    pub fn has_access(&self) -> bool {
        self.username.is_some() || self.server.is_some()
    }
}
email!(
    ServiceActivated,
    "service_activated",
    "email/service_activated.txt",
    "email/service_activated.html",
    |m| format!("Your {} is active", m.product)
);

/// A cancellation request was received: the service ends now, or on
/// `ends_on` when its paid period is over.
pub struct CancellationConfirmed {
    pub brand: Branding,
    pub name: String,
    pub product: String,
    pub domain: Option<String>,
    /// Cancelled now; else at the end of the paid period.
    pub immediate: bool,
    /// The day an end-of-period cancellation takes effect, when known.
    pub ends_on: Option<String>,
    pub link: String,
}
email!(
    CancellationConfirmed,
    "cancellation_confirmed",
    "email/cancellation_confirmed.txt",
    "email/cancellation_confirmed.html",
    |m| format!("Cancellation confirmed: {}", m.product)
);

/// Staff: a provisioning task gave up after its last attempt.
pub struct ModuleTaskFailed {
    pub brand: Branding,
    pub task_id: i64,
    pub action: String,
    pub service_id: i64,
    pub product: String,
    pub client: String,
    pub error: String,
    pub attempts: i64,
}
email!(
    ModuleTaskFailed,
    "module_task_failed",
    "email/module_task_failed.txt",
    "email/module_task_failed.html",
    |m| format!(
        "Provisioning failed: {} of service #{}",
        m.action, m.service_id
    )
);

/// An invoice falls due soon.
pub struct PaymentReminder {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub balance: String,
    pub due_date: String,
    pub link: String,
}
email!(
    PaymentReminder,
    "payment_reminder",
    "email/payment_reminder.txt",
    "email/payment_reminder.html",
    |m| format!("Invoice {} is due on {}", m.invoice_number, m.due_date)
);

/// An invoice is overdue.
pub struct OverdueNotice {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub balance: String,
    pub due_date: String,
    pub days_overdue: i64,
    pub link: String,
}
email!(
    OverdueNotice,
    "overdue_notice",
    "email/overdue_notice.txt",
    "email/overdue_notice.html",
    |m| format!("Invoice {} is overdue", m.invoice_number)
);

/// A service was suspended for an unpaid invoice.
pub struct ServiceSuspended {
    pub brand: Branding,
    pub name: String,
    pub product: String,
    pub domain: Option<String>,
    pub link: String,
}
email!(
    ServiceSuspended,
    "service_suspended",
    "email/service_suspended.txt",
    "email/service_suspended.html",
    |m| format!("Your {} is suspended", m.product)
);

/// A suspended service runs again.
pub struct ServiceUnsuspended {
    pub brand: Branding,
    pub name: String,
    pub product: String,
    pub domain: Option<String>,
    pub link: String,
}
email!(
    ServiceUnsuspended,
    "service_unsuspended",
    "email/service_unsuspended.txt",
    "email/service_unsuspended.html",
    |m| format!("Your {} is active again", m.product)
);

/// A service was terminated.
pub struct ServiceTerminated {
    pub brand: Branding,
    pub name: String,
    pub product: String,
    pub domain: Option<String>,
    pub link: String,
}
email!(
    ServiceTerminated,
    "service_terminated",
    "email/service_terminated.txt",
    "email/service_terminated.html",
    |m| format!("Your {} was terminated", m.product)
);

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> Branding {
        Branding {
            company: "Acme <Hosting>".into(),
            base_url: "https://billing.example.com".into(),
        }
    }

    #[test]
    fn emails_have_a_text_and_an_escaped_html_part() {
        let email = VerifyEmail {
            brand: brand(),
            name: "Ama <b>".into(),
            link: brand().link("/verify-email?token=vt_abc"),
        };
        let text = email.text().unwrap();
        assert!(text.contains("https://billing.example.com/verify-email?token=vt_abc"));
        assert!(text.contains("Ama <b>"));
        let html = email.html().unwrap();
        assert!(html.contains("Ama &#60;b&#62;"));
        assert!(!html.contains("<b>"));
        assert_eq!(
            email.subject(),
            "Confirm your email address for Acme <Hosting>"
        );
    }

    #[test]
    fn the_activation_shows_access_details_only_when_there_are_some() {
        let mut email = ServiceActivated {
            brand: brand(),
            name: "Ama".into(),
            product: "cPanel Gold".into(),
            domain: Some("example.com".into()),
            next_due_date: Some("2026-02-15".into()),
            username: Some("examplec".into()),
            server: Some("web1.example.net".into()),
            link: brand().link("/account/services/7"),
        };
        let text = email.text().unwrap();
        assert!(text.contains("Username:  examplec"), "{text}");
        assert!(text.contains("Server:    web1.example.net"), "{text}");
        assert!(text.contains("https://billing.example.com/account/services/7"));
        email.username = None;
        email.server = None;
        let text = email.text().unwrap();
        assert!(!text.contains("Access details") && !text.contains("Username"));
        assert!(!email.html().unwrap().contains("Access details"));
    }

    #[test]
    fn a_cancellation_says_when_the_service_ends() {
        let mut email = CancellationConfirmed {
            brand: brand(),
            name: "Ama".into(),
            product: "Starter".into(),
            domain: Some("shop.example".into()),
            immediate: false,
            ends_on: Some("2026-02-15".into()),
            link: brand().link("/account/services/7"),
        };
        let text = email.text().unwrap();
        assert!(text.contains("ends on 2026-02-15"), "{text}");
        email.ends_on = None;
        assert!(email.text().unwrap().contains("ends then"));
        email.immediate = true;
        let text = email.text().unwrap();
        assert!(text.contains("It is cancelled now"), "{text}");
        assert!(!text.contains("ends"));
    }

    #[test]
    fn queueing_writes_the_outbox() {
        let conn = crate::db::test_connection();
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let email = PasswordReset {
            brand: brand(),
            name: "Ama".into(),
            link: "https://x/reset".into(),
        };
        queue(&conn, now, "ama@example.com", &email).unwrap();
        let due = outbox::due(&conn, &stamp(now), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].template, "password_reset");
        assert!(
            due[0]
                .html_body
                .as_deref()
                .unwrap()
                .contains("https://x/reset")
        );
    }
}
