//! Reference 000's order shapes: an order with its items, and the answer
//! to a placed order.

use crate::api::v1::views::invoices::*;
use crate::domain::status::InvoiceStatus;
use crate::domain::status::ServiceStatus;
use crate::{
    domain::money::Money,
    error::AppError,
    service::{billing, sales::orders::PlacedOrder},
    store::{
        currencies::Currency,
        domains::Domain,
        invoices::Invoice,
        orders::{Order, Service},
    },
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderItemView {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub description: String,
    pub billing_cycle: Option<String>,
    pub status: String,
    #[schema(value_type = Object)]
    pub configuration: serde_json::Value,
}

/// Reference 000 `Order`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    pub id: i64,
    pub uuid: String,
    pub order_number: String,
    pub status: String,
    pub total: Option<Money>,
    pub invoice_id: Option<i64>,
    pub created_at: String,
    pub items: Vec<OrderItemView>,
}

pub(crate) fn domain_item(d: &Domain) -> OrderItemView {
    OrderItemView {
        id: d.id,
        kind: "domain",
        description: format!(
            "Domain {} {}",
            if d.action == "transfer" {
                "transfer"
            } else {
                "registration"
            },
            d.name
        ),
        billing_cycle: None,
        status: d.status.clone(),
        configuration: serde_json::json!({ "domain": d.name, "domain_option": d.action, "years": d.years }),
    }
}

pub(crate) fn order_view(
    o: &Order,
    invoice: Option<&Invoice>,
    services: &[Service],
    domains: &[Domain],
    currency: &Currency,
    products: &[(i64, String)],
) -> OrderView {
    OrderView {
        id: o.id,
        uuid: o.uuid.clone(),
        order_number: format!("ORD-{:06}", o.id),
        status: o.status.to_string(),
        total: invoice.map(|i| billing::money(i.total, currency)),
        invoice_id: invoice.map(|i| i.id),
        created_at: o.created_at.clone(),
        items: services
            .iter()
            .map(|s| OrderItemView {
                id: s.id,
                kind: "hosting",
                description: products
                    .iter()
                    .find(|p| p.0 == s.product_id)
                    .map(|p| p.1.clone())
                    .unwrap_or_default(),
                billing_cycle: Some(s.billing_cycle.clone()),
                status: s.status.to_string(),
                configuration: serde_json::json!({ "domain": s.domain }),
            })
            .chain(domains.iter().map(domain_item))
            .collect(),
    }
}

/// Reference 000 `OrderCreateResponse`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderCreateResponse {
    pub message: String,
    pub order: OrderView,
    pub invoice: InvoiceView,
    /// The services waiting for payment, by id.
    #[schema(value_type = Object)]
    pub pending_services: serde_json::Value,
}

/// The v1 answer to a placed order: 201 and `OrderCreateResponse`.
pub(crate) fn render_placed(p: &PlacedOrder) -> Result<(u16, String), AppError> {
    Ok((
        201,
        serde_json::to_string(&placed_view(p)).map_err(AppError::internal)?,
    ))
}

pub(crate) fn placed_view(p: &PlacedOrder) -> OrderCreateResponse {
    let names: Vec<(i64, String)> = p
        .items
        .iter()
        .filter(|i| i.kind == "service")
        .filter_map(|i| i.service_id.map(|s| (s, i.description.clone())))
        .collect();
    let products: Vec<(i64, String)> = p
        .services
        .iter()
        .map(|s| {
            (
                s.product_id,
                names
                    .iter()
                    .find(|n| n.0 == s.id)
                    .map(|n| n.1.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let pending: serde_json::Map<String, serde_json::Value> = p
        .services
        .iter()
        .filter(|s| s.status == ServiceStatus::Pending)
        .map(|s| (s.id.to_string(), serde_json::json!({ "status": s.status, "billing_cycle": s.billing_cycle, "domain": s.domain })))
        .collect();
    OrderCreateResponse {
        message: if p.invoice.status == InvoiceStatus::Paid {
            "Order placed; nothing to pay, your services are active.".into()
        } else {
            "Order placed. Pay the invoice to activate your services.".into()
        },
        order: order_view(
            &p.order,
            Some(&p.invoice),
            &p.services,
            &p.domains,
            &p.currency,
            &products,
        ),
        invoice: invoice_view(&p.invoice, &p.currency),
        pending_services: pending.into(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderList {
    pub data: Vec<OrderView>,
}
