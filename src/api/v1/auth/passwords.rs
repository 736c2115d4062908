//! Passwords: the forgotten-password link, the reset, and a change.

use actix_web::{HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiUser, Meta},
    v1::views::{MessageView, message},
};
use crate::{
    error::{ApiError, AppError},
    service::accounts,
    state::AppState,
};

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
