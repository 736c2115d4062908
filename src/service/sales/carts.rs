//! Carts (reference 003): a list of wanted items priced from the catalog
//! each time it is shown, with an optional promotion code; checkout turns
//! it into an invoice-first order.
//!
//! Who may use a cart: a guest cart (no user) is reached by its random id
//! alone; the first logged-in user to touch it claims it, and from then on
//! it is theirs alone (anyone else gets a 404). A cart checks out at most
//! once: its order's idempotency key is the cart's own id.

use jiff::Timestamp;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::{
    auth::{
        principal::{Principal, RequestMeta},
        random,
        rate_limit::{self, RateLimiter},
    },
    config::Config,
    db::Db,
    domain::{privileges::Privilege, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::{
        access::client_access,
        idempotency::{Keyed, KeyedRequest, Surface},
        sales::orders::{self, ItemRequest, MAX_ITEMS, PlaceOrder, PlacedOrder, Quote},
    },
    store::{
        carts::{self, Cart},
        clients::{self, Client},
        currencies,
    },
};

const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

fn random_id(len: usize) -> String {
    let bytes = random::bytes::<32>();
    bytes
        .iter()
        .take(len)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// A cart with its items and, when it has any, their prices.
#[derive(Debug, Clone)]
pub struct CartSummary {
    pub cart: Cart,
    pub items: Vec<(String, ItemRequest)>,
    /// None for an empty cart.
    pub quote: Option<Quote>,
    pub currency: String,
}

/// The client a user's cart is for: the one named (if the user may order
/// for it), else the user's first account that may order.
fn client_for(
    conn: &Connection,
    principal: &Principal,
    named: Option<&str>,
) -> Result<Option<Client>> {
    let Principal::User(user) = principal else {
        return Ok(None);
    };
    if let Some(ident) = named {
        let access = client_access(conn, principal, ident)?;
        access.require(Privilege::BillingOrders)?;
        return Ok(Some(access.client));
    }
    for (client, _) in clients::for_user(conn, user.user_id)? {
        let access = client_access(conn, principal, &client.id.to_string())?;
        if access.can(Privilege::BillingOrders) {
            return Ok(Some(access.client));
        }
    }
    Ok(None)
}

/// The cart `public_id` as `principal` may use it; a guest cart is claimed
/// by the first user who touches it.
fn open(
    conn: &Connection,
    principal: Option<&Principal>,
    public_id: &str,
    now: Timestamp,
) -> Result<Cart> {
    let cart = carts::find(conn, public_id.trim())?.ok_or(AppError::NotFound)?;
    match (cart.user_id, principal) {
        (None, None) => Ok(cart),
        (None, Some(p @ Principal::User(u))) => {
            let client = client_for(conn, p, None)?;
            carts::claim(conn, cart.id, u.user_id, client.map(|c| c.id), &stamp(now))?;
            carts::find(conn, public_id.trim())?.ok_or(AppError::NotFound)
        }
        (Some(owner), Some(Principal::User(u))) if owner == u.user_id => Ok(cart),
        _ => Err(AppError::NotFound),
    }
}

fn open_for_change(
    conn: &Connection,
    principal: Option<&Principal>,
    public_id: &str,
    now: Timestamp,
) -> Result<Cart> {
    let cart = open(conn, principal, public_id, now)?;
    if cart.status != "open" {
        return Err(AppError::Conflict(
            "this cart has been ordered; start a new one".into(),
        ));
    }
    Ok(cart)
}

fn items_of(conn: &Connection, cart: &Cart) -> Result<Vec<(String, ItemRequest)>> {
    carts::items(conn, cart.id)?
        .into_iter()
        .map(|i| {
            let request: ItemRequest =
                serde_json::from_str(&i.request).map_err(AppError::internal)?;
            Ok((i.item_id, request))
        })
        .collect()
}

/// The buyer and currency a cart is priced for.
fn pricing(conn: &Connection, cart: &Cart) -> Result<(Option<Client>, String)> {
    if let Some(client) = cart
        .client_id
        .map(|id| clients::find(conn, id))
        .transpose()?
        .flatten()
    {
        let currency = client.currency_code.clone();
        return Ok((Some(client), currency));
    }
    let currency = currencies::default(conn)?
        .ok_or_else(|| AppError::Unavailable("no currency is set up yet".into()))?
        .code;
    Ok((None, currency))
}

fn summarize(conn: &Connection, cart: Cart, now: Timestamp) -> Result<CartSummary> {
    let items = items_of(conn, &cart)?;
    let (buyer, currency) = pricing(conn, &cart)?;
    let quote =
        if items.is_empty() {
            None
        } else {
            let requests: Vec<ItemRequest> = items.iter().map(|(_, r)| r.clone()).collect();
            // A promotion that stopped applying (expired, used up) is dropped
            // from the totals rather than making the cart unusable.
            match orders::quote(
                conn,
                &currency,
                &requests,
                buyer.as_ref(),
                cart.promo_code.as_deref(),
                now,
            ) {
                Ok(q) => Some(q),
                Err(AppError::Validation(e)) if e.contains_key("promo_code") => Some(
                    orders::quote(conn, &currency, &requests, buyer.as_ref(), None, now)?,
                ),
                Err(e) => return Err(e),
            }
        };
    Ok(CartSummary {
        cart,
        items,
        quote,
        currency,
    })
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
            let json = serde_json::to_string(request).map_err(AppError::internal)?;
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
pub fn checkout(
    db: &Db,
    config: &Config,
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
