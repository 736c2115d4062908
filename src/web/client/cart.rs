//! The cart in the client area: add from a product page (guests too), see
//! it priced from the catalog, remove items, apply a promotion, and check
//! out, logging in on the same page when needed. The cart's id lives in a
//! cookie; logging in claims it (`carts::claim`, called from the login).

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::{
    auth::principal::Principal,
    error::AppError,
    service::{
        billing,
        idempotency::{self, Surface},
        sales::carts::{self, CartSummary},
        sales::promo_guard,
    },
    web::errors::PageError,
    web::{
        client::{
            order_form::{OrderForm, form_errors, item_from_form},
            store::{invoice_page, layout, maybe_account, product_page},
        },
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

fn principal(web: &Web) -> Option<Principal> {
    web.user().ok().map(|(s, _)| s.principal.clone())
}

/// The browser's cart if it is still usable, else a new one.
async fn cart_for_adding(web: &mut Web) -> Result<String, PageError> {
    let who = principal(web);
    if let Some(id) = web.cart.clone() {
        let (p, now) = (who.clone(), web.state.now());
        let found = web
            .state
            .db
            .run(move |db| carts::show(db, p.as_ref(), &id, now))
            .await;
        match found {
            Ok(s) if s.cart.status == "open" => return Ok(s.cart.public_id),
            Ok(_) | Err(AppError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let (now, meta, limiter) = (web.state.now(), web.meta.clone(), web.state.limiter.clone());
    let made = web
        .state
        .db
        .run(move |db| carts::create(db, &limiter, &meta, who.as_ref(), None, now))
        .await?;
    web.set_cart(Some(&made.cart.public_id));
    Ok(made.cart.public_id)
}

/// Add the product as configured on its page.
pub async fn add(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let input = OrderForm::parse(form.into_inner());
    web.check_csrf(Area::Client, &input.csrf)?;
    let slug = path.into_inner();
    let item = item_from_form(&slug, &input);
    let id = cart_for_adding(&mut web).await?;
    let (who, now) = (principal(&web), web.state.now());
    let keys = web.state.keys.clone();
    let promo = Some(input.promo_code.trim().to_string()).filter(|c| !c.is_empty());
    let (target, wanted) = (id.clone(), item.clone());
    let added = web
        .state
        .db
        .run(move |db| {
            carts::add_items(db, &keys, who.as_ref(), &target, vec![wanted], now)?;
            if let Some(code) = promo {
                carts::set_promotion(db, who.as_ref(), &target, Some(&code), now)?;
            }
            Ok(())
        })
        .await;
    match added {
        Ok(()) => Ok(web.redirect("/cart")),
        Err(e) => {
            let (status, mut problems, _) = problem(e)?;
            if let Some(m) = problems.errors.remove("code") {
                problems.errors.insert("promo_code".into(), m);
            }
            problems.errors = form_errors(&item, std::mem::take(&mut problems.errors));
            product_page(&mut web, slug, status, problems, input).await
        }
    }
}

pub struct CartRow {
    pub item_id: String,
    pub name: String,
    pub detail: String,
    pub due_today: String,
}

#[derive(Template)]
#[template(path = "client/cart.html")]
struct CartPage {
    layout: Layout,
    csrf: String,
    rows: Vec<CartRow>,
    subtotal: String,
    discount: String,
    tax: String,
    tax_label: String,
    total: String,
    recurring: Vec<(String, String)>,
    promo_code: String,
    logged_in: bool,
    email: String,
    form: FormState,
}

fn rows(s: &CartSummary) -> Vec<CartRow> {
    let Some(q) = &s.quote else {
        return Vec::new();
    };
    s.items
        .iter()
        .zip(&q.lines)
        .map(|((id, _), line)| {
            let name = match (&line.product, &line.domain) {
                (Some(p), _) => p.name.clone(),
                (None, Some(d)) => format!("Domain {d}"),
                (None, None) => String::new(),
            };
            let mut detail = Vec::new();
            if let Some(c) = line.cycle {
                detail.push(c.label().to_string());
            }
            if let (Some(_), Some(d)) = (&line.product, &line.domain) {
                detail.push(d.clone());
            }
            detail.extend(line.options.iter().map(|o| match o.kind.as_str() {
                "quantity" => format!("{}: {}", o.option, o.quantity),
                "yesno" => o.option.clone(),
                _ => format!("{}: {}", o.option, o.choice),
            }));
            detail.extend(line.addons.iter().map(|a| a.name.clone()));
            CartRow {
                item_id: id.clone(),
                name,
                detail: detail.join(" · "),
                due_today: billing::format_money(line.due_today(), &q.currency),
            }
        })
        .collect()
}

async fn cart_page(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    email: String,
) -> Result<HttpResponse, PageError> {
    let account = maybe_account(web).await?;
    let who = principal(web);
    let now = web.state.now();
    let summary = match web.cart.clone() {
        Some(id) => {
            let found = web
                .state
                .db
                .run(move |db| carts::show(db, who.as_ref(), &id, now))
                .await;
            match found {
                Ok(s) if s.cart.status == "open" => Some(s),
                Ok(_) | Err(AppError::NotFound) => None,
                Err(e) => return Err(e.into()),
            }
        }
        None => None,
    };
    let mut page = CartPage {
        layout: layout(web, account.as_ref(), "Your cart"),
        csrf: web.csrf_token(Area::Client),
        rows: Vec::new(),
        subtotal: String::new(),
        discount: String::new(),
        tax: String::new(),
        tax_label: String::new(),
        total: String::new(),
        recurring: Vec::new(),
        promo_code: String::new(),
        logged_in: account.is_some(),
        email,
        form,
    };
    if let Some(s) = &summary {
        page.rows = rows(s);
        page.promo_code = s.cart.promo_code.clone().unwrap_or_default();
        if let Some(q) = &s.quote {
            let fmt = |m: i64| billing::format_money(m, &q.currency);
            let discount: i64 = q.lines.iter().map(|l| l.discount()).sum();
            page.subtotal = fmt(q.subtotal
                + if discount > 0 && q.tax.as_ref().is_none_or(|t| !t.inclusive) {
                    discount
                } else {
                    0
                });
            page.discount = if discount > 0 {
                fmt(discount)
            } else {
                String::new()
            };
            page.tax = fmt(q.tax_total);
            page.tax_label = q
                .tax
                .as_ref()
                .map(|t| t.label.clone())
                .unwrap_or_else(|| "Tax".into());
            page.total = fmt(q.total_due_today);
            page.recurring = q
                .recurring
                .iter()
                .map(|(k, v)| (k.replace('_', " "), fmt(*v)))
                .collect();
        }
    }
    Ok(web.html(status, page_html(&page)?))
}

pub async fn show(mut web: Web) -> Result<HttpResponse, PageError> {
    cart_page(
        &mut web,
        StatusCode::OK,
        FormState::default(),
        String::new(),
    )
    .await
}

#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// Take one item out.
pub async fn remove(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let Some(id) = web.cart.clone() else {
        return Ok(web.redirect("/cart"));
    };
    let (who, now, item) = (principal(&web), web.state.now(), path.into_inner());
    match web
        .state
        .db
        .run(move |db| carts::remove_item(db, who.as_ref(), &id, &item, now))
        .await
    {
        Ok(_) | Err(AppError::NotFound) => Ok(web.redirect("/cart")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct PromoForm {
    csrf: String,
    promo_code: String,
    remove: String,
}

/// Apply (or remove) a promotion code.
pub async fn promotion(mut web: Web, form: aw::Form<PromoForm>) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let Some(id) = web.cart.clone() else {
        return Ok(web.redirect("/cart"));
    };
    let (who, now) = (principal(&web), web.state.now());
    let (meta, limiter) = (web.meta.clone(), web.state.limiter.clone());
    let code = (input.remove.is_empty()).then(|| input.promo_code.clone());
    let applied = web
        .state
        .db
        .run(move |db| {
            promo_guard::attempt(&limiter, &meta, code.as_deref(), now, || {
                carts::set_promotion(db, who.as_ref(), &id, code.as_deref(), now)
            })
        })
        .await;
    match applied {
        Ok(_) => Ok(web.redirect("/cart")),
        Err(e) => {
            let (status, mut problems, _) = problem(e)?;
            if let Some(m) = problems.errors.remove("code") {
                problems.errors.insert("promo_code".into(), m);
            }
            cart_page(&mut web, status, problems, String::new()).await
        }
    }
}

/// Turn the cart into an order and open its invoice.
pub async fn checkout(mut web: Web, form: aw::Form<CsrfForm>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let Some((session, _)) = web.user().ok() else {
        return Ok(web.redirect("/cart"));
    };
    let who = session.principal.clone();
    let Some(id) = web.cart.clone() else {
        return Ok(web.redirect("/cart"));
    };
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let placed = web
        .state
        .db
        .run(move |db| {
            let placed = carts::checkout(
                db,
                &state.config,
                &state.keys,
                &who,
                &id,
                Surface::ClientArea,
                &meta,
                now,
            )?;
            idempotency::answer(db, placed, invoice_page)
        })
        .await;
    match placed {
        Ok((_, location)) => {
            web.state.wake_mailer();
            web.set_cart(None);
            Ok(web.redirect(&location))
        }
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            cart_page(&mut web, status, problems, String::new()).await
        }
    }
}
