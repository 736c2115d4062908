//! Starting a card payment: the attempt and its key commit together, the
//! gateway is asked outside any transaction, and its answer is recorded
//! on the attempt (see `service::idempotency` for replays).

use super::fees::*;
use crate::domain::status::AttemptStatus;
use crate::domain::status::InvoiceStatus;
use crate::integrations::gateways::{Flow, Gateways, StartRequest, Started};
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{privileges::Privilege, time::stamp},
    error::{AppError, Result},
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        billing,
        idempotency::{self, Claim, Found, Keyed, KeyedRequest},
    },
    store::{
        currencies::Currency,
        invoices::{self, Invoice},
        payment_attempts::{self, Attempt},
        payment_methods,
    },
};
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

pub struct StartInput {
    pub gateway: String,
    pub flow: Flow,
    /// The surface's key: a retry answers the same attempt, never a second
    /// charge.
    pub key: KeyedRequest,
    /// Where a hosted page sends the customer back (`{ATTEMPT}` is
    /// replaced with the attempt id).
    pub return_url: String,
    pub cancel_url: String,
}

/// What a start produced, for the surface to render.
pub struct StartOutcome {
    pub invoice: Invoice,
    pub currency: Currency,
    pub attempt: Attempt,
    pub started: Started,
}

/// The scope of payment keys (`<surface>:payment:<client>`) and the
/// effect they record.
const OPERATION: &str = "payment";

const EFFECT: &str = "payment_attempt";

/// How long a start may wait on its gateway before a retry with the same
/// key asks the gateway again (the attempt's uuid is the gateway's own
/// idempotency key, so it answers the same charge).
const STALLED_AFTER: SignedDuration = SignedDuration::from_secs(60);

enum Begun {
    Answered(Box<Keyed<StartOutcome>>),
    Call(Box<Call>),
}

/// An attempt to hand to the gateway.
struct Call {
    invoice: Invoice,
    currency: Currency,
    attempt: Attempt,
    email: String,
    claim: Claim,
}

/// Start paying an invoice through a card gateway (needs
/// `billing.payinvoice`): the attempt and the key commit together, the
/// gateway is called outside any transaction, and its answer is recorded
/// on the attempt. A repeated key answers what was stored for it, or the
/// attempt it started.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    db: &Db,
    gateways: &Gateways,
    principal: Principal,
    client: String,
    invoice: String,
    input: StartInput,
    meta: RequestMeta,
    now: Timestamp,
) -> Result<Keyed<StartOutcome>> {
    let code = input.gateway.trim().to_lowercase();
    let gateway = gateways.get(&code);
    let offered = gateway.is_some();
    let flow = input.flow;
    let key = input.key.clone();
    let begun = db
        .run(move |db| {
            db.write(|tx| {
                let access = client_access(tx, &principal, &client)?;
                access.require_change(Privilege::BillingPayInvoice)?;
                let claim = match idempotency::look_up(tx, &key, OPERATION, access.client.id)? {
                    Found::Answered { status, body } => {
                        return Ok(Begun::Answered(Box::new(Keyed::Stored { status, body })));
                    }
                    Found::Effect { claim, id } => {
                        return started_before(tx, id, claim, &access.client.email, now);
                    }
                    Found::New(claim) => claim,
                };
                let invoice = invoices::find(tx, &invoice)?
                    .filter(|i| i.client_id == access.client.id)
                    .ok_or(AppError::NotFound)?;
                let method = payment_methods::find(tx, &code)?
                    .filter(|m| m.enabled && offered)
                    .ok_or_else(|| {
                        AppError::invalid("gateway", "is not a card gateway offered here")
                    })?;
                if invoice.status != InvoiceStatus::Unpaid || invoice.balance_due() == 0 {
                    return Err(AppError::Conflict(
                        "Invoice is already paid or not payable".into(),
                    ));
                }
                let currency = billing::currency(tx, &invoice.currency)?;
                let now_s = stamp(now);
                // The fee is charged on what the gateway collects. It is
                // set while nothing has been paid yet, so every attempt
                // asks for exactly the invoice's balance with its own fee.
                let fee = if invoice.amount_paid == 0 {
                    let existing: i64 = invoices::items(tx, invoice.id)?
                        .iter()
                        .filter(|i| i.kind == "gateway_fee")
                        .map(|i| i.amount)
                        .sum();
                    let fee = method_fee(&method, invoice.balance_due() - existing, &currency);
                    invoices::set_fee_line(tx, invoice.id, fee, &fee_description(&method), &now_s)?;
                    fee
                } else {
                    0
                };
                let invoice = invoices::find(tx, &invoice.id.to_string())?.ok_or(AppError::NotFound)?;
                let uuid = uuid::Uuid::new_v4().to_string();
                let id = payment_attempts::insert(
                    tx,
                    &payment_attempts::NewAttempt {
                        uuid: &uuid,
                        client_id: access.client.id,
                        invoice_id: invoice.id,
                        gateway: &code,
                        flow: flow.as_str(),
                        amount: invoice.balance_due(),
                        currency: &invoice.currency,
                        fee,
                        now: &now_s,
                    },
                )?;
                idempotency::record(tx, &claim, &key, EFFECT, id, now)?;
                audit::record(
                    tx,
                    now,
                    Event {
                        actor: Actor::from(&principal),
                        action: "payment.started",
                        subject: Some(("invoice", invoice.id)),
                        client_id: Some(access.client.id),
                        ip: meta.ip.as_deref(),
                        details: serde_json::json!({ "gateway": code, "amount": invoice.balance_due(), "fee": fee, "attempt": uuid }),
                    },
                )?;
                let attempt = payment_attempts::find(tx, id)?.ok_or(AppError::NotFound)?;
                Ok(Begun::Call(Box::new(Call {
                    invoice,
                    currency,
                    attempt,
                    email: access.client.email.clone(),
                    claim,
                })))
            })
        })
        .await?;
    let Call {
        invoice,
        currency,
        attempt,
        email,
        claim,
    } = match begun {
        Begun::Answered(keyed) => return Ok(*keyed),
        Begun::Call(call) => *call,
    };
    let gateway = gateways
        .get(&attempt.gateway)
        .ok_or_else(|| AppError::Unavailable("this gateway is not configured".into()))?;
    let request = StartRequest {
        attempt: attempt.uuid.clone(),
        invoice_number: invoice.display_number(),
        amount: attempt.amount,
        currency: attempt.currency.clone(),
        email,
        flow,
        return_url: input
            .return_url
            .replace("{ATTEMPT}", &attempt.id.to_string()),
        cancel_url: input
            .cancel_url
            .replace("{ATTEMPT}", &attempt.id.to_string()),
    };
    let answer = gateway.start(&request).await;
    let now_s = stamp(now);
    let recorded = db
        .run(move |db| {
            db.write(|tx| match answer {
                Ok(started) => {
                    let handover = payment_attempts::Handover {
                        reference: &started.reference,
                        redirect_url: started.redirect_url.as_deref(),
                        client_secret: started.client_secret.as_deref(),
                        access_code: started.access_code.as_deref(),
                    };
                    payment_attempts::mark_pending(tx, attempt.id, &handover, &now_s)?;
                    let attempt =
                        payment_attempts::find(tx, attempt.id)?.ok_or(AppError::NotFound)?;
                    let value = StartOutcome {
                        started: started_of(&attempt),
                        invoice,
                        currency,
                        attempt,
                    };
                    Ok(Ok(Keyed::Done { value, claim }))
                }
                Err(e) => {
                    tracing::warn!(attempt = %request.attempt, error = %e, "payment start failed");
                    // A retry that resumed a stalled start may lose to the
                    // first call's answer: only a start still waiting fails.
                    let waiting = payment_attempts::find(tx, attempt.id)?
                        .is_some_and(|a| a.status == AttemptStatus::Starting);
                    if waiting {
                        payment_attempts::mark_failed(tx, attempt.id, &e.to_string(), &now_s)?;
                        idempotency::release(tx, &claim)?;
                    }
                    Ok(Err(e.to_string()))
                }
            })
        })
        .await?;
    recorded.map_err(AppError::BadGateway)
}

/// A key whose attempt was made before and whose answer was not stored:
/// still waiting on the gateway (a 409, or asked again once stalled), or
/// answered by the gateway, when the attempt gives the answer again.
fn started_before(
    tx: &Connection,
    attempt: i64,
    claim: Claim,
    email: &str,
    now: Timestamp,
) -> Result<Begun> {
    let attempt = payment_attempts::find(tx, attempt)?.ok_or(AppError::NotFound)?;
    let invoice = invoices::find(tx, &attempt.invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    let currency = billing::currency(tx, &invoice.currency)?;
    if attempt.status == AttemptStatus::Starting {
        let since = attempt
            .updated_at
            .parse::<Timestamp>()
            .map_err(AppError::internal)?;
        if now.duration_since(since) < STALLED_AFTER {
            return Err(AppError::Conflict(
                "a request with this Idempotency-Key is still in progress".into(),
            ));
        }
        return Ok(Begun::Call(Box::new(Call {
            invoice,
            currency,
            attempt,
            email: email.to_string(),
            claim,
        })));
    }
    Ok(Begun::Answered(Box::new(Keyed::Done {
        value: StartOutcome {
            started: started_of(&attempt),
            invoice,
            currency,
            attempt,
        },
        claim,
    })))
}

/// What the gateway handed over, as the attempt keeps it.
fn started_of(attempt: &Attempt) -> Started {
    Started {
        reference: attempt.reference.clone().unwrap_or_default(),
        redirect_url: attempt.redirect_url.clone(),
        client_secret: attempt.client_secret.clone(),
        access_code: attempt.access_code.clone(),
    }
}
