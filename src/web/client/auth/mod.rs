//! Logging in and out, signing up, confirming an email address and
//! resetting a forgotten password: the client area's pages before login.
//! Each calls the same service function as its API twin.

mod after_login;
mod login;
mod logout;
mod notice;
mod reset;
mod second_factor;
mod signup;
mod verify;

pub use login::{LoginForm, NextQuery, login, login_form};
pub use logout::{CsrfOnly, logout};
pub(crate) use notice::NoticePage;
pub use reset::{ForgotForm, forgot, forgot_form, reset, reset_form};
pub(crate) use second_factor::SecondFactorPage;
pub use second_factor::{SecondFactorForm, second_factor};
pub use signup::{SignupForm, signup, signup_form};
pub use verify::{TokenForm, TokenQuery, verify, verify_form};
