//! Renewing a domain ahead from its page: the "Renew" form places the
//! same invoice-first order as the API's (`orders::place` with a `domain`
//! item, `domain_option: renew`) under the form's idempotency key, and
//! sends the customer to its invoice, as the store does.

use actix_web::{HttpResponse, web as aw};
use serde::Deserialize;

use crate::{
    auth::secrets,
    error::AppError,
    service::{
        domains::client_domains,
        idempotency::{self, KeyedRequest, Surface},
        sales::orders::{self, ItemRequest, PlaceOrder},
    },
    web::{
        client::{account, domains, store::invoice_page},
        errors::PageError,
        form::problem,
        session::{Area, Web},
    },
};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RenewForm {
    csrf: String,
    order_key: String,
    years: String,
}

pub async fn renew(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<RenewForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let id = domains::domain_id(&path)?;
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let (meta, now) = (web.meta.clone(), web.state.now());
    let years = input.years.trim().parse::<u32>().unwrap_or(u32::MAX);
    let hash = secrets::hash(&format!("renew:{id}:{years}"));
    let placed = web
        .state
        .db
        .run(move |db| {
            // Another account's domain is a 404 before anything is priced.
            let domain = client_domains::get(db, &principal, &ident, id)?;
            let place = PlaceOrder {
                items: vec![ItemRequest {
                    kind: "domain".into(),
                    domain: Some(domain.name),
                    domain_option: Some("renew".into()),
                    years: Some(years),
                    ..ItemRequest::default()
                }],
                promo_code: None,
                key: KeyedRequest::new(Surface::ClientArea, &input.order_key, hash)?,
                cart_id: None,
            };
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
        Err(AppError::NotFound) => Err(PageError::App(AppError::NotFound)),
        Err(e) => {
            let (status, mut problems, _) = problem(e)?;
            // The service names the order item's fields; the form has one.
            let errors = std::mem::take(&mut problems.errors);
            for (_, messages) in errors {
                problems
                    .errors
                    .entry("years".into())
                    .or_default()
                    .extend(messages);
            }
            domains::detail(&mut web, id, status, problems, None, None, None).await
        }
    }
}
