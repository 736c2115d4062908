//! `POST /api/v1/clients/{client}/domains/{domain}/renew` (reference 000):
//! renewing is ordered, invoice first, through the orders endpoint (a
//! `domain` item with `domain_option: renew`), so this route only says
//! so, after the same access checks as every client domain route.

use actix_web::{HttpRequest, HttpResponse, web as aw};

use crate::api::extract::{ApiPrincipal, client_ident};
use crate::{
    error::{ApiError, AppError, FieldErrors},
    service::domains::client_domains,
    state::AppState,
};

/// Reference 000's words for this route's one answer.
pub const USE_ORDERS: &str = "Use invoice-first order endpoint when renewal ordering is enabled";

/// Renewing ahead is an order: answers reference 000's 422, naming the
/// order item to send instead. Another client's or an unknown domain is a
/// 404, as on every client domain route.
#[utoipa::path(post, path = "/api/v1/clients/{client}/domains/{domain}/renew", tag = "Domains", operation_id = "renewDomain",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id")),
    responses((status = 422, description = "Use invoice-first order endpoint when renewal ordering is enabled", body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn renew(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let path_client = ident.clone();
    let d = state
        .db
        .run(move |db| client_domains::get(db, &who.0, &ident, id))
        .await?;
    let mut errors = FieldErrors::new();
    errors.insert(
        "domain".into(),
        vec![format!(
            "order the renewal: POST /api/v1/clients/{path_client}/orders with the item \
             {{\"type\": \"domain\", \"domain\": \"{}\", \"domain_option\": \"renew\", \"years\": 1}}",
            d.name
        )],
    );
    Ok(HttpResponse::UnprocessableEntity().json(ApiError {
        message: USE_ORDERS.into(),
        code: "use_order_endpoint".into(),
        errors: Some(errors),
        challenge: None,
    }))
}
