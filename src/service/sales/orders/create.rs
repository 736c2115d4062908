//! Writing a placed order: the order, its invoice (numbered), its lines,
//! the promotion's use, notices and the confirmation email.

use super::*;
use crate::{
    auth::principal::{Principal, RequestMeta},
    domain::time::{stamp, today},
    error::{AppError, Result},
    service::{
        audit::{self, Event},
        billing,
        billing::taxes,
        email::{self, Branding},
        notifications, numbering,
        sales::order_lines::{self, OrderContext},
    },
    store::{
        clients::Client,
        invoices::{self, Item},
        orders,
        promotions::{self as promotion_store},
    },
};
use jiff::Timestamp;
use rusqlite::Connection;

#[allow(clippy::too_many_arguments)]
pub(super) fn create(
    conn: &Connection,
    client: &Client,
    principal: &Principal,
    quote: &Quote,
    meta: &RequestMeta,
    now: Timestamp,
    brand: &Branding,
    credentials: &[u8; 32],
) -> Result<PlacedOrder> {
    let now_s = stamp(now);
    let today = today(now);
    for product in quote.lines.iter().filter_map(|l| l.product.as_ref()) {
        if !orders::take_stock(conn, product.id)? {
            return Err(AppError::Conflict(format!(
                "{} is out of stock",
                product.name
            )));
        }
    }
    let placed_by = match principal {
        Principal::User(u) => format!("user:{}", u.user_id),
        Principal::Staff(s) => format!("staff:{}", s.staff_id),
    };
    let order_id = orders::insert_order(
        conn,
        &uuid::Uuid::new_v4().to_string(),
        client.id,
        &quote.currency.code,
        &placed_by,
        meta.ip.as_deref(),
        &now_s,
    )?;
    let number = numbering::number_at_issue(conn, today)?;
    let invoice_id = invoices::insert(
        conn,
        &invoices::NewInvoice {
            uuid: &uuid::Uuid::new_v4().to_string(),
            client_id: client.id,
            order_id: Some(order_id),
            number: number.as_deref(),
            currency: &quote.currency.code,
            subtotal: quote.subtotal,
            tax_total: quote.tax_total,
            issue_date: &today.to_string(),
            due_date: &today.to_string(),
            seller: &billing::seller_snapshot(brand),
            buyer: &billing::buyer_snapshot(client),
            notes: taxes::invoice_note(quote.tax.as_ref()).unwrap_or(""),
            now: &now_s,
        },
    )?;
    let mut position = 0;
    let order = OrderContext {
        client,
        order_id,
        invoice_id,
        currency: &quote.currency.code,
        promotion: quote.promotion.as_ref(),
        today,
        now: &now_s,
        credentials,
    };
    for line in &quote.lines {
        order_lines::write(conn, &order, line, &mut position)?;
    }
    if let Some(p) = &quote.promotion {
        // Taken in this transaction: two orders cannot both take the last use.
        if !promotion_store::take_use(conn, p.id)? {
            return Err(AppError::invalid("promo_code", "has been used up"));
        }
        promotion_store::record_use(conn, p.id, client.id, order_id, &now_s)?;
    }
    if let Some(t) = quote.tax.as_ref().filter(|_| quote.tax_total > 0) {
        position += 1;
        invoices::insert_item(
            conn,
            invoice_id,
            &Item {
                position,
                kind: "tax".into(),
                description: t.label.clone(),
                service_id: None,
                domain_id: None,
                period_start: None,
                period_end: None,
                quantity: 1,
                unit_amount: quote.tax_total,
                amount: quote.tax_total,
            },
        )?;
    }
    audit::record(
        conn,
        now,
        Event {
            actor: principal.into(),
            action: "order.placed",
            subject: Some(("order", order_id)),
            client_id: Some(client.id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "invoice": number, "total": quote.total_due_today, "currency": quote.currency.code }),
        },
    )?;
    let invoice = invoices::find(conn, &invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    notifications::notify(
        conn,
        client.id,
        "order_placed",
        &format!("Order placed: invoice {}", invoice.display_number()),
        &format!(
            "{} is due. Services start when it is paid.",
            billing::format_money(invoice.total, &quote.currency)
        ),
        &format!("/account/invoices/{}", invoice.id),
        now,
    )?;
    email::queue(
        conn,
        now,
        &client.email,
        &email::OrderConfirmation {
            brand: brand.clone(),
            name: client.display_name(),
            invoice_number: invoice.display_number(),
            total: billing::format_money(invoice.total, &quote.currency),
            link: brand.link("/account/invoices"),
        },
    )?;
    if invoice.total == 0 {
        // Nothing to pay: the invoice is settled and the order goes live.
        invoices::mark_paid(conn, invoice_id, &now_s)?;
        crate::service::services::activation::activate_order(conn, order_id, now, brand)?;
    }
    placed(conn, order_id)
}
