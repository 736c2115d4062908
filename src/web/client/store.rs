//! The store: browse the catalog, pick a billing cycle, and order. An
//! order from the browser goes through `orders::place` like the API's, with
//! an idempotency key carried in the form, so a double click or a resent
//! form makes one order.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::{
    auth::secrets,
    domain::cycle::BillingCycle,
    error::AppError,
    service::{
        billing,
        catalog::{self, PricedProduct},
        idempotency::{self, KeyedRequest, Surface},
        sales::orders::{self, PlaceOrder, PlacedOrder},
    },
    store::{catalog::Group, currencies::Currency},
    web::errors::PageError,
    web::{
        client::{
            account,
            domain_search::DomainRow,
            order_form::{
                AddonField, OptionField, OrderForm, RegistrantFieldGroup, addon_fields,
                form_errors, item_from_form, option_fields, registrant_field_groups,
            },
        },
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// A price as the store shows it.
pub struct PriceOption {
    pub cycle: &'static str,
    pub label: &'static str,
    pub price: String,
    pub setup_fee: Option<String>,
}

fn options(p: &PricedProduct, cur: &Currency) -> Vec<PriceOption> {
    BillingCycle::ALL
        .into_iter()
        .filter_map(|cycle| {
            p.prices
                .iter()
                .find(|pr| pr.currency == cur.code && pr.cycle == cycle.as_str())
                .map(|pr| PriceOption {
                    cycle: cycle.as_str(),
                    label: cycle.label(),
                    price: billing::format_money(pr.price, cur),
                    setup_fee: (pr.setup_fee > 0).then(|| billing::format_money(pr.setup_fee, cur)),
                })
        })
        .collect()
}

pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub options: Vec<PriceOption>,
    pub in_stock: bool,
}

fn card(p: &PricedProduct, cur: &Currency) -> ProductCard {
    ProductCard {
        slug: p.product.slug.clone(),
        name: p.product.name.clone(),
        description: p.product.description.clone(),
        options: options(p, cur),
        in_stock: p.product.stock.is_none_or(|s| s > 0),
    }
}

/// The currency prices are shown in: the logged-in account's, else the
/// default.
async fn shown_currency(
    web: &Web,
    account: Option<&account::Account>,
) -> Result<Currency, PageError> {
    let principal = account.map(|a| a.principal.clone());
    let ident = account.map(|a| a.ident());
    Ok(web
        .state
        .db
        .run(move |db| {
            db.read(|c| {
                let code = orders::quote_currency(c, principal.as_ref(), ident.as_deref())?;
                billing::currency(c, &code)
            })
        })
        .await?)
}

pub(super) fn layout(web: &Web, account: Option<&account::Account>, title: &str) -> Layout {
    match account {
        Some(a) => a.layout(web, title),
        None => Layout::new(&web.state, title),
    }
}

pub(super) async fn maybe_account(web: &Web) -> Result<Option<account::Account>, PageError> {
    match web.user() {
        Ok(_) => Ok(Some(account::load(web).await?)),
        Err(_) => Ok(None),
    }
}

#[derive(Template)]
#[template(path = "client/store.html")]
struct StorePage {
    layout: Layout,
    groups: Vec<(Group, Vec<ProductCard>)>,
}

pub async fn index(mut web: Web) -> Result<HttpResponse, PageError> {
    let account = maybe_account(&web).await?;
    let cur = shown_currency(&web, account.as_ref()).await?;
    let groups = web
        .state
        .db
        .run(|db| {
            catalog::public_groups(db)?
                .into_iter()
                .map(|g| {
                    let (g, products) = catalog::public_group(db, &g.slug)?;
                    Ok((g, products))
                })
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    let groups = groups
        .into_iter()
        .map(|(g, products)| {
            let cards = products
                .iter()
                .map(|p| card(p, &cur))
                .filter(|c| !c.options.is_empty())
                .collect();
            (g, cards)
        })
        .collect();
    let page = StorePage {
        layout: layout(&web, account.as_ref(), "Store"),
        groups,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Template)]
#[template(path = "client/product.html")]
struct ProductPage {
    layout: Layout,
    product: ProductCard,
    requires_domain: bool,
    logged_in: bool,
    csrf: String,
    order_key: String,
    form: FormState,
    chosen_cycle: String,
    domain: String,
    domain_option: String,
    years: String,
    promo_code: String,
    options: Vec<OptionField>,
    addons: Vec<AddonField>,
    /// The answer of "Check availability" for the domain field.
    domain_check: Option<DomainRow>,
    /// TLDs' registrant fields (`.us` nexus, ...), for a registration or
    /// transfer.
    registrant_fields: Vec<RegistrantFieldGroup>,
}

pub(super) async fn product_page(
    web: &mut Web,
    slug: String,
    status: StatusCode,
    form: FormState,
    input: OrderForm,
) -> Result<HttpResponse, PageError> {
    product_page_with(web, slug, status, form, input, None).await
}

/// The product page, with the domain field's availability when checked.
pub(super) async fn product_page_with(
    web: &mut Web,
    slug: String,
    status: StatusCode,
    form: FormState,
    input: OrderForm,
    domain_check: Option<DomainRow>,
) -> Result<HttpResponse, PageError> {
    let account = maybe_account(web).await?;
    let cur = shown_currency(web, account.as_ref()).await?;
    let (detail, tlds) = web
        .state
        .db
        .run(move |db| {
            Ok((
                catalog::public_product_detail(db, &slug)?,
                catalog::tlds::public_list(db)?,
            ))
        })
        .await?;
    let p = &detail.product;
    let product = card(p, &cur);
    let cycles: Vec<BillingCycle> = product
        .options
        .iter()
        .filter_map(|o| o.cycle.parse().ok())
        .collect();
    let page = ProductPage {
        layout: layout(web, account.as_ref(), &p.product.name),
        requires_domain: p.product.requires_domain,
        logged_in: account.is_some(),
        csrf: match account.as_ref() {
            Some(a) => a.csrf.clone(),
            // Guests may fill a cart: their forms carry the pre-login token.
            None => web.csrf_token(Area::Client),
        },
        // A fresh key each time the form is shown; a resent form reuses it.
        order_key: if input.order_key.is_empty() {
            secrets::new_secret("web_")
        } else {
            input.order_key.clone()
        },
        chosen_cycle: if input.billing_cycle.is_empty() {
            product
                .options
                .first()
                .map(|o| o.cycle.to_string())
                .unwrap_or_default()
        } else {
            input.billing_cycle.clone()
        },
        registrant_fields: registrant_field_groups(&tlds, &input),
        options: option_fields(&detail.options, &cur, &cycles, &input),
        addons: addon_fields(&detail.addons, &cur, &cycles, &input),
        domain: input.domain,
        domain_option: if input.domain_option.is_empty() {
            "existing".into()
        } else {
            input.domain_option
        },
        years: if input.years.is_empty() {
            "1".into()
        } else {
            input.years
        },
        promo_code: input.promo_code,
        product,
        form,
        domain_check,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn product(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    product_page(
        &mut web,
        path.into_inner(),
        StatusCode::OK,
        FormState::default(),
        OrderForm::default(),
    )
    .await
}

/// The client area's answer to a placed order, stored with its key: a 303
/// to the order's invoice.
pub(super) fn invoice_page(p: &PlacedOrder) -> Result<(u16, String), AppError> {
    Ok((303, format!("/account/invoices/{}", p.invoice.id)))
}

pub async fn order(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let input = OrderForm::parse(form.into_inner());
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let slug = path.into_inner();
    let item = item_from_form(&slug, &input);
    let promo = Some(input.promo_code.trim().to_string()).filter(|c| !c.is_empty());
    // Everything asked for, in a fixed order (options and addons are sorted).
    let request_hash = secrets::hash(&format!("{item:?}\n{promo:?}"));
    let key = match KeyedRequest::new(Surface::ClientArea, &input.order_key, request_hash) {
        Ok(key) => key,
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            return product_page(&mut web, slug, status, problems, input).await;
        }
    };
    let place = PlaceOrder {
        items: vec![item.clone()],
        promo_code: promo,
        key,
        cart_id: None,
    };
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let (meta, now) = (web.meta.clone(), web.state.now());
    let placed = web
        .state
        .db
        .run(move |db| {
            let placed = orders::place(
                db,
                &state.config,
                &state.keys,
                &principal,
                &ident,
                place,
                &meta,
                now,
            )?;
            idempotency::answer(db, placed, invoice_page)
        })
        .await;
    match placed {
        Ok((_, location)) => {
            web.state.wake_mailer();
            Ok(web.redirect(&location))
        }
        Err(e) => {
            let (status, mut problems, _) = problem(e)?;
            // The service names fields as the API's body does.
            problems.errors = form_errors(&item, std::mem::take(&mut problems.errors));
            product_page(&mut web, slug, status, problems, input).await
        }
    }
}
