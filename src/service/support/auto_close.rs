//! Closing answered tickets the customer left: `[support] auto_close_days`
//! after staff's answer the ticket closes, and a day before that the
//! customer is told it will. A reply in between starts the count again
//! (a customer's reply leaves `answered`; a staff reply moves
//! `answered_at` and clears the notice).

use jiff::{SignedDuration, Timestamp};

use crate::{
    config::Config,
    db::Db,
    domain::{status::TicketStatus, time::stamp},
    error::Result,
    store::support::tickets,
};

use super::notices;

const BATCH: i64 = 500;

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AutoCloseRun {
    pub warned: usize,
    pub closed: usize,
}

pub fn run(db: &Db, config: &Config, now: Timestamp) -> Result<AutoCloseRun> {
    let days = i64::from(config.support.auto_close_days);
    if days == 0 {
        return Ok(AutoCloseRun::default());
    }
    let ago = |d: i64| {
        stamp(
            now.checked_sub(SignedDuration::from_hours(24 * d))
                .unwrap_or(now),
        )
    };
    let warn_before = ago(days - 1);
    let close_before = ago(days);
    let notice_before = ago(1);
    db.write(|tx| {
        let mut run = AutoCloseRun::default();
        for t in tickets::answered_before(tx, &warn_before, false, BATCH)? {
            tickets::mark_close_warned(tx, t.id, &stamp(now))?;
            notices::status_changed(
                tx,
                config,
                &t,
                "we answered and have not heard back. It will close in a day unless you reply.",
                now,
            )?;
            run.warned += 1;
        }
        for t in tickets::answered_before(tx, &close_before, true, BATCH)? {
            // The notice must have had its day.
            if t.close_warned_at
                .as_deref()
                .is_none_or(|w| w > notice_before.as_str())
            {
                continue;
            }
            tickets::set_status(tx, t.id, TicketStatus::Closed, &stamp(now))?;
            notices::status_changed(
                tx,
                config,
                &t,
                "it closed without a reply from you. Reply to open it again.",
                now,
            )?;
            run.closed += 1;
        }
        Ok(run)
    })
}
