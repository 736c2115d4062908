//! Browser sessions for the client area and the admin area: a random
//! cookie secret (only its hash is stored), a CSRF token per session, and
//! a pending challenge while a login waits for its second factor.

mod login;
mod second_factor;
mod session;
mod staff_login;

pub use login::{WebLogin, WebLoginStep, login, start_for_user};
pub use second_factor::complete_second_factor;
pub use session::{WebSession, authenticate, logout, switch_client};
pub use staff_login::{complete_staff_second_factor, staff_login};
