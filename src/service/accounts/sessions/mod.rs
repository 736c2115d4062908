//! Logging in and staying logged in: credentials and second factor,
//! sessions (browser and API), access tokens and rotating refresh tokens.
//!
//! Rules:
//! - An unknown email costs the same argon2 verification as a known one,
//!   and writes the same audit row, so nothing reveals whether it exists.
//! - A TOTP step is accepted once (`users.totp_last_step`).
//! - Refresh tokens rotate on every use. The successor is derived from the
//!   presented token, so a retry within `REFRESH_GRACE` (a lost response)
//!   gets the same successor; a retired token used after the grace revokes
//!   the whole session (its family), and with it every access token.

mod access;
mod api_login;
mod browser;
mod credentials;
mod refresh;
mod timeouts;
mod user_sessions;

pub use access::{authenticate_access, touch_if_stale};
pub use api_login::{ApiLogin, login_api};
pub use browser::start_session;
pub use credentials::check_credentials;
pub use refresh::{Refreshed, refresh};
pub use timeouts::{
    REFRESH_GRACE, SESSION_ABSOLUTE, SESSION_IDLE, STAFF_SESSION_ABSOLUTE, STAFF_SESSION_IDLE,
    idle_timeout, later,
};
pub use user_sessions::{list, revoke};
