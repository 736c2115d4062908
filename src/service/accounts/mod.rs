//! The accounts wing: people and their access. Clients and their contacts
//! (invitations, privileges), users' sign-up, email verification and
//! passwords (here), logins and sessions for the API and the browser,
//! two-factor authentication, staff and their API keys, the security
//! settings, and the master key.
//!
//! Sign-up, email verification, forgotten and changed passwords live in
//! this module itself.
//!
//! Sign-up and "forgot password" answer the same whatever the email: an
//! existing address gets an email telling its owner, a new one gets the
//! normal flow, and both paths hash a password and write one transaction.

pub mod api_keys;
pub mod clients;
pub mod contact_invites;
pub mod contacts;
pub mod invitations;
pub mod login_guard;
pub mod master_key;
pub mod security_settings;
pub mod sessions;
pub mod staff;
pub mod two_factor;
pub mod web_sessions;

mod change;
mod forgot;
mod reset;
mod signup;
mod signup_input;
mod verify;

pub use change::change_password;
pub use forgot::forgot_password;
pub use reset::reset_password;
pub use signup::signup;
pub use signup_input::{SignupInput, check_profile, tidy_profile};
pub use verify::verify_email;

use jiff::SignedDuration;

const VERIFY_TTL: SignedDuration = SignedDuration::from_hours(48);
const RESET_TTL: SignedDuration = SignedDuration::from_hours(1);
