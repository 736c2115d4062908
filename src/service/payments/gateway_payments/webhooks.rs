//! Webhook deliveries: the signature over the raw body, each event once.

use super::charges::*;
use crate::integrations::gateways::{Gateways, Notice};
use crate::{
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::email::Branding,
    store::payment_attempts,
};
use jiff::Timestamp;

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
