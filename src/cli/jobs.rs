//! `till jobs run [--at RFC3339]`: run every job once and exit, for time
//! travel and for those who prefer cron.

use std::sync::Arc;

use clap::Subcommand;

use super::{Failure, startup};
use crate::{
    app::AppState,
    clock::{Clock, SettableClock, SystemClock},
    config::Config,
    integrations::mail::Mailer,
    jobs,
};

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run every job once, now or as of --at, and exit
    Run {
        /// Run as if it were this instant (RFC 3339, e.g. 2027-01-31T09:00:00Z)
        #[arg(long)]
        at: Option<jiff::Timestamp>,
    },
}

pub fn run(config: Config, command: &JobsCommand) -> Result<(), Failure> {
    let JobsCommand::Run { at } = command;
    startup::init_logging(&config);
    let (db, _) = startup::open_beside_server(&config)?;
    let clock: Arc<dyn Clock> = match at {
        Some(at) => Arc::new(SettableClock::new(*at)),
        None => Arc::new(SystemClock),
    };
    let mailer =
        Mailer::from_config(&config.mail, config.outbox_dir()).map_err(Failure::runtime)?;
    let state = AppState::build(config, db, clock, mailer).map_err(Failure::runtime)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Failure::runtime)?;
    let now = state.now();
    let outcomes = runtime
        .block_on(jobs::run_all_once(&state, now))
        .map_err(Failure::runtime)?;
    println!("ran every job for {now}");
    let mut failed = false;
    for o in outcomes {
        match o.error {
            None => println!("  {:<16} ok      {}", o.job, o.count),
            Some(e) => {
                failed = true;
                println!("  {:<16} FAILED  {e}", o.job);
            }
        }
    }
    if failed {
        return Err(Failure::runtime("a job failed (see above)"));
    }
    Ok(())
}
