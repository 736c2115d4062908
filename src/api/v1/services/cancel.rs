//! Asking to cancel a hosting account or a service.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::extract::{ApiPrincipal, Meta, client_ident};
use crate::{
    error::{ApiError, AppError},
    service::{
        email::Branding,
        services::service_actions::{self, CancelWhen, ServiceRecord},
    },
    state::AppState,
};

use super::views::{HostingResponse, ServiceResponse, hosting, service_view};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelBody {
    /// `immediate` or `end_of_billing_period`.
    #[serde(default, alias = "type")]
    pub cancellation_type: String,
    #[serde(default)]
    pub reason: String,
}

async fn do_cancel(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: (String, String),
    body: CancelBody,
) -> Result<ServiceRecord, AppError> {
    let (client, service) = path;
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let brand = Branding::from_config(&state.config);
    let record = state
        .db
        .run(move |db| {
            // Someone else's service is a 404 whatever the body says.
            service_actions::get(db, &who.0, &ident, &service)?;
            let when = CancelWhen::parse(&body.cancellation_type).ok_or_else(|| {
                AppError::invalid(
                    "cancellation_type",
                    "must be immediate or end_of_billing_period",
                )
            })?;
            service_actions::cancel(
                db,
                &brand,
                &who.0,
                &ident,
                &service,
                when,
                &body.reason,
                &meta.0,
                now,
            )
        })
        .await?;
    state.wake_mailer();
    Ok(record)
}

/// Ask to cancel a hosting account (reference 000).
#[utoipa::path(post, path = "/api/v1/clients/{client}/hosting/{hostingAccount}/cancel", tag = "Services", operation_id = "cancelHostingAccount",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    request_body = CancelBody,
    responses((status = 200, body = HostingResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn hosting_cancel(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<CancelBody>,
) -> Result<HttpResponse, AppError> {
    let r = do_cancel(req, state, who, meta, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(HostingResponse { data: hosting(&r) }))
}

/// Ask to cancel a service: now, or at the end of its paid period.
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/cancel", tag = "Services", operation_id = "cancelService",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = CancelBody,
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn cancel(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<CancelBody>,
) -> Result<HttpResponse, AppError> {
    let r = do_cancel(req, state, who, meta, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ServiceResponse {
        data: service_view(&r),
    }))
}
