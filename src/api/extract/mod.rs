//! Turning a request into who is asking: `Meta` (IP, user agent),
//! `ApiUser` (a customer's access token), `ApiStaff` (a staff API key) and
//! `ApiPrincipal` (either). Every check happens in `service/`; this file
//! only reads headers.

pub mod keyed;
pub mod money;
pub mod pagination;
pub mod uploads;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web as aw};
use futures_util::future::{LocalBoxFuture, Ready, ready};

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal, UserPrincipal},
    error::AppError,
    service::{accounts::api_keys, accounts::sessions},
    state::AppState,
};

/// Where the request came from.
pub struct Meta(pub RequestMeta);

/// Where the request came from, as the HTTP edge worked it out.
pub fn meta_of(req: &HttpRequest) -> RequestMeta {
    req.extensions()
        .get::<RequestMeta>()
        .cloned()
        .unwrap_or_default()
}

impl FromRequest for Meta {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Meta(meta_of(req))))
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn state_of(req: &HttpRequest) -> Result<AppState, AppError> {
    req.app_data::<aw::Data<AppState>>()
        .map(|d| d.get_ref().clone())
        .ok_or_else(|| AppError::internal("application state missing"))
}

async fn principal(req: &HttpRequest) -> Result<Principal, AppError> {
    let state = state_of(req)?;
    let token = bearer(req).ok_or(AppError::Unauthenticated)?;
    let meta = meta_of(req);
    let now = state.now();
    let jwt_key = state.keys.jwt;
    state
        .db
        .run(move |db| {
            if api_keys::looks_like_api_key(&token) {
                api_keys::authenticate(db, &token, &meta, now).map(Principal::Staff)
            } else {
                sessions::authenticate_access(db, &jwt_key, &token, &meta, now).map(Principal::User)
            }
        })
        .await
}

/// A customer or a staff key.
pub struct ApiPrincipal(pub Principal);

impl FromRequest for ApiPrincipal {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { principal(&req).await.map(ApiPrincipal) })
    }
}

/// A customer with an access token. A staff key here is a 401: customer
/// routes are not for keys.
pub struct ApiUser(pub UserPrincipal);

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match principal(&req).await? {
                Principal::User(u) => Ok(ApiUser(u)),
                Principal::Staff(_) => Err(AppError::Unauthenticated),
            }
        })
    }
}

/// A staff API key. A customer's token here is a 403: they are who they
/// say, but this is not for them.
pub struct ApiStaff(pub StaffPrincipal);

impl FromRequest for ApiStaff {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match principal(&req).await? {
                Principal::Staff(s) => Ok(ApiStaff(s)),
                Principal::User(_) => Err(AppError::Forbidden),
            }
        })
    }
}

/// The client a request without one in its path names in `X-Client-Id`
/// (a quote or a cart priced for that client).
pub fn client_header(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get("x-client-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The client named by the path, checked against `X-Client-Id` when both
/// are present (reference 000: they must match).
pub fn client_ident(req: &HttpRequest, from_path: &str) -> Result<String, AppError> {
    if let Some(header) = req.headers().get("x-client-id") {
        let header = header.to_str().unwrap_or("").trim();
        if header != from_path {
            return Err(AppError::invalid(
                "X-Client-Id",
                "must match the client in the path",
            ));
        }
    }
    Ok(from_path.to_string())
}
