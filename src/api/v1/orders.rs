//! `/api/v1/orders/quote`, `/api/v1/clients/{client}/orders`, invoices and
//! payments (reference 000), and staff recording a payment (reference 002).

use actix_web::{HttpRequest, HttpResponse, http::header, web as aw};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::api::{
    extract::keyed,
    extract::money,
    extract::pagination::{PageQuery, paginate},
    extract::{ApiPrincipal, ApiStaff, Meta, client_ident},
};
use crate::{
    auth::principal::Principal,
    domain::{money::Money, money_input::MoneyInput},
    error::{ApiError, AppError},
    service::{
        billing,
        email::Branding,
        idempotency::{self, KeyedRequest, Surface},
        payments::RecordPayment,
        sales::orders::{self, ItemRequest, OptionRequest, PlaceOrder, PlacedOrder, Quote},
        sales::promo_guard,
    },
    state::AppState,
    store::{
        currencies::Currency,
        domains::Domain,
        invoices::{Invoice, Item},
        orders::{Order, Service},
        payments::Payment,
    },
};

/// Configurable options: a list of `{"option": id, "value": ...}`, or a
/// map `{"<option id>": value}` (reference 001/004's `configoptions`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum OptionsBody {
    List(Vec<OptionBody>),
    #[schema(value_type = Object)]
    Map(serde_json::Map<String, serde_json::Value>),
}

impl Default for OptionsBody {
    fn default() -> Self {
        OptionsBody::List(Vec::new())
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OptionBody {
    /// Option id or uuid.
    #[schema(value_type = String)]
    pub option: serde_json::Value,
    /// A choice id (dropdown, radio), a quantity, or yes/no (`"yes"`,
    /// `"no"`, `1`, `0`, `true`, `false`).
    #[schema(value_type = String)]
    pub value: serde_json::Value,
}

/// Reference 000's order item, with configurable options, addons and a
/// registration term. Amounts and currencies a caller sends are ignored:
/// prices come from the catalog.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemBody {
    /// `hosting` (any catalog product) or `domain` (a domain on its own).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Product id, uuid or slug (not for `domain` items; reference 003
    /// calls it `product_id`).
    #[serde(default)]
    #[schema(value_type = String)]
    #[serde(alias = "product_id")]
    pub package_id: serde_json::Value,
    #[serde(default)]
    pub billing_cycle: String,
    pub domain: Option<String>,
    /// `existing` (default for products), `register` (default for domain
    /// items) or `transfer`.
    pub domain_option: Option<String>,
    /// Registration or transfer term in years, 1 to 10 (default 1).
    pub years: Option<u32>,
    #[serde(default, alias = "configoptions")]
    pub options: OptionsBody,
    /// Addon ids, uuids or slugs (or `{"addon_id": id}`).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub addons: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderBody {
    pub items: Vec<ItemBody>,
    /// A promotion code (reference 001/003 `promocode`).
    #[serde(default, alias = "promocode")]
    pub promo_code: Option<String>,
    /// Free text kept with the order.
    pub notes: Option<String>,
}

/// A JSON scalar as text: `"4"`, `4` and `true` all say something.
fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        serde_json::Value::Object(o) => o
            .get("addon_id")
            .or_else(|| o.get("id"))
            .map(text)
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

fn item_request(i: &ItemBody) -> ItemRequest {
    let options = match &i.options {
        OptionsBody::List(list) => list
            .iter()
            .map(|o| OptionRequest {
                option: text(&o.option),
                value: text(&o.value),
            })
            .collect(),
        OptionsBody::Map(map) => map
            .iter()
            .map(|(k, v)| OptionRequest {
                option: k.clone(),
                value: text(v),
            })
            .collect(),
    };
    ItemRequest {
        kind: i.kind.clone(),
        product: text(&i.package_id),
        billing_cycle: i.billing_cycle.clone(),
        domain: i.domain.clone(),
        domain_option: i.domain_option.clone(),
        years: i.years,
        options,
        addons: i.addons.iter().map(text).collect(),
    }
}

pub(crate) fn items(body: &OrderBody) -> Vec<ItemRequest> {
    body.items.iter().map(item_request).collect()
}

/// Parse a JSON body by hand (the raw bytes are also hashed for
/// idempotency), with the same errors as every other JSON body.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    body: &[u8],
) -> Result<T, AppError> {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
    if !json {
        return Err(AppError::UnsupportedMediaType);
    }
    serde_json::from_slice(body)
        .map_err(|e| crate::api::json_error(actix_web::error::JsonPayloadError::Deserialize(e)))
}

/// One amount a quote line charges today.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteChargeView {
    /// service, setup, option, addon or domain (the invoice line's kind).
    pub kind: &'static str,
    pub description: String,
    pub quantity: i64,
    pub unit_price: Money,
    /// quantity × unit price, as listed.
    pub amount: Money,
    pub discount: Money,
    pub tax: Money,
    pub due_today: Money,
}

/// A configurable option as chosen.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteOptionView {
    pub option_id: i64,
    pub name: String,
    pub choice_id: i64,
    pub choice: String,
    pub quantity: i64,
    /// What it adds to each renewal.
    pub recurring: Money,
}

/// An addon as ordered.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteAddonView {
    pub addon_id: i64,
    pub name: String,
    pub billing_cycle: String,
    pub recurring: Money,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteLineView {
    /// hosting or domain.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// None for a domain on its own.
    pub package_id: Option<i64>,
    pub name: String,
    pub billing_cycle: Option<String>,
    pub domain: Option<String>,
    /// existing, register or transfer.
    pub domain_option: &'static str,
    /// The registration or transfer term.
    pub years: Option<i64>,
    /// The product's price (a domain's, for a domain alone).
    pub price: Money,
    /// The product's setup fee.
    pub setup_fee: Money,
    /// Every discount of the line.
    pub discount: Money,
    pub tax: Money,
    pub due_today: Money,
    /// What the service renews at each cycle, options included.
    pub recurring: Money,
    pub options: Vec<QuoteOptionView>,
    pub addons: Vec<QuoteAddonView>,
    /// Everything the line charges today; they add up to `due_today`.
    pub charges: Vec<QuoteChargeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteTotals {
    pub subtotal: Money,
    pub tax: Money,
    pub due_today: Money,
    /// What recurs, by cycle: `{"monthly": Money}`.
    #[schema(value_type = Object)]
    pub recurring: serde_json::Map<String, serde_json::Value>,
}

/// The tax a quote applies.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteTaxView {
    /// As printed on the invoice, e.g. `VAT 20%`.
    pub label: String,
    /// Percent as exact text, e.g. `"20"` or `"7.375"`.
    pub rate: String,
    /// The listed prices already include this tax.
    pub prices_include_tax: bool,
    /// EU reverse charge: no VAT charged; the buyer accounts for it.
    pub reverse_charge: bool,
}

/// Reference 000 `OrderQuoteResponse`.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteResponse {
    pub currency: String,
    pub items: Vec<QuoteLineView>,
    pub totals: QuoteTotals,
    /// Present when a tax rule applies to the client's place.
    pub tax: Option<QuoteTaxView>,
    /// The promotion applied, when a code was given.
    pub promotion: Option<QuotePromotionView>,
}

/// The promotion a quote applies.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotePromotionView {
    pub code: String,
    /// percent, fixed, free_setup or price_override.
    pub kind: String,
    /// Whether renewals keep the discount.
    pub recurring: bool,
}

pub(crate) fn quote_view(q: &Quote) -> QuoteResponse {
    let m = |v: i64| billing::money(v, &q.currency);
    QuoteResponse {
        promotion: q.promotion.as_ref().map(|p| QuotePromotionView {
            code: p.code.clone(),
            kind: p.kind.clone(),
            recurring: p.recurring,
        }),
        tax: q.tax.as_ref().map(|t| QuoteTaxView {
            label: t.label.clone(),
            rate: crate::domain::tax::format_rate(t.rate_milli),
            prices_include_tax: t.inclusive,
            reverse_charge: t.reverse_charge,
        }),
        currency: q.currency.code.clone(),
        items: q
            .lines
            .iter()
            .map(|l| QuoteLineView {
                kind: if l.product.is_some() {
                    "hosting"
                } else {
                    "domain"
                },
                package_id: l.product.as_ref().map(|p| p.id),
                name: match (&l.product, &l.domain) {
                    (Some(p), _) => p.name.clone(),
                    (None, d) => d.clone().unwrap_or_default(),
                },
                billing_cycle: l.cycle.map(|c| c.as_str().into()),
                domain: l.domain.clone(),
                domain_option: l.domain_order.as_ref().map_or("existing", |d| d.action),
                years: l.domain_order.as_ref().map(|d| d.years),
                price: m(l.price()),
                setup_fee: m(l.setup_fee()),
                discount: m(l.discount()),
                tax: m(l.tax()),
                due_today: m(l.due_today()),
                recurring: m(l.service_recurring()),
                options: l
                    .options
                    .iter()
                    .map(|o| QuoteOptionView {
                        option_id: o.option_id,
                        name: o.option.clone(),
                        choice_id: o.choice_id,
                        choice: o.choice.clone(),
                        quantity: o.quantity,
                        recurring: m(o.recurring),
                    })
                    .collect(),
                addons: l
                    .addons
                    .iter()
                    .map(|a| QuoteAddonView {
                        addon_id: a.addon_id,
                        name: a.name.clone(),
                        billing_cycle: a.cycle.as_str().into(),
                        recurring: m(a.recurring),
                    })
                    .collect(),
                charges: l
                    .charges
                    .iter()
                    .filter(|c| c.amount != 0 || c.kind.as_str() != "setup")
                    .map(|c| QuoteChargeView {
                        kind: c.kind.as_str(),
                        description: c.description.clone(),
                        quantity: c.quantity,
                        unit_price: m(c.unit_amount),
                        amount: m(c.amount),
                        discount: m(c.discount),
                        tax: m(c.tax),
                        due_today: m(c.due()),
                    })
                    .collect(),
            })
            .collect(),
        totals: QuoteTotals {
            subtotal: m(q.subtotal),
            tax: m(q.tax_total),
            due_today: m(q.total_due_today),
            recurring: q
                .recurring
                .iter()
                .map(|(c, v)| (c.clone(), serde_json::to_value(m(*v)).unwrap_or_default()))
                .collect(),
        },
    }
}

pub(crate) async fn maybe_principal(req: &HttpRequest) -> Result<Option<Principal>, AppError> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        use actix_web::FromRequest;
        let p = ApiPrincipal::from_request(req, &mut actix_web::dev::Payload::None).await?;
        return Ok(Some(p.0));
    }
    Ok(None)
}

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
    let client = req
        .headers()
        .get("x-client-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
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

/// Reference 000 `Invoice`, with its amounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceView {
    pub id: i64,
    pub uuid: String,
    pub invoice_number: Option<String>,
    pub status: String,
    pub currency: String,
    pub subtotal: Money,
    pub tax_total: Money,
    pub total: Money,
    pub credit_applied: Money,
    pub amount_paid: Money,
    pub balance_due: Money,
    pub issue_date: String,
    pub due_date: Option<String>,
    pub paid_at: Option<String>,
    /// Printed on the invoice (e.g. the reverse-charge statement).
    pub notes: String,
}

pub(crate) fn invoice_view(i: &Invoice, c: &Currency) -> InvoiceView {
    let m = |v: i64| billing::money(v, c);
    InvoiceView {
        id: i.id,
        uuid: i.uuid.clone(),
        invoice_number: i.number.clone(),
        status: i.status.clone(),
        currency: i.currency.clone(),
        subtotal: m(i.subtotal),
        tax_total: m(i.tax_total),
        total: m(i.total),
        credit_applied: m(i.credit_applied),
        amount_paid: m(i.amount_paid),
        balance_due: m(i.balance_due()),
        notes: i.notes.clone(),
        issue_date: i.issue_date.clone(),
        due_date: Some(i.due_date.clone()),
        paid_at: i.paid_at.clone(),
    }
}

fn domain_item(d: &Domain) -> OrderItemView {
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

fn order_view(
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
        status: o.status.clone(),
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
                status: s.status.clone(),
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
        .filter(|s| s.status == "pending")
        .map(|s| (s.id.to_string(), serde_json::json!({ "status": s.status, "billing_cycle": s.billing_cycle, "domain": s.domain })))
        .collect();
    OrderCreateResponse {
        message: if p.invoice.status == "paid" {
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
                orders::place(db, &st.config, &who.0, &ident, input, &meta.0, now)
            })?;
            idempotency::answer(db, placed, render_placed)
        })
        .await?;
    state.wake_mailer();
    keyed::respond(answer)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderList {
    pub data: Vec<OrderView>,
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

#[derive(Debug, Deserialize, IntoParams)]
pub struct InvoiceQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// unpaid, paid, cancelled or refunded.
    pub status: Option<String>,
}

/// The client's invoices, newest first (needs `billing.payinvoice`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/invoices", tag = "Invoices", operation_id = "listInvoices",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid"), InvoiceQuery),
    responses((status = 200, description = "Paginated invoices", body = Vec<InvoiceView>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn invoices(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
    q: aw::Query<InvoiceQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let (rows, currencies) = state
        .db
        .run(move |db| billing::invoices_of(db, &who.0, &ident, q.status.as_deref(), page))
        .await?;
    let views = rows
        .rows
        .iter()
        .map(|i| invoice_view(i, &billing::currency_in(&currencies, &i.currency)))
        .collect();
    Ok(HttpResponse::Ok().json(paginate(&req, views, page, rows.total)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineView {
    /// service, setup, addon, option, domain, discount, tax, credit, gateway_fee or manual.
    pub kind: String,
    pub description: String,
    pub service_id: Option<i64>,
    /// The domain a `domain` line registers or transfers.
    pub domain_id: Option<i64>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub quantity: i64,
    pub unit_amount: Money,
    pub amount: Money,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceDetail {
    #[serde(flatten)]
    pub invoice: InvoiceView,
    pub items: Vec<InvoiceLineView>,
    /// The seller and buyer as they were when the invoice was issued.
    #[schema(value_type = Object)]
    pub seller: serde_json::Value,
    #[schema(value_type = Object)]
    pub buyer: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceResponse {
    pub data: InvoiceDetail,
}

fn line_view(item: &Item, c: &Currency) -> InvoiceLineView {
    InvoiceLineView {
        kind: item.kind.clone(),
        description: item.description.clone(),
        service_id: item.service_id,
        domain_id: item.domain_id,
        period_start: item.period_start.clone(),
        period_end: item.period_end.clone(),
        quantity: item.quantity,
        unit_amount: billing::money(item.unit_amount, c),
        amount: billing::money(item.amount, c),
    }
}

fn invoice_response(i: &Invoice, items: &[Item], c: &Currency) -> InvoiceResponse {
    InvoiceResponse {
        data: InvoiceDetail {
            items: items.iter().map(|it| line_view(it, c)).collect(),
            seller: serde_json::from_str(&i.seller).unwrap_or_default(),
            buyer: serde_json::from_str(&i.buyer).unwrap_or_default(),
            invoice: invoice_view(i, c),
        },
    }
}

/// One invoice with its lines; another client's invoice is a 404.
#[utoipa::path(get, path = "/api/v1/clients/{client}/invoices/{invoice}", tag = "Invoices", operation_id = "getInvoice",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("invoice" = String, Path, description = "Invoice id, uuid or number")),
    responses((status = 200, body = InvoiceResponse), (status = 404, body = ApiError)))]
pub async fn invoice(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, inv) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let (i, items, c) = state
        .db
        .run(move |db| billing::invoice_of(db, &who.0, &ident, &inv))
        .await?;
    Ok(HttpResponse::Ok().json(invoice_response(&i, &items, &c)))
}

/// Reference 000 `Payment`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentView {
    pub id: i64,
    pub uuid: String,
    pub invoice_id: i64,
    pub amount: Money,
    pub status: &'static str,
    pub transaction_id: Option<String>,
    pub gateway: Option<String>,
    pub created_at: String,
}

pub(crate) fn payment_view(p: &Payment, c: &Currency) -> PaymentView {
    PaymentView {
        id: p.id,
        uuid: p.uuid.clone(),
        invoice_id: p.invoice_id,
        amount: billing::money(p.amount, c),
        status: "completed",
        transaction_id: Some(p.transaction_id.clone()),
        gateway: Some(p.gateway.clone()),
        created_at: p.created_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentList {
    pub data: Vec<PaymentView>,
}

/// The client's payments (needs `billing.payinvoice`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/payments", tag = "Invoices", operation_id = "listPayments",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = PaymentList), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn payments(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let (rows, currencies) = state
        .db
        .run(move |db| billing::payments_of(db, &who.0, &ident))
        .await?;
    let data = rows
        .iter()
        .map(|p| payment_view(p, &billing::currency_in(&currencies, &p.currency)))
        .collect();
    Ok(HttpResponse::Ok().json(PaymentList { data }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    /// In the invoice's currency: `29.99`, `"29.99"` or
    /// `{"amount_minor": 2999}`, read exactly.
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
    /// Or the amount in minor units.
    pub amount_minor: Option<i64>,
    /// e.g. `bank_transfer`, `manual`.
    pub gateway: String,
    /// The bank or gateway reference; recorded once per gateway.
    pub transaction_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayResponse {
    pub success: bool,
    pub message: String,
    pub data: InvoiceView,
    pub payment: PaymentView,
}

/// Record a payment on an invoice (reference 002; needs `billing:write`).
/// Full payment marks it paid and activates its order; more than is owed
/// becomes account credit.
#[utoipa::path(post, path = "/api/v1/invoices/{invoice}/pay", tag = "Staff billing", operation_id = "staffPayInvoice",
    security(("bearerAuth" = [])), params(("invoice" = String, Path, description = "Invoice id, uuid or number")),
    request_body = PayRequest,
    responses((status = 200, body = PayResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn pay(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<PayRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = RecordPayment {
        amount: money::amount_of(b.amount, b.amount_minor)?,
        gateway: b.gateway,
        transaction_id: b.transaction_id,
    };
    let (invoice, payment) = record_payment(&state, staff, meta, path.into_inner(), input).await?;
    Ok(HttpResponse::Ok().json(pay_response(invoice, payment)))
}

/// Record a staff payment and answer the invoice and payment as views.
pub(crate) async fn record_payment(
    state: &AppState,
    staff: ApiStaff,
    meta: Meta,
    invoice: String,
    input: RecordPayment,
) -> Result<(InvoiceView, PaymentView), AppError> {
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let views = state
        .db
        .run(move |db| {
            let (i, p) = crate::service::payments::record_payment(
                db, &brand, &staff.0, &invoice, input, &meta.0, now,
            )?;
            let c = db.read(|c| billing::currency(c, &i.currency))?;
            Ok((invoice_view(&i, &c), payment_view(&p, &c)))
        })
        .await?;
    state.wake_mailer();
    Ok(views)
}

pub(crate) fn pay_response(invoice: InvoiceView, payment: PaymentView) -> PayResponse {
    PayResponse {
        success: true,
        message: if invoice.status == "paid" {
            "Invoice paid".into()
        } else {
            "Payment recorded".into()
        },
        data: invoice,
        payment,
    }
}

/// Reference 001's apply-credit body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyCreditRequest {
    /// In the invoice's currency (`1.50`, `"1.50"` or
    /// `{"amount_minor": 150}`); without it, the most that helps (the
    /// smaller of the credit and the balance due).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
}

/// Pay an invoice from the account's credit (needs `billing.payinvoice`;
/// staff keys need `billing:write`). Paying it in full activates its order.
#[utoipa::path(post, path = "/api/v1/clients/{client}/invoices/{invoice}/apply-credit", tag = "Invoices", operation_id = "applyCredit",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("invoice" = String, Path, description = "Invoice id, uuid or number")),
    request_body = ApplyCreditRequest,
    responses((status = 200, body = InvoiceResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn apply_credit(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<ApplyCreditRequest>,
) -> Result<HttpResponse, AppError> {
    let (client, inv) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let amount = body.into_inner().amount;
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let (i, items, c) = state
        .db
        .run(move |db| {
            let after = crate::service::payments::apply_credit(
                db,
                &brand,
                &who.0,
                &ident,
                &inv,
                amount.as_ref(),
                &meta.0,
                now,
            )?;
            billing::invoice_of(db, &who.0, &ident, &after.id.to_string())
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Ok().json(invoice_response(&i, &items, &c)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CancelResponse {
    pub success: bool,
    pub data: InvoiceView,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CancelQuery {
    /// Give the renewal periods the invoice billed for free (they count as
    /// paid and the service's next due date moves past them). By default
    /// they are released: the next renewal run invoices them again.
    pub waive_periods: Option<bool>,
}

/// Cancel an unpaid invoice (staff, `billing:write`). Anything already paid
/// towards it returns to the client's credit; its order and the services
/// that never started are cancelled; a plan change or addon waiting for it
/// is dropped; the renewal periods it billed are released (billed again by
/// the next run) or, with `waive_periods=true`, given free.
#[utoipa::path(post, path = "/api/v1/invoices/{invoice}/cancel", tag = "Staff billing", operation_id = "staffCancelInvoice",
    security(("bearerAuth" = [])), params(("invoice" = String, Path, description = "Invoice id, uuid or number"), CancelQuery),
    responses((status = 200, body = CancelResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn cancel(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    query: aw::Query<CancelQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let periods = if query.waive_periods.unwrap_or(false) {
        crate::service::payments::Periods::Waive
    } else {
        crate::service::payments::Periods::Release
    };
    let now = state.now();
    let brand = Branding::from_config(&state.config);
    let view = state
        .db
        .run(move |db| {
            let inv = crate::service::payments::cancel_invoice(
                db, &brand, &staff.0, &ident, periods, &meta.0, now,
            )?;
            let c = db.read(|c| billing::currency(c, &inv.currency))?;
            Ok(invoice_view(&inv, &c))
        })
        .await?;
    Ok(HttpResponse::Ok().json(CancelResponse {
        success: true,
        data: view,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PaymentQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Only this client's payments.
    pub client_id: Option<i64>,
    /// Only this gateway's, e.g. `bank_transfer`.
    pub gateway: Option<String>,
}

/// Every payment, newest first (staff, `billing:read`; reference 002).
#[utoipa::path(get, path = "/api/v1/payments", tag = "Staff billing", operation_id = "staffListPayments",
    security(("bearerAuth" = [])), params(PaymentQuery),
    responses((status = 200, description = "Paginated payments", body = Vec<PaymentView>), (status = 403, body = ApiError)))]
pub async fn all_payments(
    req: HttpRequest,
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<PaymentQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let gateway = q.gateway.map(|g| g.trim().to_lowercase());
    let (rows, currencies) = state
        .db
        .run(move |db| billing::all_payments(db, &staff.0, q.client_id, gateway.as_deref(), page))
        .await?;
    let views = rows
        .rows
        .iter()
        .map(|p| payment_view(p, &billing::currency_in(&currencies, &p.currency)))
        .collect();
    Ok(HttpResponse::Ok().json(paginate(&req, views, page, rows.total)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddFundsRequest {
    /// In the client's currency: `50`, `"50.00"` or
    /// `{"amount_minor": 5000}`. (Checked after access, so another
    /// client's id is a 404 whatever amount the body gives.)
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
}

/// An invoice that adds account credit once it is paid (reference 000
/// credit invoices; needs `billing.addfunds`).
#[utoipa::path(post, path = "/api/v1/clients/{client}/credit/invoices", tag = "Invoices", operation_id = "addFunds",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    request_body = AddFundsRequest,
    responses((status = 201, body = InvoiceResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_funds(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<AddFundsRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let amount = body.into_inner().amount;
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let (i, items, c) = state
        .db
        .run(move |db| {
            let inv = billing::add_funds_invoice(
                db,
                &brand,
                &who.0,
                &ident,
                amount.as_ref(),
                &meta.0,
                now,
            )?;
            billing::invoice_of(db, &who.0, &ident, &inv.id.to_string())
        })
        .await?;
    Ok(HttpResponse::Created().json(invoice_response(&i, &items, &c)))
}
