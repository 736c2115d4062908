//! `till tickets pipe`: one email on standard input for the support desk,
//! for an MTA alias such as Postfix's `|/usr/bin/till tickets pipe`. It
//! opens the database as it is (never migrating or creating it), beside a
//! running server or not, and answers in sysexits the MTA understands:
//! 0 handled (posted, opened, bounced or dropped), 65 (EX_DATAERR) input
//! that is not an email or is too large, 75 (EX_TEMPFAIL) when the
//! database is busy or missing or anything else failed that a later
//! delivery may not: the MTA keeps the message and tries again.

use std::io::Read;

use clap::Subcommand;

use super::Failure;
use crate::{
    clock::{Clock, SystemClock},
    config::Config,
    db,
    integrations::mail_in::{self, ParseError},
    service::support::inbound::{self, Inbound, Reason, Via},
};

/// sysexits.h: the input data was incorrect.
pub const EX_DATAERR: u8 = 65;
/// sysexits.h: a temporary failure; the sender should try again later.
pub const EX_TEMPFAIL: u8 = 75;

#[derive(Debug, Subcommand)]
pub enum TicketsCommand {
    /// Read one email on standard input and hand it to the support desk
    /// (exit 0 handled, 65 not an email, 75 try again later)
    Pipe {
        /// The envelope recipient, if the MTA passes it (Postfix's
        /// pipe(8): `--to ${original_recipient}`); matched against the
        /// departments' addresses before To, Cc and Delivered-To
        #[arg(long, value_name = "ADDRESS")]
        to: Option<String>,
    },
}

pub fn run(config: Config, command: &TicketsCommand) -> Result<(), Failure> {
    match command {
        TicketsCommand::Pipe { to } => pipe(&config, to.as_deref()),
    }
}

fn fail(code: u8, message: impl std::fmt::Display) -> Failure {
    Failure {
        code,
        message: message.to_string(),
    }
}

fn pipe(config: &Config, to: Option<&str>) -> Result<(), Failure> {
    super::startup::init_logging(config);
    let limit = mail_in::size_limit(&config.support);
    let mut raw = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| fail(EX_TEMPFAIL, format!("reading standard input: {e}")))?;
    let db = db::open::open_current(&config.database_path(), &config.database)
        .map_err(|e| fail(EX_TEMPFAIL, format!("{e} (is `till migrate` done?)")))?;
    let now = SystemClock.now();
    let mut mail = match mail_in::parse(&raw, limit) {
        Ok(mail) => mail,
        Err(e) => {
            let reason = match e {
                ParseError::TooLarge { .. } => Reason::TooLarge,
                ParseError::Unreadable => Reason::Unreadable,
            };
            // For staff to see; the MTA returns the message either way.
            if let Err(err) = inbound::refuse(&db, Via::Pipe, reason, raw.len(), now) {
                tracing::warn!(error = %err, "could not record a refused email");
            }
            return Err(fail(EX_DATAERR, e));
        }
    };
    if let Some(to) = to
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
    {
        mail.delivered_to.insert(0, to);
    }
    let done = inbound::receive(&db, config, &mail, Via::Pipe, now)
        .map_err(|e| fail(EX_TEMPFAIL, format!("try again later: {e}")))?;
    match done {
        Inbound::Posted { number, .. } => println!("posted on {number}"),
        Inbound::Opened { number, .. } => println!("opened {number}"),
        Inbound::Bounced(r) => println!("bounced: {}", r.as_str()),
        Inbound::Dropped(r) => println!("dropped: {}", r.as_str()),
    }
    Ok(())
}
