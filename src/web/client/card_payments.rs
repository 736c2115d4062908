//! Paying an invoice by card from the client area: the gateway's hosted
//! page (Stripe Checkout, Paystack), then back to till, which asks the
//! gateway what happened (the return itself proves nothing).

use crate::integrations::gateways::Flow;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::{
    service::{
        email::Branding,
        idempotency::{self, KeyedRequest, Surface},
        payments::gateway_payments::{self, Outcome, StartInput, StartOutcome},
    },
    web::errors::PageError,
    web::{
        client::{account, invoices},
        form::problem,
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "client/redirect.html")]
struct RedirectPage {
    layout: Layout,
    title: String,
    text: String,
    url: String,
}

#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct PayForm {
    csrf: String,
    gateway: String,
    pay_key: String,
}

/// Where the customer's browser reaches till: the configured public URL,
/// else the origin of this request (the gateway sends the customer back
/// there; a forged Host header only misdirects the forger).
fn origin(web: &Web, req: &HttpRequest) -> String {
    if !web.state.config.public_url.is_empty() {
        return Branding::from_config(&web.state.config).base_url;
    }
    let scheme = if web.https { "https" } else { "http" };
    let host = req.connection_info().host().to_string();
    format!("{scheme}://{host}")
}

/// Start a hosted payment and send the customer to the gateway's page.
pub async fn start(
    mut web: Web,
    req: HttpRequest,
    path: aw::Path<String>,
    form: aw::Form<PayForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let invoice = path.into_inner();
    let base = origin(&web, &req);
    let key = if input.pay_key.trim().is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        input.pay_key.clone()
    };
    let key = KeyedRequest::new(
        Surface::ClientArea,
        &key,
        format!("{}:{}", invoice, input.gateway),
    )
    .map_err(PageError::from)?;
    let start = StartInput {
        gateway: input.gateway.clone(),
        flow: Flow::Hosted,
        key,
        return_url: format!("{base}/account/payments/return/{{ATTEMPT}}"),
        cancel_url: format!("{base}/account/invoices/{invoice}?done=cancelled"),
    };
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let (meta, now) = (web.meta.clone(), state.now());
    let started = match gateway_payments::start(
        &state.db,
        &state.gateways,
        principal,
        ident,
        invoice.clone(),
        start,
        meta,
        now,
    )
    .await
    {
        // The client area's answer: the gateway's page to go to.
        Ok(started) => {
            state
                .db
                .run(move |db| {
                    idempotency::answer(db, started, |o: &StartOutcome| {
                        Ok((201, o.started.redirect_url.clone().unwrap_or_default()))
                    })
                })
                .await
        }
        Err(e) => Err(e),
    };
    match started {
        Ok((_, url)) if url.starts_with("https://") || url.starts_with("http://") => {
            // Not a redirect: the page's `form-action 'self'` policy would
            // stop a form post being redirected to the gateway. A page of
            // our own that moves on (meta refresh, or the link) is a new
            // navigation, which that policy allows.
            let page = RedirectPage {
                layout: account.layout(&web, "Continue to payment"),
                title: "Continue to payment".into(),
                text: "Taking you to the payment page. If nothing happens, use the button below."
                    .into(),
                url,
            };
            Ok(web.html(StatusCode::OK, page_html(&page)?))
        }
        Ok(_) => Err(PageError::from(crate::error::AppError::internal(
            "the gateway gave no payment page",
        ))),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            let message = problems
                .errors
                .values()
                .flatten()
                .next()
                .cloned()
                .or(problems.message);
            invoices::detail(&mut web, invoice, status, None, message).await
        }
    }
}

/// The customer is back from the gateway: ask it about the attempt, record
/// what it says, and show the invoice.
pub async fn back(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let id: i64 = path
        .into_inner()
        .parse()
        .map_err(|_| PageError::from(crate::error::AppError::NotFound))?;
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let attempt = state
        .db
        .run(move |db| gateway_payments::attempt_of(db, &principal, &ident, id))
        .await?;
    let brand = Branding::from_config(&state.config);
    let done = match gateway_payments::confirm_attempt(
        &state.db,
        &state.gateways,
        &brand,
        &attempt,
        state.now(),
    )
    .await
    {
        Ok(Outcome::Paid { .. }) => "paid",
        Ok(Outcome::Failed) => "failed",
        // The gateway could not be asked now: the webhook will settle it.
        Ok(_) | Err(_) => "pending",
    };
    state.wake_mailer();
    Ok(web.redirect(&format!(
        "/account/invoices/{}?done={done}",
        attempt.invoice_id
    )))
}
