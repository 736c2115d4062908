//! `till admin create|reset-password`: staff accounts from the shell.

use std::io::BufRead;

use clap::Subcommand;

use super::{Failure, startup};
use crate::{
    auth::random, config::Config, domain::staff::StaffRole, error::AppError,
    service::accounts::staff,
};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a staff member
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// admin, billing or support
        #[arg(long, default_value = "admin")]
        role: String,
        /// Read the password from the first line of stdin (otherwise one is
        /// generated and printed once)
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password for a staff member; their sessions end
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of stdin (otherwise one is
        /// generated and printed once)
        #[arg(long)]
        password_stdin: bool,
    },
}

fn password(from_stdin: bool) -> Result<(String, bool), Failure> {
    if !from_stdin {
        return Ok((random::password(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::runtime(format!("reading the password from stdin: {e}")))?;
    Ok((line.trim_end_matches(['\r', '\n']).to_string(), false))
}

pub(super) fn failure(e: AppError) -> Failure {
    match e {
        AppError::Validation(errors) => Failure::config(
            errors
                .iter()
                .map(|(k, v)| format!("{k} {}", v.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        AppError::NotFound => Failure::runtime("no such staff member"),
        other => Failure::runtime(other),
    }
}

pub fn run(config: Config, command: &AdminCommand) -> Result<(), Failure> {
    let (db, clock) = startup::open_beside_server(&config)?;
    match command {
        AdminCommand::Create {
            email,
            name,
            role,
            password_stdin,
        } => {
            let role: StaffRole = role.parse().map_err(Failure::config)?;
            let (pw, generated) = password(*password_stdin)?;
            let member =
                staff::create(&db, email, name, role, &pw, clock.now()).map_err(failure)?;
            println!(
                "created {} {} (id {})",
                member.role, member.email, member.id
            );
            if generated {
                println!("password (shown once): {pw}");
            }
        }
        AdminCommand::ResetPassword {
            email,
            password_stdin,
        } => {
            let (pw, generated) = password(*password_stdin)?;
            staff::reset_password(&db, email, &pw, clock.now()).map_err(failure)?;
            println!("password reset for {email}; their sessions were ended");
            if generated {
                println!("password (shown once): {pw}");
            }
        }
    }
    Ok(())
}
