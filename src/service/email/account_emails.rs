//! Emails about a login: confirming the address, sign-up, password reset
//! and change, contact invitations.

use askama::Template;

use super::Email;

use super::branding::Branding;

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
