//! Two-factor authentication: set up, enable (with recovery codes), disable.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiUser, Meta},
    v1::views::{MessageView, message},
};
use crate::{
    error::{ApiError, AppError},
    service::accounts::two_factor,
    state::AppState,
    store::two_factor::Holder,
};

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
