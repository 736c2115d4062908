//! `till api-key create|list|revoke`.

use clap::Subcommand;

use super::{Failure, admin::failure, startup};
use crate::{
    auth::principal::RequestMeta,
    config::Config,
    service::{
        accounts::api_keys::{self, NewKey},
        audit::Actor,
    },
    store::{api_keys as key_store, staff},
};

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key and print it once
    Create {
        #[arg(long)]
        name: String,
        /// A scope to grant (repeat): clients:read, clients:write, audit:read, api_keys:write
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// The staff member owning the key (default: the first admin)
        #[arg(long)]
        staff: Option<String>,
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
    /// List keys that are not revoked
    List,
    /// Revoke a key by id
    Revoke { id: i64 },
}

pub fn run(config: Config, command: &ApiKeyCommand) -> Result<(), Failure> {
    let (db, clock) = startup::open_beside_server(&config)?;
    let meta = RequestMeta::default();
    match command {
        ApiKeyCommand::Create {
            name,
            scopes,
            staff: owner,
            expires_in_days,
        } => {
            let scopes = api_keys::parse_scopes(scopes).map_err(failure)?;
            let owner = db
                .read(|c| {
                    Ok(match owner {
                        Some(email) => staff::find_by_email(c, email)?,
                        None => staff::list(c)?
                            .into_iter()
                            .find(|s| s.role == crate::domain::staff::StaffRole::Admin),
                    })
                })
                .map_err(Failure::runtime)?
                .ok_or_else(|| Failure::runtime("no such staff member"))?;
            let created = api_keys::create(
                &db,
                Actor::System,
                owner.id,
                NewKey {
                    name: name.clone(),
                    scopes,
                    expires_in_days: *expires_in_days,
                },
                &meta,
                clock.now(),
            )
            .map_err(failure)?;
            println!(
                "created API key {} \"{}\" for {}",
                created.row.id, created.row.name, owner.email
            );
            println!("{}", created.key);
            eprintln!("(the key is shown only now; store it safely)");
        }
        ApiKeyCommand::List => {
            let keys = db
                .read(|c| Ok(key_store::list_active(c, None)?))
                .map_err(Failure::runtime)?;
            println!(
                "{:<5} {:<24} {:<14} {:<40} last used",
                "id", "name", "prefix", "scopes"
            );
            for k in keys {
                println!(
                    "{:<5} {:<24} {:<14} {:<40} {}",
                    k.id,
                    k.name,
                    k.prefix,
                    api_keys::scopes_of(&k)
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    k.last_used_at.unwrap_or_else(|| "never".into())
                );
            }
        }
        ApiKeyCommand::Revoke { id } => {
            api_keys::revoke(&db, Actor::System, None, *id, &meta, clock.now()).map_err(failure)?;
            println!("revoked API key {id}");
        }
    }
    Ok(())
}
