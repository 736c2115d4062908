//! Renewing a service ahead: invoice its next period now.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiPrincipal, Meta, client_ident},
    v1::views::invoices::{InvoiceView, invoice_view},
};
use crate::{
    error::{ApiError, AppError},
    service::{billing, email::Branding},
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct RenewResponse {
    pub success: bool,
    pub invoice: InvoiceView,
}

/// Invoice the service's next period now, to pay ahead (reference 001
/// `POST /service/{id}/renew`).
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/renew", tag = "Services", operation_id = "renewService",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 201, body = RenewResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn renew(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let invoice = state
        .db
        .run(move |db| {
            let i = crate::service::automation::renewals::renew(
                db, &brand, &who.0, &ident, &service, &meta.0, now,
            )?;
            let c = db.read(|c| billing::currency(c, &i.currency))?;
            Ok(invoice_view(&i, &c))
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Created().json(RenewResponse {
        success: true,
        invoice,
    }))
}
