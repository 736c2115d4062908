//! The account's orders and payments, newest first. Orders need
//! `billing.orders`, payments `billing.payinvoice`, as in the API.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

use crate::{
    service::{billing, sales::orders},
    web::errors::PageError,
    web::{client::account, layout::Layout, page_html, session::Web},
};

pub struct OrderRow {
    pub id: i64,
    pub created_at: String,
    pub status: String,
    /// `example.com (monthly, active)` per service.
    pub services: Vec<String>,
    pub invoice_id: Option<i64>,
    pub invoice_number: String,
    pub total: String,
}

#[derive(Template)]
#[template(path = "client/orders.html")]
struct OrdersPage {
    layout: Layout,
    orders: Vec<OrderRow>,
}

pub async fn orders(mut web: Web) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let records = web
        .state
        .db
        .run(move |db| orders::list(db, &principal, &ident))
        .await?;
    let orders = records
        .iter()
        .rev()
        .map(|r| OrderRow {
            id: r.order.id,
            created_at: r.order.created_at.clone(),
            status: r.order.status.to_string(),
            services: r
                .services
                .iter()
                .map(|s| {
                    let what = s
                        .domain
                        .clone()
                        .unwrap_or_else(|| format!("Service #{}", s.id));
                    format!("{what} ({}, {})", s.billing_cycle, s.status)
                })
                .collect(),
            invoice_id: r.invoice.as_ref().map(|i| i.id),
            invoice_number: r
                .invoice
                .as_ref()
                .map(|i| i.display_number())
                .unwrap_or_default(),
            total: r
                .invoice
                .as_ref()
                .map(|i| billing::format_money(i.total, &r.currency))
                .unwrap_or_default(),
        })
        .collect();
    let page = OrdersPage {
        layout: account.layout(&web, "Orders"),
        orders,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

pub struct PaymentRow {
    pub created_at: String,
    pub invoice_id: i64,
    pub gateway: String,
    pub transaction_id: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "client/payments.html")]
struct PaymentsPage {
    layout: Layout,
    payments: Vec<PaymentRow>,
}

pub async fn payments(mut web: Web) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (rows, currencies) = web
        .state
        .db
        .run(move |db| billing::payments_of(db, &principal, &ident))
        .await?;
    let payments = rows
        .iter()
        .map(|p| PaymentRow {
            created_at: p.created_at.clone(),
            invoice_id: p.invoice_id,
            gateway: p.gateway.replace('_', " "),
            transaction_id: p.transaction_id.clone(),
            amount: billing::format_money(
                p.amount,
                &billing::currency_in(&currencies, &p.currency),
            ),
        })
        .collect();
    let page = PaymentsPage {
        layout: account.layout(&web, "Payments"),
        payments,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
