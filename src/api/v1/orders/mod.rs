//! Quotes and orders (reference 000): `/api/v1/orders/quote` and
//! `/api/v1/clients/{client}/orders`. Invoices are `v1::invoices`, staff
//! billing `v1::staff::billing`, the shapes `v1::views`.

mod bodies;

pub use bodies::{ItemBody, OptionBody, OptionsBody, OrderBody};
pub(crate) use bodies::{items, maybe_principal, parse_json};

use crate::api::v1::views::{orders::*, quotes::*};
use crate::api::{
    extract::keyed,
    extract::{ApiPrincipal, Meta, client_header, client_ident},
};
use crate::{
    error::{ApiError, AppError},
    service::{
        idempotency::{self, KeyedRequest, Surface},
        sales::orders::{self, PlaceOrder},
        sales::promo_guard,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, web as aw};
use sha2::{Digest, Sha256};

/// Price a would-be order from the catalog: every line with its setup fee,
/// discount and tax, what is due today and what recurs. Anonymous callers
/// get the default currency; with a token and `X-Client-Id`, the client's.
#[utoipa::path(post, path = "/api/v1/orders/quote", tag = "Orders", operation_id = "quoteOrder", security((), ("bearerAuth" = [])),
    params(("X-Client-Id" = Option<String>, Header, description = "Quote in this client's currency")),
    request_body = OrderBody,
    responses((status = 200, body = QuoteResponse), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn quote(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Bytes,
) -> Result<HttpResponse, AppError> {
    let parsed: OrderBody = parse_json(&req, &body)?;
    let principal = maybe_principal(&req).await?;
    let client = client_header(&req);
    let wanted = items(&parsed);
    let promo = parsed.promo_code.clone();
    let now = state.now();
    let limiter = state.limiter.clone();
    let q = state
        .db
        .run(move |db| {
            promo_guard::quote(
                db,
                &limiter,
                &meta.0,
                principal.as_ref(),
                client.as_deref(),
                &wanted,
                promo.as_deref(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(quote_view(&q)))
}

/// Place an order: its unpaid invoice and pending services are created
/// together. Needs `Idempotency-Key`; the same key and body replays the
/// first response, the same key with another body is a 422.
#[utoipa::path(post, path = "/api/v1/clients/{client}/orders", tag = "Orders", operation_id = "createOrder",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"),
           ("Idempotency-Key" = String, Header, description = "Unique per order attempt (at most 160 characters)")),
    request_body = OrderBody,
    responses((status = 201, body = OrderCreateResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, description = "Out of stock", body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Bytes,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let key = keyed::idempotency_key(&req)?;
    let parsed: OrderBody = parse_json(&req, &body)?;
    let input = PlaceOrder {
        items: items(&parsed),
        promo_code: parsed.promo_code.clone(),
        key: KeyedRequest::new(Surface::V1, &key, hex::encode(Sha256::digest(&body)))?,
        cart_id: None,
    };
    let st = state.get_ref().clone();
    let now = st.now();
    let answer = st
        .db
        .clone()
        .run(move |db| {
            let code = input.promo_code.clone();
            let placed = promo_guard::attempt(&st.limiter, &meta.0, code.as_deref(), now, || {
                orders::place(
                    db, &st.config, &st.keys, &who.0, &ident, input, &meta.0, now,
                )
            })?;
            idempotency::answer(db, placed, render_placed)
        })
        .await?;
    state.wake_mailer();
    keyed::respond(answer)
}

/// The client's orders (needs `billing.orders`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/orders", tag = "Orders", operation_id = "listOrders",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = OrderList), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let rows = state
        .db
        .run(move |db| orders::list(db, &who.0, &ident))
        .await?;
    let data = rows
        .iter()
        .map(|r| {
            order_view(
                &r.order,
                r.invoice.as_ref(),
                &r.services,
                &r.domains,
                &r.currency,
                &[],
            )
        })
        .collect();
    Ok(HttpResponse::Ok().json(OrderList { data }))
}
