//! `till jobs run [--at RFC3339]`: run every job once and exit, for time
//! travel and for those who prefer cron.

use std::sync::Arc;

use clap::Subcommand;

use super::{Failure, startup};
use crate::{
    clock::{Clock, SettableClock, SystemClock},
    config::Config,
    integrations::mail::Mailer,
    jobs,
    service::automation,
    state::AppState,
};

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run every job once, now or as of --at, and exit
    Run {
        /// Run as if it were this instant (RFC 3339, e.g. 2027-01-31T09:00:00Z)
        #[arg(long)]
        at: Option<jiff::Timestamp>,
    },
    /// Print what the next run would invoice, remind, suspend and
    /// terminate, without doing it
    Preview {
        /// As if it were this instant (RFC 3339)
        #[arg(long)]
        at: Option<jiff::Timestamp>,
    },
}

pub fn run(config: Config, command: &JobsCommand) -> Result<(), Failure> {
    let at = match command {
        JobsCommand::Run { at } => at,
        JobsCommand::Preview { at } => return preview(config, *at),
    };
    startup::init_logging(&config);
    let (db, _) = startup::open_beside_server(&config)?;
    let clock: Arc<dyn Clock> = match at {
        Some(at) => Arc::new(SettableClock::new(*at)),
        None => Arc::new(SystemClock),
    };
    let mailer =
        Mailer::from_config(&config.mail, config.outbox_dir()).map_err(Failure::runtime)?;
    let keys = startup::load_keys(&config, &db, &clock)?;
    let state = AppState::with_keys(config, db, clock, mailer, keys);
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
            None => println!(
                "  {:<16} ok      {:<8} {:.3} s",
                o.job,
                o.count,
                o.elapsed.as_secs_f64()
            ),
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

fn preview(config: Config, at: Option<jiff::Timestamp>) -> Result<(), Failure> {
    startup::init_logging(&config);
    let (db, _) = startup::open_beside_server(&config)?;
    let now = at.unwrap_or_else(|| SystemClock.now());
    let p = automation::preview(&db, now).map_err(Failure::runtime)?;
    let d = &p.dunning;
    println!("preview for {now} (nothing is changed)");
    println!("invoices to issue: {}", p.invoices.len());
    for (r, amount) in &p.invoices {
        println!(
            "  service {:<6} client {:<6} {} {} to {}  {amount}  ({})",
            r.service_id, r.client_id, r.product, r.period_start, r.period_end, r.billing_cycle
        );
    }
    let domains = crate::service::domains::renewals::due(&db, now).map_err(Failure::runtime)?;
    println!("domain renewals to invoice: {}", domains.len());
    for r in &domains {
        println!(
            "  domain {:<6} client {:<6} {} from {} for {} year(s)  {} {} (minor units)",
            r.id, r.client_id, r.name, r.expiry_date, r.years, r.amount, r.currency
        );
    }
    println!("reminders: {}", d.reminders.len());
    for (invoice, due) in &d.reminders {
        println!("  invoice {invoice} due {due}");
    }
    println!("overdue notices: {}", d.overdue_notices.len());
    for (invoice, due, step) in &d.overdue_notices {
        println!("  invoice {invoice} due {due} (+{step} days)");
    }
    println!("late fees: {}", d.late_fees.len());
    for (invoice, fee) in &d.late_fees {
        println!("  invoice {invoice} fee {fee} (minor units)");
    }
    println!("suspensions: {}", d.suspensions.len());
    for (service, invoice) in &d.suspensions {
        println!("  service {service} for invoice {invoice}");
    }
    println!("terminations: {}", d.terminations.len());
    for (service, invoice) in &d.terminations {
        println!("  service {service} for invoice {invoice}");
    }
    println!("cancellations at period end: {}", d.cancellations.len());
    for service in &d.cancellations {
        println!("  service {service}");
    }
    println!("stale orders to cancel: {}", d.stale_orders.len());
    for invoice in &d.stale_orders {
        println!("  invoice {invoice}");
    }
    Ok(())
}
