//! The account's invoices: a list and each invoice with its lines. Needs
//! `billing.payinvoice`, like the API; another account's invoice is a 404.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::domain::status::InvoiceStatus;
use crate::{
    domain::money_input::MoneyInput,
    domain::privileges::Privilege,
    service::{billing, billing::payment_methods, billing::vat_ids, email::Branding},
    store::{PageRequest, currencies::Currency},
    web::errors::PageError,
    web::{
        client::account,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// An invoice as a row of the list or the head of the detail page.
pub struct InvoiceRow {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub issue_date: String,
    pub due_date: String,
    pub paid_at: String,
    pub subtotal: String,
    pub tax_total: String,
    pub total: String,
    pub credit_applied: String,
    pub amount_paid: String,
    pub balance_due: String,
    pub owed: bool,
}

fn row(inv: &crate::store::invoices::Invoice, cur: &Currency) -> InvoiceRow {
    let fmt = |m: i64| billing::format_money(m, cur);
    InvoiceRow {
        id: inv.id,
        number: inv.display_number(),
        status: inv.status.to_string(),
        issue_date: inv.issue_date.clone(),
        due_date: inv.due_date.clone(),
        paid_at: inv.paid_at.clone().unwrap_or_default(),
        subtotal: fmt(inv.subtotal),
        tax_total: fmt(inv.tax_total),
        total: fmt(inv.total),
        credit_applied: fmt(inv.credit_applied),
        amount_paid: fmt(inv.amount_paid),
        balance_due: fmt(inv.balance_due()),
        owed: inv.status == InvoiceStatus::Unpaid && inv.balance_due() > 0,
    }
}

#[derive(Template)]
#[template(path = "client/invoices.html")]
struct ListPage {
    layout: Layout,
    invoices: Vec<InvoiceRow>,
    csrf: String,
    /// The add-funds form is shown to those who may add funds.
    can_add_funds: bool,
    form: FormState,
    amount: String,
}

pub async fn list(mut web: Web) -> Result<HttpResponse, PageError> {
    list_page(
        &mut web,
        StatusCode::OK,
        FormState::default(),
        String::new(),
    )
    .await
}

async fn list_page(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    amount: String,
) -> Result<HttpResponse, PageError> {
    let account = account::load(web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (page, currencies) = web
        .state
        .db
        .run(move |db| {
            billing::invoices_of(
                db,
                &principal,
                &ident,
                None,
                PageRequest {
                    page: 1,
                    per_page: 100,
                },
            )
        })
        .await?;
    let invoices = page
        .rows
        .iter()
        .map(|inv| row(inv, &billing::currency_in(&currencies, &inv.currency)))
        .collect();
    let page = ListPage {
        layout: account.layout(web, "Invoices"),
        invoices,
        csrf: account.csrf.clone(),
        can_add_funds: account.access.can(Privilege::BillingAddFunds),
        form,
        amount,
    };
    Ok(web.html(status, page_html(&page)?))
}

/// One line of an invoice.
pub struct LineRow {
    pub description: String,
    pub period: String,
    pub quantity: i64,
    pub unit_amount: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "client/invoice.html")]
struct DetailPage {
    layout: Layout,
    invoice: InvoiceRow,
    lines: Vec<LineRow>,
    seller: Vec<String>,
    buyer: Vec<String>,
    notes: String,
    /// Bank details, when the invoice is owed and bank transfer is on.
    bank_instructions: Option<String>,
    csrf: String,
    /// The account's credit, when it can pay some of this invoice.
    credit: Option<String>,
    /// Card gateways offered for this invoice: (code, name).
    cards: Vec<(String, String)>,
    /// A fresh idempotency key for the pay buttons: a double click starts
    /// one payment.
    pay_key: String,
    notice: Option<&'static str>,
    problem: Option<String>,
}

/// The printable lines of a seller or buyer snapshot (frozen JSON).
fn party_lines(snapshot: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(snapshot).unwrap_or_default();
    let get = |k: &str| v[k].as_str().unwrap_or("").trim().to_string();
    let city_line = [get("postcode"), get("city"), get("state")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let vat = get("vat_id");
    [
        get("name"),
        get("address1"),
        get("address2"),
        city_line,
        get("country"),
        get("email"),
        if vat.is_empty() {
            vat
        } else if let Some(status) = v["vat_status"].as_str() {
            format!(
                "VAT id {vat} ({})",
                vat_ids::describe(
                    status,
                    v["vat_source"].as_str(),
                    v["vat_checked_at"].as_str()
                )
            )
        } else {
            format!("VAT id {vat}")
        },
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_prints_its_non_empty_lines() {
        let lines = party_lines(
            r#"{"name":"Acme Ltd","address1":"1 Ring Road","address2":"","city":"Accra","postcode":"00233","state":"","country":"GH","email":"a@acme.test","vat_id":null}"#,
        );
        assert_eq!(
            lines,
            [
                "Acme Ltd",
                "1 Ring Road",
                "00233 Accra",
                "GH",
                "a@acme.test"
            ]
        );
        assert!(party_lines("not json").is_empty());
    }
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    mut web: Web,
    path: aw::Path<String>,
    query: aw::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let notice = match query.done.as_deref() {
        Some("credit") => Some("Your account credit was applied to this invoice."),
        Some("paid") => Some("Thank you: your payment was received."),
        Some("pending") => Some(
            "Your payment is being confirmed by the payment provider. This page shows it once it arrives.",
        ),
        Some("failed") => Some("The payment did not go through. You can try again."),
        Some("cancelled") => Some("The payment was cancelled. Nothing was charged."),
        _ => None,
    };
    detail(&mut web, path.into_inner(), StatusCode::OK, notice, None).await
}

pub(super) async fn detail(
    web: &mut Web,
    wanted: String,
    status: StatusCode,
    notice: Option<&'static str>,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let account = account::load(web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let gateways = web.state.gateways.clone();
    let (inv, items, cur, bank, methods) = web
        .state
        .db
        .run(move |db| {
            let (inv, items, cur) = billing::invoice_of(db, &principal, &ident, &wanted)?;
            let bank = payment_methods::enabled_method(db, "bank_transfer")?
                .map(|m| m.instructions)
                .filter(|i| !i.is_empty());
            let methods = payment_methods::enabled(db, &gateways)?;
            Ok((inv, items, cur, bank, methods))
        })
        .await?;
    let owed = inv.status == InvoiceStatus::Unpaid && inv.balance_due() > 0;
    let cards = methods
        .into_iter()
        .filter(|m| owed && web.state.gateways.has(&m.code))
        .map(|m| (m.code, m.name))
        .collect();
    let lines = items
        .iter()
        .map(|i| LineRow {
            description: i.description.clone(),
            period: match (&i.period_start, &i.period_end) {
                (Some(a), Some(b)) => format!("{a} – {b}"),
                _ => String::new(),
            },
            quantity: i.quantity,
            unit_amount: billing::format_money(i.unit_amount, &cur),
            amount: billing::format_money(i.amount, &cur),
        })
        .collect();
    let title = format!("Invoice {}", inv.display_number());
    let client = &account.access.client;
    let credit = (inv.status == InvoiceStatus::Unpaid
        && inv.balance_due() > 0
        && client.credit_balance > 0
        && client.currency_code == inv.currency
        && account.access.can(Privilege::BillingBalance))
    .then(|| billing::format_money(client.credit_balance, &cur));
    let page = DetailPage {
        layout: account.layout(web, &title),
        invoice: row(&inv, &cur),
        lines,
        seller: party_lines(&inv.seller),
        buyer: party_lines(&inv.buyer),
        notes: inv.notes.clone(),
        bank_instructions: bank
            .filter(|_| inv.status == InvoiceStatus::Unpaid && inv.balance_due() > 0),
        csrf: account.csrf.clone(),
        credit,
        cards,
        pay_key: uuid::Uuid::new_v4().to_string(),
        notice,
        problem,
    };
    Ok(web.html(status, page_html(&page)?))
}

#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// Pay the invoice from account credit, as much as helps.
pub async fn apply_credit(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let wanted = path.into_inner();
    let brand = Branding::from_config(&web.state.config);
    let (meta, now) = (web.meta.clone(), web.state.now());
    let target = wanted.clone();
    let done = web
        .state
        .db
        .run(move |db| {
            crate::service::payments::apply_credit(
                db, &brand, &principal, &ident, &target, None, &meta, now,
            )
        })
        .await;
    match done {
        Ok(inv) => {
            web.state.wake_mailer();
            Ok(web.redirect(&format!("/account/invoices/{}?done=credit", inv.id)))
        }
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            let message = problems
                .errors
                .values()
                .flatten()
                .next()
                .cloned()
                .or(problems.message);
            detail(&mut web, wanted, status, None, message).await
        }
    }
}

#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct AddFundsForm {
    csrf: String,
    amount: String,
}

/// Make an add-funds invoice and open it to be paid.
pub async fn add_funds(
    mut web: Web,
    form: aw::Form<AddFundsForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let brand = Branding::from_config(&web.state.config);
    let (meta, now) = (web.meta.clone(), web.state.now());
    let amount = MoneyInput::Decimal(input.amount.clone());
    let made = web
        .state
        .db
        .run(move |db| {
            billing::add_funds_invoice(db, &brand, &principal, &ident, Some(&amount), &meta, now)
        })
        .await;
    match made {
        Ok(inv) => Ok(web.redirect(&format!("/account/invoices/{}", inv.id))),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            list_page(&mut web, status, problems, input.amount).await
        }
    }
}
