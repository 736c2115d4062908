//! Signing up and verifying the email address.

use actix_web::{HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::{
    extract::Meta,
    v1::views::{MessageView, message},
};
use crate::{
    error::{ApiError, AppError},
    service::accounts::{self, SignupInput},
    state::AppState,
};

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
