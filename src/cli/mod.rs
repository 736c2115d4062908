//! The command line: one file per command. `main.rs` parses and calls `run`.

mod admin;
mod api_key;
mod backup;
mod config_check;
mod domains;
mod jobs;
mod master_key;
mod migrate;
mod restore;
mod serve;
mod startup;
mod tickets;

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, ConfigError, Overrides};

/// Exit code for a configuration or usage mistake (clap uses it too).
pub const EXIT_CONFIG: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "till",
    about = "Hosting billing and a customer client area in one binary",
    long_about = "Hosting billing and a customer client area in one binary.\n\n\
                  With no command, till serves (same as `till serve`).",
    version = crate::cli::version_line(),
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Serve options, when no command is given.
    #[command(flatten)]
    pub serve: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// TOML config file [env: TILL_CONFIG]
    #[arg(long, global = true, env = "TILL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory holding till.db [env: TILL_DATA_DIR] [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on [env: TILL_BIND] [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::SocketAddr>,
    /// Do not add the sample catalog to an empty database
    #[arg(long)]
    pub no_sample_data: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server and the background jobs (the default)
    Serve(ServeArgs),
    /// Create or upgrade the database, then exit
    Migrate,
    /// Write a consistent, verified copy of the database (safe while serving).
    /// It never holds the master key that opens its sealed secrets.
    Backup {
        /// Where to write the backup; must not exist yet
        file: PathBuf,
        /// Also write the master key beside it, as FILE.key (mode 0600)
        #[arg(long)]
        with_key: bool,
    },
    /// Replace the database with a verified backup (refused while serving)
    Restore {
        /// The backup file to restore
        file: PathBuf,
    },
    /// Print configuration
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Manage staff accounts
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Manage staff API keys
    #[command(subcommand, name = "api-key")]
    ApiKey(api_key::ApiKeyCommand),
    /// Run the scheduled jobs by hand
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Domain availability: the RDAP bootstrap
    #[command(subcommand)]
    Domains(domains::DomainsCommand),
    /// The support desk's mail in: `till tickets pipe` for an MTA alias
    #[command(subcommand)]
    Tickets(tickets::TicketsCommand),
    /// The master key that seals credentials (<data_dir>/master.key)
    #[command(subcommand, name = "master-key")]
    MasterKey(master_key::MasterKeyCommand),
    /// Print version and git commit
    Version,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the commented default configuration
    Default,
    /// Print the effective configuration (secrets redacted)
    Show,
    /// Check the configuration (and the data directory's master key) for
    /// what would stop `till serve`; exit code 0 when fine, 2 with findings
    Check,
}

/// `till 0.1.0 (commit 1a2b3c4d5e6f)`.
pub const fn version_line() -> &'static str {
    concat!(
        env!("CARGO_PKG_VERSION"),
        " (commit ",
        env!("BUILD_GIT_COMMIT"),
        ")"
    )
}

/// A command's failure: what to print and which exit code to use.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn runtime(message: impl std::fmt::Display) -> Self {
        Self {
            code: 1,
            message: message.to_string(),
        }
    }

    pub fn config(message: impl std::fmt::Display) -> Self {
        Self {
            code: EXIT_CONFIG,
            message: message.to_string(),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::config(format!("configuration error: {e}"))
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("till: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Failure> {
    let load = |serve: Option<&ServeArgs>| -> Result<Config, Failure> {
        let overrides = Overrides {
            config_file: cli.global.config.clone(),
            data_dir: cli.global.data_dir.clone(),
            bind: serve.and_then(|s| s.bind),
            sample_data: serve.and_then(|s| s.no_sample_data.then_some(false)),
        };
        Ok(Config::load(&overrides)?)
    };
    match &cli.command {
        None => serve::run(load(Some(&cli.serve))?),
        Some(Command::Serve(args)) => serve::run(load(Some(args))?),
        Some(Command::Migrate) => migrate::run(load(None)?),
        Some(Command::Backup { file, with_key }) => backup::run(load(None)?, file, *with_key),
        Some(Command::Restore { file }) => restore::run(load(None)?, file),
        Some(Command::Config(ConfigCommand::Default)) => {
            print!("{}", crate::config::DEFAULT_CONFIG_TOML);
            Ok(())
        }
        Some(Command::Config(ConfigCommand::Show)) => {
            print!("{}", load(None)?.to_toml());
            Ok(())
        }
        Some(Command::Config(ConfigCommand::Check)) => config_check::run(load(None)?),
        Some(Command::Admin(cmd)) => admin::run(load(None)?, cmd),
        Some(Command::ApiKey(cmd)) => api_key::run(load(None)?, cmd),
        Some(Command::Jobs(cmd)) => jobs::run(load(None)?, cmd),
        Some(Command::Domains(cmd)) => domains::run(load(None)?, cmd),
        // A configuration the pipe cannot load is the operator's to fix:
        // the MTA keeps the mail meanwhile (75) rather than bouncing it.
        Some(Command::Tickets(cmd)) => tickets::run(
            load(None).map_err(|f| Failure {
                code: tickets::EX_TEMPFAIL,
                message: f.message,
            })?,
            cmd,
        ),
        Some(Command::MasterKey(cmd)) => master_key::run(load(None)?, cmd),
        Some(Command::Version) => {
            println!("till {}", version_line());
            Ok(())
        }
    }
}
