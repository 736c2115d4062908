//! `till master-key reset --yes`: when the master key is lost for good, a
//! new one lets till start again; what was sealed under the old key is
//! cleared where till knows it, so staff enter those secrets again.

use clap::Subcommand;

use super::{Failure, startup};
use crate::{
    clock::{Clock, SystemClock},
    config::Config,
    db::lock::DataDirLock,
    service::accounts::master_key,
};

#[derive(Debug, Subcommand)]
pub enum MasterKeyCommand {
    /// Replace a lost master key with a new one (server and module secrets
    /// must then be entered again; two-factor users may have to set up
    /// again). Refused while the server runs.
    Reset {
        /// Yes, the old key is lost and its secrets with it
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(config: Config, command: &MasterKeyCommand) -> Result<(), Failure> {
    let MasterKeyCommand::Reset { yes } = command;
    if !yes {
        return Err(Failure::config(
            "a reset makes every secret sealed under the old key unreadable; \
             run it again with --yes if the old key is lost for good",
        ));
    }
    startup::init_logging(&config);
    crate::config::ensure_dir(&config.data_dir).map_err(Failure::runtime)?;
    // Not beside a running server: it holds the old keys.
    let lock = DataDirLock::acquire(&config.lock_path())
        .map_err(|e| Failure::runtime(format!("refusing to reset the key: {e}")))?;
    drop(lock);
    let opened = startup::open_data_dir(&config)?;
    let now = SystemClock.now();
    let kept = config.backups_dir().join(format!(
        "master-replaced-{}.key",
        now.strftime("%Y%m%dT%H%M%SZ")
    ));
    let cleared = master_key::reset(&opened.db, &config.master_key_path(), &kept, now)
        .map_err(Failure::runtime)?;
    println!(
        "wrote a new master key to {}; cleared {} sealed server and module secret(s): \
         enter them again in the admin area",
        config.master_key_path().display(),
        cleared.server_secrets
    );
    if cleared.registrar_settings > 0 || cleared.transfer_codes > 0 {
        println!(
            "cleared the settings of {} registrar(s) (disabled until entered again) and {} \
             transfer auth code(s)",
            cleared.registrar_settings, cleared.transfer_codes
        );
    }
    if cleared.two_factor > 0 {
        println!(
            "turned off two-factor authentication for {} user(s) and staff, whose secrets were \
             sealed under the old key: they set it up again after logging in",
            cleared.two_factor
        );
    }
    if kept.exists() {
        println!("the old key file was kept at {}", kept.display());
    }
    Ok(())
}
