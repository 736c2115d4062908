//! Paying an invoice through a card gateway: start (reference 000
//! `payments/start`, with an Idempotency-Key), confirm (webhook or the
//! customer's return), and what a client may see (payment status and
//! timeline).
//!
//! A transaction never spans a network call. Starting writes the attempt
//! and its key together, calls the gateway, then records the gateway's
//! answer on the attempt (see `service::idempotency` for replays). A charge is recorded only when it matches its attempt (same
//! currency, same amount) and at most once: `payments` is unique per
//! (gateway, transaction id), webhook events are unique per event id, and
//! an attempt succeeds once.

use crate::integrations::gateways::{
    Charge, ChargeStatus, Flow, Gateways, Notice, StartRequest, Started,
};
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{money::round_div, privileges::Privilege, tax, time::stamp},
    error::{AppError, Result},
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        billing::{self, Incoming},
        email::Branding,
        idempotency::{self, Claim, Found, Keyed, KeyedRequest},
    },
    store::{
        currencies::Currency,
        invoices::{self, Invoice},
        payment_attempts::{self, Attempt},
        payment_methods::{self, PaymentMethod},
        payments::{self, Payment},
        refunds::{self, Refund},
    },
};

/// The fee a payment method adds to `amount`: its fixed part plus its
/// percentage, each rounded once to the currency's minor unit.
pub fn method_fee(method: &PaymentMethod, amount: i64, currency: &Currency) -> i64 {
    let fixed_milli = tax::parse_rate(&method.fee_fixed).unwrap_or(0);
    let scale = 10_i128.pow(currency.decimals);
    let fixed = round_div(i128::from(fixed_milli) * scale, 1000).unwrap_or(0);
    let percent = round_div(
        i128::from(amount) * i128::from(method.fee_percent_milli),
        100_000,
    )
    .unwrap_or(0);
    (fixed + percent).max(0)
}

fn fee_description(method: &PaymentMethod) -> String {
    format!("{} fee", method.name)
}

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
                if invoice.status != "unpaid" || invoice.balance_due() == 0 {
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
                        .is_some_and(|a| a.status == "starting");
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
    if attempt.status == "starting" {
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

/// What became of a charge report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A payment was recorded (or had been already).
    Paid { payment_id: i64 },
    /// The attempt failed; nothing was recorded.
    Failed,
    /// Not finished yet.
    Pending,
    /// Nothing of ours.
    Ignored(String),
    /// It did not match its attempt; staff must look.
    Rejected(String),
}

impl Outcome {
    fn label(&self) -> (&'static str, String) {
        match self {
            Outcome::Paid { payment_id } => ("processed", format!("payment {payment_id}")),
            Outcome::Failed => ("processed", "payment failed".into()),
            Outcome::Pending => ("ignored", "pending".into()),
            Outcome::Ignored(n) => ("ignored", n.clone()),
            Outcome::Rejected(n) => ("rejected", n.clone()),
        }
    }
}

/// Record what a gateway says about a charge, inside the caller's write
/// transaction.
pub(crate) fn record_charge(
    tx: &Connection,
    brand: &Branding,
    gateway: &str,
    charge: &Charge,
    now: Timestamp,
) -> Result<Outcome> {
    let attempt = match (&charge.attempt, &charge.reference) {
        (Some(uuid), _) => payment_attempts::find_by_uuid(tx, uuid)?,
        (None, Some(reference)) => payment_attempts::find_by_reference(tx, gateway, reference)?,
        (None, None) => None,
    };
    let Some(attempt) = attempt.filter(|a| a.gateway == gateway) else {
        return Ok(Outcome::Ignored("no payment attempt of ours".into()));
    };
    let now_s = stamp(now);
    match &charge.status {
        ChargeStatus::Pending => return Ok(Outcome::Pending),
        ChargeStatus::Failed(reason) => {
            if attempt.status != "succeeded" {
                payment_attempts::mark_failed(tx, attempt.id, reason, &now_s)?;
            }
            return Ok(Outcome::Failed);
        }
        ChargeStatus::Succeeded => {}
    }
    if let Some(done) = payments::find_by_transaction(tx, gateway, &charge.transaction_id)? {
        return Ok(Outcome::Paid {
            payment_id: done.id,
        });
    }
    if charge.currency != attempt.currency || charge.amount != attempt.amount {
        let note = format!(
            "charge {} of {} {} does not match attempt {} for {} {}",
            charge.transaction_id,
            charge.amount,
            charge.currency,
            attempt.uuid,
            attempt.amount,
            attempt.currency
        );
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::System,
                action: "payment.mismatch",
                subject: Some(("invoice", attempt.invoice_id)),
                client_id: Some(attempt.client_id),
                ip: None,
                details: serde_json::json!({ "gateway": gateway, "note": note }),
            },
        )?;
        return Ok(Outcome::Rejected(note));
    }
    let invoice = invoices::find(tx, &attempt.invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    let currency = billing::currency(tx, &invoice.currency)?;
    if invoice.status == "unpaid" && invoice.amount_paid == 0 {
        // The customer paid this attempt's fee: put it back on the invoice
        // if a later start (another method) replaced it.
        if let Some(method) = payment_methods::find(tx, gateway)? {
            invoices::set_fee_line(
                tx,
                invoice.id,
                attempt.fee,
                &fee_description(&method),
                &now_s,
            )?;
        }
    }
    let invoice = invoices::find(tx, &invoice.id.to_string())?.ok_or(AppError::NotFound)?;
    let (_, payment) = crate::service::settlement::apply_payment(
        tx,
        brand,
        &invoice,
        &currency,
        &Incoming {
            gateway,
            amount: charge.amount,
            transaction_id: &charge.transaction_id,
            recorded_by: &format!("gateway:{gateway}"),
            actor: Actor::System,
        },
        &RequestMeta::default(),
        now,
    )?;
    payment_attempts::mark_succeeded(tx, attempt.id, &charge.transaction_id, payment.id, &now_s)?;
    Ok(Outcome::Paid {
        payment_id: payment.id,
    })
}

/// Ask the gateway about an attempt and record the answer: for the
/// customer's return from a hosted page (whose query string proves
/// nothing), and for webhooks that must be confirmed.
pub async fn confirm_attempt(
    db: &Db,
    gateways: &Gateways,
    brand: &Branding,
    attempt: &Attempt,
    now: Timestamp,
) -> Result<Outcome> {
    let Some(reference) = attempt.reference.clone() else {
        return Ok(Outcome::Pending);
    };
    let gateway = gateways
        .get(&attempt.gateway)
        .ok_or_else(|| AppError::Unavailable("this gateway is not configured".into()))?;
    let mut charge = gateway
        .lookup(&reference)
        .await
        .map_err(|e| AppError::BadGateway(e.to_string()))?;
    charge.attempt.get_or_insert_with(|| attempt.uuid.clone());
    let (brand, code) = (brand.clone(), attempt.gateway.clone());
    db.run(move |db| db.write(|tx| record_charge(tx, &brand, &code, &charge, now)))
        .await
}

/// What a webhook delivery came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookResult {
    pub event_id: String,
    /// `processed`, `ignored`, `rejected`, or `duplicate` for a replay.
    pub outcome: String,
    pub note: String,
}

/// Receive a webhook: check its signature over the raw body, process each
/// event id once, confirm with the gateway where its rules say so.
pub async fn webhook(
    db: &Db,
    gateways: &Gateways,
    brand: &Branding,
    code: &str,
    signature: Option<String>,
    body: Vec<u8>,
    now: Timestamp,
) -> Result<WebhookResult> {
    let gateway = gateways.get(code).ok_or(AppError::NotFound)?;
    let notification = gateway
        .read_webhook(signature.as_deref(), &body, now.as_second())
        .map_err(|e| AppError::BadRequest(format!("webhook refused: {e}")))?;
    let code = gateway.code();
    let event_id = notification.event_id.clone();
    let seen = {
        let id = event_id.clone();
        db.run(move |db| db.read(|c| Ok(payment_attempts::event_seen(c, code, &id)?)))
            .await?
    };
    if seen {
        return Ok(WebhookResult {
            event_id,
            outcome: "duplicate".into(),
            note: String::new(),
        });
    }
    let confirmed = matches!(notification.what, Notice::Confirm { .. });
    let charge = match notification.what {
        Notice::Charge(c) => Some(c),
        Notice::Confirm { reference } => Some(
            gateway
                .lookup(&reference)
                .await
                .map_err(|e| AppError::BadGateway(e.to_string()))?,
        ),
        Notice::Nothing => None,
    };
    let brand = brand.clone();
    let kind = notification.kind.clone();
    db.run(move |db| {
        db.write(|tx| {
            let now_s = stamp(now);
            let outcome = match &charge {
                Some(c) => record_charge(tx, &brand, code, c, now)?,
                None => Outcome::Ignored(format!("{kind} needs nothing")),
            };
            let (label, note) = outcome.label();
            if confirmed && !matches!(outcome, Outcome::Paid { .. } | Outcome::Rejected(_)) {
                // The gateway did not confirm it yet: leave the event
                // unseen so a redelivery is confirmed again.
                return Ok(WebhookResult {
                    event_id: event_id.clone(),
                    outcome: "ignored".into(),
                    note,
                });
            }
            if !payment_attempts::record_event(tx, code, &event_id, &kind, label, &note, &now_s)? {
                // A concurrent delivery of the same event got here first;
                // the payment is unique per charge, so nothing was doubled.
                return Ok(WebhookResult {
                    event_id: event_id.clone(),
                    outcome: "duplicate".into(),
                    note: String::new(),
                });
            }
            Ok(WebhookResult {
                event_id: event_id.clone(),
                outcome: label.into(),
                note,
            })
        })
    })
    .await
}

/// An invoice with everything that happened to its money.
pub struct PaymentHistory {
    pub invoice: Invoice,
    pub currency: Currency,
    pub attempts: Vec<Attempt>,
    pub payments: Vec<Payment>,
    pub refunds: Vec<Refund>,
}

/// The payment history of a client's invoice (needs `billing.payinvoice`).
pub fn history(
    db: &Db,
    principal: &Principal,
    client: &str,
    invoice: &str,
) -> Result<PaymentHistory> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::BillingPayInvoice)?;
        let invoice = invoices::find(c, invoice)?
            .filter(|i| i.client_id == access.client.id)
            .ok_or(AppError::NotFound)?;
        Ok(PaymentHistory {
            currency: billing::currency(c, &invoice.currency)?,
            attempts: payment_attempts::of_invoice(c, invoice.id)?,
            payments: payments::of_invoice(c, invoice.id)?,
            refunds: refunds::of_invoice(c, invoice.id)?,
            invoice,
        })
    })
}

/// Whether the principal may pay this client's invoices: checked before a
/// request's own errors are reported, so someone else's client is a 404
/// whatever the body says.
pub fn require_payer(db: &Db, principal: &Principal, client: &str) -> Result<()> {
    db.read(|c| client_access(c, principal, client)?.require_change(Privilege::BillingPayInvoice))
}

/// A client's attempt by id (for the return page of a hosted payment).
pub fn attempt_of(db: &Db, principal: &Principal, client: &str, attempt: i64) -> Result<Attempt> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::BillingPayInvoice)?;
        payment_attempts::find(c, attempt)?
            .filter(|a| a.client_id == access.client.id)
            .ok_or(AppError::NotFound)
    })
}
