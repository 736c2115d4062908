//! Carts (reference 003 `/cart`): create and list, add and remove items,
//! clear, apply and remove a promotion, totals, checkout. A guest may use a
//! cart by its id without a token; a logged-in user claims a guest cart by
//! using it with their token.

use crate::api::v1::views::carts::*;
use crate::api::{
    extract::keyed,
    extract::{ApiPrincipal, Meta, client_header},
    v1::orders::{ItemBody, OrderBody, items, maybe_principal},
    v1::views::orders::placed_view,
};
use crate::{
    error::{ApiError, AppError},
    service::{
        idempotency::{self, Surface},
        sales::carts::{self, CartSummary},
        sales::promo_guard,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn respond(s: &CartSummary) -> HttpResponse {
    HttpResponse::Ok().json(CartTotalResponse {
        data: cart_total(s),
    })
}

/// Create a cart: a guest's without a token (keep its id; it is the only
/// handle), or the user's (priced for `X-Client-Id` or their first account).
#[utoipa::path(post, path = "/api/v1/cart", tag = "Cart", operation_id = "createCart", security((), ("bearerAuth" = [])),
    params(("X-Client-Id" = Option<String>, Header, description = "Price and order for this client")),
    responses((status = 200, body = CartCreated), (status = 429, body = ApiError)))]
pub async fn create(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let client = client_header(&req);
    let now = state.now();
    let limiter = state.limiter.clone();
    let s = state
        .db
        .run(move |db| {
            carts::create(
                db,
                &limiter,
                &meta.0,
                principal.as_ref(),
                client.as_deref(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(CartCreated {
        data: cart_view(&s.cart),
    }))
}

/// The logged-in user's open carts.
#[utoipa::path(get, path = "/api/v1/cart", tag = "Cart", operation_id = "listCarts", security(("bearerAuth" = [])),
    responses((status = 200, body = CartList), (status = 401, body = ApiError)))]
pub async fn list(state: aw::Data<AppState>, who: ApiPrincipal) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(move |db| carts::list(db, &who.0)).await?;
    Ok(HttpResponse::Ok().json(CartList {
        data: rows.iter().map(cart_view).collect(),
    }))
}

/// The cart's totals: subtotal, discount, tax, total and what recurs, with
/// every line priced from the catalog now.
#[utoipa::path(get, path = "/api/v1/cart/{cart_id}/totals", tag = "Cart", operation_id = "cartTotals", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")),
    responses((status = 200, body = CartTotalResponse), (status = 404, body = ApiError)))]
pub async fn totals(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let now = state.now();
    let s = state
        .db
        .run(move |db| carts::show(db, principal.as_ref(), &path, now))
        .await?;
    Ok(respond(&s))
}

/// The cart's items as they were asked for.
#[utoipa::path(get, path = "/api/v1/cart/{cart_id}/items", tag = "Cart", operation_id = "cartItems", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")),
    responses((status = 200, body = CartItems), (status = 404, body = ApiError)))]
pub async fn list_items(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let now = state.now();
    let s = state
        .db
        .run(move |db| carts::show(db, principal.as_ref(), &path, now))
        .await?;
    Ok(HttpResponse::Ok().json(CartItems {
        data: s.items.iter().map(|(id, r)| item_view(id, r)).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddItemsBody {
    /// Reference 003 `CartItemTypeProduct` (`product_id`) or reference 000
    /// order items (`package_id`).
    pub items: Vec<ItemBody>,
}

/// Add items. Each is checked against the catalog first: a bad one is a
/// 422 naming it, and nothing is added.
#[utoipa::path(post, path = "/api/v1/cart/{cart_id}/items", tag = "Cart", operation_id = "addCartItems", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")), request_body = AddItemsBody,
    responses((status = 200, body = CartTotalResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_items(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
    body: aw::Json<AddItemsBody>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let requests = items(&OrderBody {
        items: body.into_inner().items,
        promo_code: None,
        notes: None,
    });
    let (now, keys) = (state.now(), state.keys.clone());
    let s = state
        .db
        .run(move |db| carts::add_items(db, &keys, principal.as_ref(), &path, requests, now))
        .await?;
    Ok(respond(&s))
}

/// Remove every item (and the promotion).
#[utoipa::path(delete, path = "/api/v1/cart/{cart_id}/items", tag = "Cart", operation_id = "clearCart", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")),
    responses((status = 200, body = CartTotalResponse), (status = 404, body = ApiError)))]
pub async fn clear(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let now = state.now();
    let s = state
        .db
        .run(move |db| carts::clear(db, principal.as_ref(), &path, now))
        .await?;
    Ok(respond(&s))
}

/// Remove one item.
#[utoipa::path(delete, path = "/api/v1/cart/{cart_id}/items/{item_id}", tag = "Cart", operation_id = "removeCartItem", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id"), ("item_id" = String, Path, description = "Item id")),
    responses((status = 200, body = CartTotalResponse), (status = 404, body = ApiError)))]
pub async fn remove_item(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let (cart, item) = path.into_inner();
    let now = state.now();
    let s = state
        .db
        .run(move |db| carts::remove_item(db, principal.as_ref(), &cart, &item, now))
        .await?;
    Ok(respond(&s))
}

/// Reference 003 `Promotion`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PromotionBody {
    pub code: Option<String>,
}

/// The promotion code applied to the cart (`code` is null when none).
#[utoipa::path(get, path = "/api/v1/cart/{cart_id}/promotion", tag = "Cart", operation_id = "cartPromotion", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")),
    responses((status = 200, body = PromotionResponse), (status = 404, body = ApiError)))]
pub async fn promotion(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let now = state.now();
    let s = state
        .db
        .run(move |db| carts::show(db, principal.as_ref(), &path, now))
        .await?;
    Ok(HttpResponse::Ok().json(PromotionResponse {
        data: PromotionBody {
            code: s.cart.promo_code,
        },
    }))
}

/// Apply a promotion code; one that does not apply to the cart is a 422.
#[utoipa::path(post, path = "/api/v1/cart/{cart_id}/promotion", tag = "Cart", operation_id = "applyCartPromotion", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")), request_body = PromotionBody,
    responses((status = 200, body = CartTotalResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn apply_promotion(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<PromotionBody>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let code = body.into_inner().code.unwrap_or_default();
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "give a promotion code"));
    }
    let now = state.now();
    let limiter = state.limiter.clone();
    let s = state
        .db
        .run(move |db| {
            promo_guard::attempt(&limiter, &meta.0, Some(&code), now, || {
                carts::set_promotion(db, principal.as_ref(), &path, Some(&code), now)
            })
        })
        .await?;
    Ok(respond(&s))
}

/// Remove the promotion code.
#[utoipa::path(delete, path = "/api/v1/cart/{cart_id}/promotion", tag = "Cart", operation_id = "removeCartPromotion", security((), ("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")),
    responses((status = 200, body = CartTotalResponse), (status = 404, body = ApiError)))]
pub async fn remove_promotion(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let principal = maybe_principal(&req).await?;
    let now = state.now();
    let s = state
        .db
        .run(move |db| carts::set_promotion(db, principal.as_ref(), &path, None, now))
        .await?;
    Ok(respond(&s))
}

/// Check out: the cart becomes an order with its unpaid invoice (needs a
/// logged-in user with `billing.orders`). A cart makes one order; checking
/// it out again answers the same order. `data.url` is the invoice page.
#[utoipa::path(post, path = "/api/v1/cart/{cart_id}/checkout", tag = "Cart", operation_id = "checkoutCart", security(("bearerAuth" = [])),
    params(("cart_id" = String, Path, description = "Cart id")),
    responses((status = 200, description = "`data.url` plus the order as `POST /clients/{client}/orders` answers it"),
              (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn checkout(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let st = state.get_ref().clone();
    let now = st.now();
    let link = crate::service::email::Branding::from_config(&st.config);
    let answer = st
        .db
        .clone()
        .run(move |db| {
            let placed = carts::checkout(
                db,
                &st.config,
                &st.keys,
                &who.0,
                &path,
                Surface::V1,
                &meta.0,
                now,
            )?;
            idempotency::answer(db, placed, |p| {
                let url = link.link(&format!("/account/invoices/{}", p.invoice.id));
                let body = serde_json::json!({ "data": { "url": url, "order": placed_view(p) } });
                Ok((200, body.to_string()))
            })
        })
        .await?;
    state.wake_mailer();
    keyed::respond(answer)
}
