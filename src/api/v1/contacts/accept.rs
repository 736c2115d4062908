//! Accepting an invitation.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{extract::Meta, v1::orders::maybe_principal};
use crate::{
    auth::principal::Principal,
    error::{ApiError, AppError},
    service::accounts::invitations::{self, NewLogin},
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The token from the invitation's link.
    pub token: String,
    /// Without a login yet: the password to log in with from now on.
    pub password: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedInvitation {
    pub message: String,
    /// The client account joined.
    pub client_id: i64,
}

/// Accept an invitation. With a login, send its access token (the login
/// must be the invited address); without one, choose a `password`.
#[utoipa::path(
    post, path = "/api/v1/invitations/accept", tag = "Contacts", operation_id = "acceptInvitation",
    security((), ("bearerAuth" = [])),
    request_body = AcceptInvitationRequest,
    responses((status = 200, body = AcceptedInvitation), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError))
)]
pub async fn accept_invitation(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<AcceptInvitationRequest>,
) -> Result<HttpResponse, AppError> {
    let who = maybe_principal(&req).await?;
    let b = body.into_inner();
    let st = state.get_ref().clone();
    let now = st.now();
    let client_id = st
        .db
        .clone()
        .run(move |_| match who {
            Some(Principal::User(u)) => {
                invitations::accept_as(&st.ctx(), &b.token, u.user_id, &meta.0, now)
            }
            Some(Principal::Staff(_)) => Err(AppError::Forbidden),
            None => {
                let login = NewLogin {
                    first_name: b.first_name,
                    last_name: b.last_name,
                    password: b.password.unwrap_or_default(),
                };
                invitations::accept_with_password(&st.ctx(), &b.token, login, &meta.0, now)
                    .map(|(_, client)| client)
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(AcceptedInvitation {
        message: "Invitation accepted.".into(),
        client_id,
    }))
}
