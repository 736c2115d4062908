//! `till restore FILE`: verify the backup, refuse while a server holds the
//! data directory, keep the current database aside, then swap the backup in.
//!
//! The master key: a key beside the backup (`FILE.key`, from `till backup
//! --with-key`) is installed as the data directory's key file, the key it
//! replaces kept in `backups/`. Without one the current key file stays,
//! and till says whether it opens the restored database.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Failure, backup::key_beside};
use crate::{
    auth::{
        key_file,
        keys::{self, FINGERPRINT_SETTING, MASTER_KEY_SETTING},
    },
    clock::{Clock, SystemClock},
    config::Config,
    db::{backup, lock::DataDirLock},
    service::accounts::master_key,
    store::settings,
};

pub fn run(config: Config, file: &Path) -> Result<(), Failure> {
    let version =
        backup::verify(file).map_err(|e| Failure::runtime(format!("refusing to restore: {e}")))?;
    let beside = key_beside(file);
    let new_key = key_file::read(&beside)
        .map_err(|e| Failure::runtime(format!("refusing to restore: {e}")))?;
    if let Some(key) = &new_key {
        check_key_fits(file, key)?;
    }
    crate::config::ensure_dir(&config.data_dir).map_err(Failure::runtime)?;
    let _lock = DataDirLock::acquire(&config.lock_path())
        .map_err(|e| Failure::runtime(format!("refusing to restore: {e}")))?;
    let now = SystemClock.now();
    let report = backup::restore(file, &config.database_path(), &config.backups_dir(), now)
        .map_err(|e| Failure::runtime(format!("restore failed: {e}")))?;
    println!(
        "restored {} into {} (schema version {version})",
        file.display(),
        config.database_path().display()
    );
    if let Some(previous) = report.previous {
        println!("the replaced database was kept at {}", previous.display());
    }
    let key_path = config.master_key_path();
    let current = key_file::read(&key_path).map_err(Failure::runtime)?;
    let legacy = read_setting(&config.database_path(), MASTER_KEY_SETTING)?
        .and_then(|hex| keys::parse_master(&hex));
    // The key the restored database needs: the one beside the backup, or
    // (an older backup) the one inside it, which the next start moves out.
    match new_key.or(legacy) {
        Some(key) if current == Some(key) => {}
        Some(key) => {
            if current.is_some() {
                let kept = config.backups_dir().join(format!(
                    "master-before-restore-{}.key",
                    now.strftime("%Y%m%dT%H%M%SZ")
                ));
                std::fs::create_dir_all(config.backups_dir()).map_err(Failure::runtime)?;
                std::fs::rename(&key_path, &kept).map_err(Failure::runtime)?;
                println!("the replaced master key was kept at {}", kept.display());
            }
            if new_key.is_some() {
                key_file::replace(&key_path, &key).map_err(Failure::runtime)?;
                println!(
                    "installed the master key from {} as {}",
                    beside.display(),
                    key_path.display()
                );
            }
        }
        None => {}
    }
    let conn =
        Connection::open_with_flags(config.database_path(), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(Failure::runtime)?;
    if let Some(problem) = master_key::diagnose(&conn, &key_path) {
        println!(
            "warning: the restored database's sealed secrets need its own master key, and \
             till will not start without it: {problem}"
        );
    }
    Ok(())
}

/// A key beside the backup must be the backup's own.
fn check_key_fits(file: &Path, key: &[u8; 32]) -> Result<(), Failure> {
    let fingerprint = read_setting(file, FINGERPRINT_SETTING)?;
    match fingerprint {
        Some(fp) if fp != keys::fingerprint(key) => Err(Failure::runtime(format!(
            "refusing to restore: {} is not the master key of {}",
            key_beside(file).display(),
            file.display()
        ))),
        _ => Ok(()),
    }
}

fn read_setting(db: &Path, key: &str) -> Result<Option<String>, Failure> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(Failure::runtime)?;
    settings::get(&conn, key).map_err(Failure::runtime)
}
