//! Emails about a domain: registered or transferred in, a transfer that
//! failed, renewed, a reminder before expiry, expired.

use askama::Template;

use super::Email;

use super::branding::Branding;

/// A registration or a transfer in is done.
pub struct DomainRegistered {
    pub brand: Branding,
    pub name: String,
    pub domain: String,
    /// "registered" or "transferred in".
    pub verb: String,
    pub expiry_date: String,
    pub link: String,
}
email!(
    DomainRegistered,
    "domain_registered",
    "email/domain_registered.txt",
    "email/domain_registered.html",
    |m| format!("{} is {}", m.domain, m.verb)
);

/// A transfer in did not go through (the registry refused it, or it was
/// retried until staff had to step in).
pub struct DomainTransferFailed {
    pub brand: Branding,
    pub name: String,
    pub domain: String,
    pub link: String,
}
email!(
    DomainTransferFailed,
    "domain_transfer_failed",
    "email/domain_transfer_failed.txt",
    "email/domain_transfer_failed.html",
    |m| format!("The transfer of {} did not go through", m.domain)
);

/// A domain was renewed at the registry.
pub struct DomainRenewed {
    pub brand: Branding,
    pub name: String,
    pub domain: String,
    pub expiry_date: String,
    pub link: String,
}
email!(
    DomainRenewed,
    "domain_renewed",
    "email/domain_renewed.txt",
    "email/domain_renewed.html",
    |m| format!("{} is renewed until {}", m.domain, m.expiry_date)
);

/// A domain expires soon: it renews (with its invoice to pay, if any) or,
/// with auto-renew off, it will lapse.
pub struct DomainExpiryReminder {
    pub brand: Branding,
    pub name: String,
    pub domain: String,
    pub expiry_date: String,
    pub days_left: i64,
    /// Auto-renew is on and the term can be renewed at a known price.
    pub renewing: bool,
    /// The renewal invoice still to pay: its number and balance.
    pub invoice: Option<(String, String)>,
    pub link: String,
}
email!(
    DomainExpiryReminder,
    "domain_expiry_reminder",
    "email/domain_expiry_reminder.txt",
    "email/domain_expiry_reminder.html",
    |m| format!("{} expires on {}", m.domain, m.expiry_date)
);

/// A domain's expiry passed unrenewed.
pub struct DomainExpired {
    pub brand: Branding,
    pub name: String,
    pub domain: String,
    pub expiry_date: String,
    pub link: String,
}
email!(
    DomainExpired,
    "domain_expired",
    "email/domain_expired.txt",
    "email/domain_expired.html",
    |m| format!("{} has expired", m.domain)
);
