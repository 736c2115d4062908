//! Send queued email. Each batch is claimed with a lease first, so two
//! workers never send the same message and a crash mid-send retries it
//! after the lease. Failures back off (1 min, 5 min, 15 min, 1 h, 4 h,
//! 12 h) and then stay `failed` in the email log for staff to see.

use jiff::{SignedDuration, Timestamp};
use lettre::{
    Message,
    message::{Mailbox, MultiPart, SinglePart, header::ContentType},
};

use super::{Job, JobFuture};
use crate::{
    domain::time::stamp,
    error::{AppError, Result},
    state::AppState,
    store::outbox::{self, OutboxEmail},
};

pub const JOB: Job = Job {
    name: "mail_outbox",
    every: SignedDuration::from_secs(30),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

const LEASE: SignedDuration = SignedDuration::from_mins(5);
const BATCH: i64 = 50;
const BACKOFF_MINS: [i64; 6] = [1, 5, 15, 60, 240, 720];

/// Send what is due at `now`; answers how many were sent.
pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let lease_until = stamp(now.checked_add(LEASE).unwrap_or(now));
    let batch = state
        .db
        .run(move |db| db.write(|tx| Ok(outbox::claim_due(tx, &stamp(now), &lease_until, BATCH)?)))
        .await?;
    // A full batch means more may wait: ring again once this one is done,
    // so a day's 10,000 renewal emails drain batch after batch instead of
    // 50 per tick (the scheduler runs its other due jobs in between).
    let more = batch.len() as i64 == BATCH;
    let mut sent = 0;
    for email in batch {
        let outcome = match build(&state.config.mail.from, &email, now) {
            Ok(message) => state
                .mailer
                .send(message)
                .await
                .map_err(|e| (e.to_string(), true)),
            // A message that cannot be built never will be: no retry.
            Err(e) => Err((e.to_string(), false)),
        };
        let attempts = email.attempts;
        let id = email.id;
        let finished = state.now();
        if outcome.is_ok() {
            sent += 1;
        }
        state
            .db
            .run(move |db| {
                db.write(|tx| {
                    match &outcome {
                        Ok(()) => outbox::mark_sent(tx, id, &stamp(finished))?,
                        Err((error, retry)) => {
                            let next = BACKOFF_MINS
                                .get(attempts as usize)
                                .filter(|_| *retry)
                                .map(|m| stamp(finished.checked_add(SignedDuration::from_mins(*m)).unwrap_or(finished)));
                            tracing::warn!(email = id, error = %error, retry = next.is_some(), "email not sent");
                            outbox::mark_failed_attempt(tx, id, error, next.as_deref())?;
                        }
                    }
                    Ok(())
                })
            })
            .await?;
    }
    if more {
        state.wake_mailer();
    }
    Ok(sent)
}

fn build(from: &str, email: &OutboxEmail, now: Timestamp) -> Result<Message> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| AppError::internal(format!("mail.from: {e}")))?;
    // A department's address keeps `[mail] from`'s display name.
    let from = match email.from_address.as_deref().map(str::parse) {
        Some(Ok(address)) => Mailbox::new(from.name.clone(), address),
        _ => from,
    };
    let to: Mailbox = email
        .to_address
        .parse()
        .map_err(|e| AppError::internal(format!("recipient {}: {e}", email.to_address)))?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(&email.subject)
        .date(std::time::SystemTime::from(now));
    let builder = match &email.message_id {
        Some(id) => builder.message_id(Some(id.clone())),
        None => builder,
    };
    let builder = match &email.in_reply_to {
        Some(id) => builder.in_reply_to(id.clone()).references(id.clone()),
        None => builder,
    };
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(email.text_body.clone());
    let message = match &email.html_body {
        Some(html) => builder.multipart(
            MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.clone()),
            ),
        ),
        None => builder.singlepart(text),
    };
    message.map_err(|e| AppError::internal(format!("building email: {e}")))
}
