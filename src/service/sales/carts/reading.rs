//! Reaching a cart (who may), its items as asked, and pricing it for
//! whoever it is priced for.

use super::*;
use crate::{
    auth::{principal::Principal, random},
    domain::{privileges::Privilege, time::stamp},
    error::{AppError, Result},
    service::{
        access::client_access,
        sales::orders::{self, ItemRequest},
    },
    store::{
        carts::{self, Cart},
        clients::{self, Client},
        currencies,
    },
};
use jiff::Timestamp;
use rusqlite::Connection;

pub(super) const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

pub(super) fn random_id(len: usize) -> String {
    let bytes = random::bytes::<32>();
    bytes
        .iter()
        .take(len)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// The client a user's cart is for: the one named (if the user may order
/// for it), else the user's first account that may order.
pub(super) fn client_for(
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
pub(super) fn open(
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

pub(super) fn open_for_change(
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

pub(super) fn items_of(conn: &Connection, cart: &Cart) -> Result<Vec<(String, ItemRequest)>> {
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
pub(super) fn pricing(conn: &Connection, cart: &Cart) -> Result<(Option<Client>, String)> {
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

pub(super) fn summarize(conn: &Connection, cart: Cart, now: Timestamp) -> Result<CartSummary> {
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
