//! Poll each department's IMAP mailbox (`service::support::mailboxes`):
//! fetch up to 50 unseen messages (without marking them), hand each to
//! `service::support::inbound::receive`, and mark it `\Seen` only once
//! its result has committed. A crash in between fetches it again, and
//! its Message-ID makes the second time a no-op. How each poll went is
//! recorded on the department for staff.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    error::Result,
    integrations::mail_in::{
        self, ParseError,
        imap::{self, Account, Fetched, Mailbox},
    },
    service::support::{
        inbound::{self, Reason, Via},
        mailboxes,
    },
    state::AppState,
};

pub const JOB: Job = Job {
    name: "imap_poll",
    every: SignedDuration::from_mins(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

/// At most this many messages per mailbox and poll.
const PER_POLL: usize = 50;
/// Each step of an IMAP conversation gets this long.
const STEP: Duration = Duration::from_secs(30);

/// Poll every mailbox; answers how many messages were handled.
pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let keys = state.keys.clone();
    let boxes = state
        .db
        .run(move |db| mailboxes::to_poll(db, &keys))
        .await?;
    let mut handled = 0;
    for (department_id, account) in boxes {
        let outcome = match account {
            Ok(account) => poll(&state, department_id, &account, now).await,
            Err(e) => Err(e),
        };
        let error = match outcome {
            Ok(n) => {
                handled += n;
                String::new()
            }
            Err(e) => {
                tracing::warn!(department = department_id, error = %e, "IMAP poll failed");
                e
            }
        };
        state
            .db
            .run(move |db| mailboxes::record_poll(db, department_id, &error, now))
            .await?;
    }
    Ok(handled)
}

async fn poll(
    state: &AppState,
    department_id: i64,
    account: &Account,
    now: Timestamp,
) -> std::result::Result<u64, String> {
    let mut mailbox = imap::open(account, &state.targets, STEP)
        .await
        .map_err(|e| e.to_string())?;
    let result = drain(state, &mut mailbox, department_id, now).await;
    mailbox.close().await;
    result
}

async fn drain(
    state: &AppState,
    mailbox: &mut Mailbox,
    department_id: i64,
    now: Timestamp,
) -> std::result::Result<u64, String> {
    let limit = mail_in::size_limit(&state.config.support);
    let via = Via::Imap { department_id };
    let mut handled = 0;
    for uid in mailbox.unseen(PER_POLL).await.map_err(|e| e.to_string())? {
        let fetched = mailbox.fetch(uid, limit).await.map_err(|e| e.to_string())?;
        let config = state.config.clone();
        let committed = match fetched {
            Fetched::Gone => continue,
            Fetched::TooLarge(size) => {
                let size = size as usize;
                state
                    .db
                    .run(move |db| inbound::refuse(db, via, Reason::TooLarge, size, now))
                    .await
            }
            Fetched::Message(raw) => match mail_in::parse(&raw, limit) {
                Ok(mail) => {
                    state
                        .db
                        .run(move |db| inbound::receive(db, &config, &mail, via, now))
                        .await
                }
                Err(e) => {
                    let reason = match e {
                        ParseError::TooLarge { .. } => Reason::TooLarge,
                        ParseError::Unreadable => Reason::Unreadable,
                    };
                    let size = raw.len();
                    state
                        .db
                        .run(move |db| inbound::refuse(db, via, reason, size, now))
                        .await
                }
            },
        };
        // Only a committed result makes the message done with; otherwise
        // it stays unseen for the next poll.
        committed.map_err(|e| format!("message {uid}: {e}"))?;
        mailbox.mark_seen(uid).await.map_err(|e| e.to_string())?;
        handled += 1;
    }
    Ok(handled)
}
