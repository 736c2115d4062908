//! Carts (reference 003): a list of wanted items priced from the catalog
//! each time it is shown, with an optional promotion code; checkout turns
//! it into an invoice-first order.
//!
//! Who may use a cart: a guest cart (no user) is reached by its random id
//! alone; the first logged-in user to touch it claims it, and from then on
//! it is theirs alone (anyone else gets a 404). A cart checks out at most
//! once: its order's idempotency key is the cart's own id.

mod reading;

use reading::*;

use crate::{
    auth::{
        keys::AuthKeys,
        principal::{Principal, RequestMeta},
        rate_limit::{self, RateLimiter},
    },
    config::Config,
    db::Db,
    domain::time::stamp,
    error::{AppError, FieldErrors, Result},
    service::{
        idempotency::{Keyed, KeyedRequest, Surface},
        sales::orders::{self, ItemRequest, MAX_ITEMS, PlaceOrder, PlacedOrder, Quote},
    },
    store::carts::{self, Cart},
};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// A cart with its items and, when it has any, their prices.
#[derive(Debug, Clone)]
pub struct CartSummary {
    pub cart: Cart,
    pub items: Vec<(String, ItemRequest)>,
    /// None for an empty cart.
    pub quote: Option<Quote>,
    pub currency: String,
}

/// A new, empty cart: the user's (priced for `client`, or their first
/// account), or a guest's. Guests make carts without logging in, so they
/// are limited per client address: each is a row until cleanup.
pub fn create(
    db: &Db,
    limiter: &RateLimiter,
    meta: &RequestMeta,
    principal: Option<&Principal>,
    client: Option<&str>,
    now: Timestamp,
) -> Result<CartSummary> {
    if principal.is_none() {
        limiter.hit(
            rate_limit::GUEST_CARTS_PER_IP,
            &rate_limit::client_key(meta.ip.as_deref()),
            now,
        )?;
    }
    db.write(|tx| {
        let (user, client) = match principal {
            Some(p @ Principal::User(u)) => (Some(u.user_id), client_for(tx, p, client)?),
            Some(Principal::Staff(_)) => return Err(AppError::Forbidden),
            None => (None, None),
        };
        let public_id = random_id(16);
        carts::insert(tx, &public_id, user, client.map(|c| c.id), &stamp(now))?;
        let cart = carts::find(tx, &public_id)?.ok_or(AppError::NotFound)?;
        summarize(tx, cart, now)
    })
}

/// The user's open carts.
pub fn list(db: &Db, principal: &Principal) -> Result<Vec<Cart>> {
    let Principal::User(user) = principal else {
        return Err(AppError::Forbidden);
    };
    db.read(|c| Ok(carts::of_user(c, user.user_id)?))
}

/// A cart with its items and totals.
pub fn show(
    db: &Db,
    principal: Option<&Principal>,
    public_id: &str,
    now: Timestamp,
) -> Result<CartSummary> {
    db.write(|tx| {
        let cart = open(tx, principal, public_id, now)?;
        summarize(tx, cart, now)
    })
}

/// Claim a guest cart for a user who just logged in (the client area's
/// cart cookie). Answers whether the cart is now the user's.
pub fn claim(db: &Db, principal: &Principal, public_id: &str, now: Timestamp) -> Result<bool> {
    match db.write(|tx| open(tx, Some(principal), public_id, now)) {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Add items. Each is priced alone first, so a bad item is a 422 naming it
/// (`items.N.field`) and nothing is added.
pub fn add_items(
    db: &Db,
    keys: &AuthKeys,
    principal: Option<&Principal>,
    public_id: &str,
    requests: Vec<ItemRequest>,
    now: Timestamp,
) -> Result<CartSummary> {
    db.write(|tx| {
        let cart = open_for_change(tx, principal, public_id, now)?;
        let (buyer, currency) = pricing(tx, &cart)?;
        let existing = carts::items(tx, cart.id)?.len();
        if requests.is_empty() || existing + requests.len() > MAX_ITEMS {
            return Err(AppError::invalid(
                "items",
                format!("a cart holds 1 to {MAX_ITEMS} items"),
            ));
        }
        let mut errors = FieldErrors::new();
        for (i, request) in requests.iter().enumerate() {
            if let Err(AppError::Validation(e)) = orders::quote(
                tx,
                &currency,
                std::slice::from_ref(request),
                buyer.as_ref(),
                None,
                now,
            ) {
                for (field, messages) in e {
                    let field = field.replacen("items.0", &format!("items.{i}"), 1);
                    errors.entry(field).or_default().extend(messages);
                }
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now_s = stamp(now);
        for request in &requests {
            let json = serde_json::to_string(&sealed_for_cart(keys, request)?)
                .map_err(AppError::internal)?;
            carts::add_item(tx, cart.id, &random_id(12), &json, &now_s)?;
        }
        carts::touch(tx, cart.id, &now_s)?;
        summarize(tx, cart, now)
    })
}

/// Remove one item (an unknown item is a 404).
pub fn remove_item(
    db: &Db,
    principal: Option<&Principal>,
    public_id: &str,
    item_id: &str,
    now: Timestamp,
) -> Result<CartSummary> {
    db.write(|tx| {
        let cart = open_for_change(tx, principal, public_id, now)?;
        if !carts::remove_item(tx, cart.id, item_id)? {
            return Err(AppError::NotFound);
        }
        carts::touch(tx, cart.id, &stamp(now))?;
        summarize(tx, cart, now)
    })
}

pub fn clear(
    db: &Db,
    principal: Option<&Principal>,
    public_id: &str,
    now: Timestamp,
) -> Result<CartSummary> {
    db.write(|tx| {
        let cart = open_for_change(tx, principal, public_id, now)?;
        carts::clear(tx, cart.id)?;
        carts::set_promo(tx, cart.id, None, &stamp(now))?;
        let cart = carts::find(tx, &cart.public_id)?.ok_or(AppError::NotFound)?;
        summarize(tx, cart, now)
    })
}

/// Apply a promotion code (422 if it does not apply to anything in the
/// cart), or remove it with `None`.
pub fn set_promotion(
    db: &Db,
    principal: Option<&Principal>,
    public_id: &str,
    code: Option<&str>,
    now: Timestamp,
) -> Result<CartSummary> {
    db.write(|tx| {
        let cart = open_for_change(tx, principal, public_id, now)?;
        let code = code
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty());
        if let Some(code) = &code {
            let items: Vec<ItemRequest> =
                items_of(tx, &cart)?.into_iter().map(|(_, r)| r).collect();
            if items.is_empty() {
                return Err(AppError::invalid("code", "add something to the cart first"));
            }
            let (buyer, currency) = pricing(tx, &cart)?;
            orders::quote(tx, &currency, &items, buyer.as_ref(), Some(code), now).map_err(|e| {
                match e {
                    AppError::Validation(mut errors) => match errors.remove("promo_code") {
                        Some(m) => {
                            let mut out = FieldErrors::new();
                            out.insert("code".into(), m);
                            AppError::Validation(out)
                        }
                        None => AppError::Validation(errors),
                    },
                    other => other,
                }
            })?;
        }
        carts::set_promo(tx, cart.id, code.as_deref(), &stamp(now))?;
        let cart = carts::find(tx, &cart.public_id)?.ok_or(AppError::NotFound)?;
        summarize(tx, cart, now)
    })
}

/// Check the cart out as an order for its client (a logged-in user with
/// `billing.orders`). A cart makes one order: checking it out again, on
/// any surface, answers that order (on the same surface, byte for byte).
#[allow(clippy::too_many_arguments)]
pub fn checkout(
    db: &Db,
    config: &Config,
    keys: &AuthKeys,
    principal: &Principal,
    public_id: &str,
    surface: Surface,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Keyed<PlacedOrder>> {
    if !matches!(principal, Principal::User(_)) {
        return Err(AppError::Forbidden);
    }
    let (cart, items) = db.write(|tx| {
        let cart = open(tx, Some(principal), public_id, now)?;
        let items: Vec<ItemRequest> = items_of(tx, &cart)?.into_iter().map(|(_, r)| r).collect();
        Ok((cart, items))
    })?;
    let Some(client) = cart.client_id else {
        return Err(AppError::invalid(
            "client",
            "you have no account that may place orders",
        ));
    };
    if items.is_empty() && cart.status == "open" {
        return Err(AppError::invalid("items", "the cart is empty"));
    }
    let mut digest = Sha256::new();
    digest.update(public_id.as_bytes());
    let request_hash = hex::encode(digest.finalize());
    orders::place(
        db,
        config,
        keys,
        principal,
        &client.to_string(),
        PlaceOrder {
            items,
            promo_code: cart.promo_code.clone(),
            // The cart is the key: one per cart and surface.
            key: KeyedRequest::new(surface, &format!("cart:{}", cart.public_id), request_hash)?,
            cart_id: Some(cart.id),
        },
        meta,
        now,
    )
}

/// The item as a cart row keeps it: a transfer's auth code sealed, never
/// in plaintext. The cart keeps the code (rather than asking for it again
/// at checkout) so that a transfer put in the cart, perhaps by a guest
/// before logging in, checks out with one button on every surface, like
/// any other item; the sealed text opens only with this instance's key,
/// and goes with the cart when it is ordered, emptied or cleaned up.
fn sealed_for_cart(keys: &AuthKeys, request: &ItemRequest) -> Result<ItemRequest> {
    let mut kept = request.clone();
    if let Some(code) = kept.epp_code.take().filter(|c| !c.is_empty()) {
        let sealed = crate::auth::sealed::seal_text(
            &keys.credentials,
            crate::service::sales::order_items::CART_EPP_CODE,
            code.expose(),
        )
        .ok_or_else(|| AppError::internal("the auth code cannot be sealed"))?;
        kept.epp_code_sealed = Some(sealed);
    }
    Ok(kept)
}
