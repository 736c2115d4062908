//! Quotes and invoice-first orders.
//!
//! Every price comes from the catalog: callers name products and cycles,
//! never amounts. An order, its unpaid invoice (with a gapless number) and
//! its pending services are written in one transaction together with the
//! idempotency key and the order it made, so a retried request replays the
//! first answer (see `service::idempotency`) and never makes a second order.

mod create;
mod quote;

use create::create;
pub use quote::{MAX_ITEMS, Quote, quote, quote_currency, quote_for};

pub use crate::service::sales::order_items::{
    AuthCode, Charge, ChargeKind, ChosenAddon, ChosenOption, DomainOrder, EPP_CODE_MAX,
    ItemRequest, OptionRequest, QuoteLine, Renewal, max_renewal_years,
};
use crate::{
    auth::{
        keys::AuthKeys,
        principal::{Principal, RequestMeta},
    },
    config::Config,
    domain::{privileges::Privilege, time::stamp},
    error::{AppError, Result},
    service::{
        access::client_access,
        billing,
        email::Branding,
        idempotency::{self, Found, Keyed, KeyedRequest},
    },
    store::{
        carts,
        currencies::Currency,
        domains::{self, Domain},
        invoices::{self, Invoice, Item},
        orders::{self, Order, Service},
    },
};
use jiff::Timestamp;
use rusqlite::Connection;

/// What placing an order made.
#[derive(Debug, Clone)]
pub struct PlacedOrder {
    pub order: Order,
    pub invoice: Invoice,
    pub items: Vec<Item>,
    pub services: Vec<Service>,
    pub domains: Vec<Domain>,
    pub currency: Currency,
}

pub struct PlaceOrder {
    pub items: Vec<ItemRequest>,
    pub promo_code: Option<String>,
    /// The surface's key: the same key replays this order.
    pub key: KeyedRequest,
    /// The cart this order checks out (marked ordered in the same
    /// transaction). A cart already ordered answers its order.
    pub cart_id: Option<i64>,
}

/// The scope of order keys (`<surface>:order:<client>`) and the effect
/// they record.
const EFFECT: &str = "order";

/// Place an order for a client (needs `billing.orders`): the order, its
/// invoice and pending services, and the key, in one transaction. A
/// repeated key answers what was stored for it, or the order it made.
#[allow(clippy::too_many_arguments)]
pub fn place(
    db: &crate::db::Db,
    config: &Config,
    keys: &AuthKeys,
    principal: &Principal,
    ident: &str,
    input: PlaceOrder,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Keyed<PlacedOrder>> {
    let brand = Branding::from_config(config);
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        access.require_change(Privilege::BillingOrders)?;
        let claim = match idempotency::look_up(tx, &input.key, EFFECT, access.client.id)? {
            Found::Answered { status, body } => return Ok(Keyed::Stored { status, body }),
            Found::Effect { claim, id } => {
                return Ok(Keyed::Done {
                    value: placed(tx, id)?,
                    claim,
                });
            }
            Found::New(claim) => claim,
        };
        let ordered = match input.cart_id {
            Some(cart) => carts::order_of(tx, cart)?,
            None => None,
        };
        let value = match ordered {
            // Checked out before, on another surface or under another key.
            Some(order) => placed(tx, order)?,
            None => {
                let quote = quote(
                    tx,
                    &access.client.currency_code,
                    &input.items,
                    Some(&access.client),
                    input.promo_code.as_deref(),
                    now,
                )?;
                let placed = create(
                    tx,
                    &access.client,
                    principal,
                    &quote,
                    meta,
                    now,
                    &brand,
                    &keys.credentials,
                )?;
                if let Some(cart) = input.cart_id {
                    carts::mark_ordered(tx, cart, placed.order.id, &stamp(now))?;
                }
                placed
            }
        };
        idempotency::record(tx, &claim, &input.key, EFFECT, value.order.id, now)?;
        Ok(Keyed::Done { value, claim })
    })
}

/// An order as it stands now, with its invoice, lines, services and
/// domains.
pub fn placed(conn: &Connection, order_id: i64) -> Result<PlacedOrder> {
    let order = orders::find_order(conn, order_id)?.ok_or(AppError::NotFound)?;
    let invoice = invoices::of_order(conn, order_id)?.ok_or(AppError::NotFound)?;
    Ok(PlacedOrder {
        items: invoices::items(conn, invoice.id)?,
        services: orders::services_of_order(conn, order_id)?,
        domains: domains::of_order(conn, order_id)?,
        currency: billing::currency(conn, &order.currency)?,
        order,
        invoice,
    })
}

/// An order with its invoice, services and currency.
pub struct OrderRecord {
    pub order: Order,
    pub invoice: Option<Invoice>,
    pub services: Vec<Service>,
    pub domains: Vec<Domain>,
    pub currency: Currency,
}

/// The client's orders with their invoices (needs `billing.orders`).
pub fn list(db: &crate::db::Db, principal: &Principal, ident: &str) -> Result<Vec<OrderRecord>> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingOrders)?;
        orders::orders_of(c, access.client.id)?
            .into_iter()
            .map(|o| {
                let invoice = invoices::of_order(c, o.id)?;
                let services = orders::services_of_order(c, o.id)?;
                let domains = domains::of_order(c, o.id)?;
                let currency = billing::currency(c, &o.currency)?;
                Ok(OrderRecord {
                    order: o,
                    invoice,
                    services,
                    domains,
                    currency,
                })
            })
            .collect()
    })
}
