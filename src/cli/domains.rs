//! `till domains refresh-bootstrap`: download IANA's current RDAP bootstrap
//! (`[domains] bootstrap_url`) into the data directory. A running till
//! reads it at its next start, when it is newer than the built-in copy.

use clap::Subcommand;

use super::Failure;
use crate::{config::Config, integrations::lookup::bootstrap};

#[derive(Debug, Subcommand)]
pub enum DomainsCommand {
    /// Download the current RDAP bootstrap (IANA's dns.json) into the data
    /// directory; used from the next start when newer than the built-in one
    #[command(name = "refresh-bootstrap")]
    RefreshBootstrap,
}

pub fn run(config: Config, command: &DomainsCommand) -> Result<(), Failure> {
    match command {
        DomainsCommand::RefreshBootstrap => refresh(&config),
    }
}

fn refresh(config: &Config) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Failure::runtime)?;
    let timeout = std::time::Duration::from_secs(60);
    let (text, fresh) = runtime
        .block_on(bootstrap::download(&config.domains.bootstrap_url, timeout))
        .map_err(Failure::runtime)?;
    crate::config::ensure_dir(&config.data_dir).map_err(Failure::runtime)?;
    let path = bootstrap::save(&config.data_dir, &text).map_err(Failure::runtime)?;
    println!(
        "saved the RDAP bootstrap published {} to {}",
        fresh.publication,
        path.display()
    );
    let built_in = bootstrap::Bootstrap::embedded();
    if built_in.publication == built_in.clone().newer(fresh).publication {
        println!(
            "the built-in copy (published {}) is newer, so it stays in use",
            built_in.publication
        );
    }
    Ok(())
}
