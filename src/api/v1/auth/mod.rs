//! `/api/v1/auth/*`: login (with the second factor), refresh, logout,
//! sessions, sign-up, email verification, password reset and change, 2FA.

mod login;
mod passwords;
mod signup;
mod tokens;
mod two_factor;

pub use login::{__path_login, LoginRequest, LoginResponse, client_views, login};
pub use passwords::{
    __path_change_password, __path_forgot_password, __path_reset_password, ChangePasswordRequest,
    ForgotRequest, ResetRequest, change_password, forgot_password, reset_password,
};
pub use signup::{
    __path_signup, __path_verify_email, SignupRequest, TokenRequest, signup, verify_email,
};
pub use tokens::{
    __path_logout, __path_refresh, __path_revoke_token, __path_tokens, RefreshRequest,
    RefreshResponse, TokenList, logout, refresh, revoke_token, tokens,
};
pub use two_factor::{
    __path_two_factor_disable, __path_two_factor_enable, __path_two_factor_setup, CodeRequest,
    DisableTwoFactorRequest, RecoveryCodes, RecoveryCodesResponse, TwoFactorSetup,
    TwoFactorSetupResponse, two_factor_disable, two_factor_enable, two_factor_setup,
};
