//! `/api/v1/auth/*`: login (with the second factor), refresh, logout,
//! sessions, sign-up, email verification, password reset and change, 2FA.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    extract::{ApiUser, Meta},
    views::{ClientView, MessageView, TokenView, UserView, message},
};
use crate::{
    error::{ApiError, AppError},
    service::{
        access::{ClientAccess, Grant},
        accounts::{self, SignupInput},
        sessions, two_factor,
    },
    state::AppState,
    store::two_factor::Holder,
};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    pub device_name: Option<String>,
    /// The current TOTP code (or a recovery code) when 2FA is on.
    pub totp_code: Option<String>,
}

/// Reference 000 `LoginResponse`, plus the refresh token.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub access_token: String,
    /// Opaque; exchange at `/auth/refresh` for a new pair. Rotates on use.
    pub refresh_token: String,
    /// Seconds the access token is valid for.
    pub expires_in: i64,
    pub abilities: Vec<String>,
    pub user: UserView,
    pub clients: Vec<ClientView>,
}

pub fn client_views(
    user_id: i64,
    clients: Vec<(crate::store::clients::Client, String)>,
    db: &crate::db::Db,
) -> Result<Vec<ClientView>, AppError> {
    db.read(|c| {
        clients
            .into_iter()
            .map(|(client, role)| {
                let grant = if role == "owner" {
                    Grant::Owner
                } else {
                    let m = crate::store::memberships::find(c, user_id, client.id)?
                        .ok_or(AppError::NotFound)?;
                    Grant::Contact {
                        membership_id: m.id,
                        privileges: crate::domain::privileges::Privileges::from_json(&m.privileges),
                    }
                };
                Ok(ClientView::from(&ClientAccess { client, grant }))
            })
            .collect()
    })
}

/// Log in with email and password; with 2FA on, a first call without
/// `totp_code` answers 401 `second_factor_required` and the same call with
/// the code succeeds.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "Auth", operation_id = "login", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Tokens issued", body = LoginResponse),
        (status = 401, description = "Wrong credentials, or a second factor is required", body = ApiError),
        (status = 422, description = "Validation error", body = ApiError),
        (status = 429, description = "Too many attempts", body = ApiError),
    )
)]
pub async fn login(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let state = state.get_ref().clone();
    let now = state.now();
    let response = state
        .db
        .clone()
        .run(move |db| {
            let login = sessions::login_api(
                &state.ctx(),
                &body.email,
                &body.password,
                body.device_name.as_deref(),
                body.totp_code.as_deref(),
                &meta.0,
                now,
            )?;
            Ok(LoginResponse {
                token_type: "Bearer",
                access_token: login.access_token,
                refresh_token: login.refresh_token,
                expires_in: login.expires_in,
                abilities: vec!["*".into()],
                user: UserView::from(&login.user),
                clients: client_views(login.user.id, login.clients, db)?,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(response))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshResponse {
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// Exchange a refresh token for a new access token and a new refresh token.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "Auth", operation_id = "refreshToken", security(()),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = RefreshResponse),
        (status = 401, description = "Unknown, expired or reused token", body = ApiError),
    )
)]
pub async fn refresh(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let state = state.get_ref().clone();
    let now = state.now();
    let token = body.into_inner().refresh_token;
    let r = state
        .db
        .clone()
        .run(move |_| sessions::refresh(&state.ctx(), &token, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(RefreshResponse {
        token_type: "Bearer",
        access_token: r.access_token,
        refresh_token: r.refresh_token,
        expires_in: r.expires_in,
    }))
}

/// Revoke the session this access token belongs to.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "Auth", operation_id = "logout",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "Token revoked.", body = MessageView), (status = 401, body = ApiError))
)]
pub async fn logout(
    state: aw::Data<AppState>,
    user: ApiUser,
    meta: Meta,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let (uid, sid) = (user.0.user_id, user.0.session_id);
    state
        .db
        .run(move |db| sessions::revoke(db, uid, sid, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Token revoked.")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub data: Vec<TokenView>,
}

/// The user's live sessions, browser and API.
#[utoipa::path(
    get, path = "/api/v1/auth/tokens", tag = "Auth", operation_id = "listTokens",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "Token list", body = TokenList), (status = 401, body = ApiError))
)]
pub async fn tokens(state: aw::Data<AppState>, user: ApiUser) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let (uid, sid) = (user.0.user_id, user.0.session_id);
    let list = state.db.run(move |db| sessions::list(db, uid, now)).await?;
    Ok(HttpResponse::Ok().json(TokenList {
        data: list.iter().map(|s| TokenView::of(s, sid)).collect(),
    }))
}

/// Revoke one of the user's sessions by id; another user's id is a 404.
#[utoipa::path(
    delete, path = "/api/v1/auth/tokens/{token}", tag = "Auth", operation_id = "revokeToken",
    security(("bearerAuth" = [])),
    params(("token" = i64, Path, description = "Session id")),
    responses((status = 200, description = "Token revoked.", body = MessageView), (status = 404, body = ApiError))
)]
pub async fn revoke_token(
    state: aw::Data<AppState>,
    user: ApiUser,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = path.into_inner().parse().map_err(|_| AppError::NotFound)?;
    let now = state.now();
    let uid = user.0.user_id;
    state
        .db
        .run(move |db| sessions::revoke(db, uid, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Token revoked.")))
}

/// Reference 004's sign-up fields.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignupRequest {
    /// `private` or `company`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub email: String,
    pub password: String,
    #[serde(alias = "firstname")]
    pub first_name: String,
    #[serde(alias = "lastname")]
    pub last_name: String,
    #[serde(alias = "companyname")]
    pub company_name: Option<String>,
    #[serde(alias = "companyregistrationnumber")]
    pub company_number: Option<String>,
    #[serde(alias = "vateu")]
    pub vat_id: Option<String>,
    #[serde(alias = "phonenumber", default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address1: Option<String>,
    #[serde(default)]
    pub address2: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    pub currency: Option<String>,
}

const SIGNUP_ANSWER: &str = "Thanks. Check your email to confirm your address, then log in.";

/// Create an account. The answer is the same whether or not the email is
/// already registered (its owner gets an email instead).
#[utoipa::path(
    post, path = "/api/v1/auth/signup", tag = "Auth", operation_id = "signup", security(()),
    request_body = SignupRequest,
    responses(
        (status = 202, description = "Accepted; a verification email follows", body = MessageView),
        (status = 422, description = "Validation error", body = ApiError),
        (status = 429, body = ApiError),
    )
)]
pub async fn signup(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<SignupRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = SignupInput {
        kind: b.kind.unwrap_or_default(),
        email: b.email,
        password: b.password,
        first_name: b.first_name,
        last_name: b.last_name,
        company_name: b.company_name,
        company_number: b.company_number,
        vat_id: b.vat_id,
        phone: b.phone.unwrap_or_default(),
        address1: b.address1.unwrap_or_default(),
        address2: b.address2.unwrap_or_default(),
        city: b.city.unwrap_or_default(),
        state: b.state.unwrap_or_default(),
        postcode: b.postcode.unwrap_or_default(),
        country: b.country.unwrap_or_default(),
        currency: b.currency,
    };
    let st = state.get_ref().clone();
    let now = st.now();
    st.db
        .clone()
        .run(move |_| accounts::signup(&st.ctx(), input, &meta.0, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Accepted().json(message(SIGNUP_ANSWER)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub token: String,
}

/// Confirm an email address with the token from the verification email.
#[utoipa::path(
    post, path = "/api/v1/auth/email/verify", tag = "Auth", operation_id = "verifyEmail", security(()),
    request_body = TokenRequest,
    responses((status = 200, body = MessageView), (status = 422, description = "Invalid or expired token", body = ApiError))
)]
pub async fn verify_email(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let token = body.into_inner().token;
    st.db
        .clone()
        .run(move |_| accounts::verify_email(&st.ctx(), &token, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Email address confirmed.")))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ForgotRequest {
    pub email: String,
}

const FORGOT_ANSWER: &str =
    "If that email has an account, a link to reset its password is on its way.";

/// Ask for a password reset link. The answer never says whether the email
/// has an account.
#[utoipa::path(
    post, path = "/api/v1/auth/password/forgot", tag = "Auth", operation_id = "forgotPassword", security(()),
    request_body = ForgotRequest,
    responses((status = 202, body = MessageView), (status = 422, body = ApiError), (status = 429, body = ApiError))
)]
pub async fn forgot_password(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<ForgotRequest>,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let email = body.into_inner().email;
    st.db
        .clone()
        .run(move |_| accounts::forgot_password(&st.ctx(), &email, &meta.0, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Accepted().json(message(FORGOT_ANSWER)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequest {
    pub token: String,
    pub password: String,
}

/// Set a new password with the emailed token; every session of the user ends.
#[utoipa::path(
    post, path = "/api/v1/auth/password/reset", tag = "Auth", operation_id = "resetPassword", security(()),
    request_body = ResetRequest,
    responses((status = 200, body = MessageView), (status = 422, body = ApiError), (status = 429, body = ApiError))
)]
pub async fn reset_password(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let b = body.into_inner();
    st.db
        .clone()
        .run(move |_| accounts::reset_password(&st.ctx(), &b.token, &b.password, &meta.0, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Ok().json(message("Your password was changed. Please log in.")))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub password: String,
}

/// Change the password; every other session of the user ends.
#[utoipa::path(
    post, path = "/api/v1/auth/password/change", tag = "Auth", operation_id = "changePassword",
    security(("bearerAuth" = [])),
    request_body = ChangePasswordRequest,
    responses((status = 200, body = MessageView), (status = 401, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn change_password(
    state: aw::Data<AppState>,
    user: ApiUser,
    meta: Meta,
    body: aw::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let b = body.into_inner();
    let (uid, sid) = (user.0.user_id, user.0.session_id);
    st.db
        .clone()
        .run(move |_| {
            accounts::change_password(
                &st.ctx(),
                uid,
                sid,
                &b.current_password,
                &b.password,
                &meta.0,
                now,
            )
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Ok().json(message("Password changed.")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorSetup {
    /// base32, for typing into an authenticator app.
    pub secret: String,
    pub otpauth_url: String,
    /// The otpauth URL as a QR code (SVG document).
    pub qr_svg: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorSetupResponse {
    pub data: TwoFactorSetup,
}

/// Start setting up 2FA: a new secret, its otpauth URL and QR code.
#[utoipa::path(
    post, path = "/api/v1/auth/2fa/setup", tag = "Auth", operation_id = "setupTwoFactor",
    security(("bearerAuth" = [])),
    responses((status = 200, body = TwoFactorSetupResponse), (status = 409, description = "2FA already on", body = ApiError))
)]
pub async fn two_factor_setup(
    state: aw::Data<AppState>,
    user: ApiUser,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let uid = user.0.user_id;
    let s = st
        .db
        .clone()
        .run(move |_| two_factor::setup(&st.ctx(), Holder::User(uid), now))
        .await?;
    Ok(HttpResponse::Ok().json(TwoFactorSetupResponse {
        data: TwoFactorSetup {
            secret: s.secret,
            otpauth_url: s.otpauth_url,
            qr_svg: s.qr_svg,
        },
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeRequest {
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// One-time codes for when the authenticator is lost; shown only now.
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodesResponse {
    pub data: RecoveryCodes,
}

/// Turn 2FA on with a current code; answers the recovery codes once.
#[utoipa::path(
    post, path = "/api/v1/auth/2fa/enable", tag = "Auth", operation_id = "enableTwoFactor",
    security(("bearerAuth" = [])),
    request_body = CodeRequest,
    responses((status = 200, body = RecoveryCodesResponse), (status = 409, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn two_factor_enable(
    state: aw::Data<AppState>,
    user: ApiUser,
    meta: Meta,
    body: aw::Json<CodeRequest>,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let uid = user.0.user_id;
    let code = body.into_inner().code;
    let codes = st
        .db
        .clone()
        .run(move |_| two_factor::enable(&st.ctx(), Holder::User(uid), &code, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(RecoveryCodesResponse {
        data: RecoveryCodes {
            recovery_codes: codes,
        },
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DisableTwoFactorRequest {
    /// A current code from the app, or a recovery code. (A password alone
    /// no longer turns 2FA off.)
    pub code: Option<String>,
}

/// Turn 2FA off, proving it with a current code or a recovery code.
#[utoipa::path(
    post, path = "/api/v1/auth/2fa/disable", tag = "Auth", operation_id = "disableTwoFactor",
    security(("bearerAuth" = [])),
    request_body = DisableTwoFactorRequest,
    responses((status = 200, body = MessageView), (status = 409, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn two_factor_disable(
    state: aw::Data<AppState>,
    user: ApiUser,
    meta: Meta,
    body: aw::Json<DisableTwoFactorRequest>,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let uid = user.0.user_id;
    let b = body.into_inner();
    let code = b.code.unwrap_or_default();
    st.db
        .clone()
        .run(move |_| two_factor::disable(&st.ctx(), Holder::User(uid), &code, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Two-factor authentication is off.")))
}
