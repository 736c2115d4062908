//! Emails about a service: activated, cancellation confirmed, a module
//! task failed, suspended, unsuspended, terminated.

use askama::Template;

use super::Email;

use super::branding::Branding;

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
