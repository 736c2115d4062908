//! Sign-up, email verification, forgotten and changed passwords.
//!
//! Sign-up and "forgot password" answer the same whatever the email: an
//! existing address gets an email telling its owner, a new one gets the
//! normal flow, and both paths hash a password and write one transaction.

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
