//! `till restore FILE`: verify the backup, refuse while a server holds the
//! data directory, keep the current database aside, then swap the backup in.

use std::path::Path;

use super::Failure;
use crate::{
    clock::{Clock, SystemClock},
    config::Config,
    db::{backup, lock::DataDirLock},
};

pub fn run(config: Config, file: &Path) -> Result<(), Failure> {
    let version =
        backup::verify(file).map_err(|e| Failure::runtime(format!("refusing to restore: {e}")))?;
    crate::config::ensure_dir(&config.data_dir).map_err(Failure::runtime)?;
    let _lock = DataDirLock::acquire(&config.lock_path())
        .map_err(|e| Failure::runtime(format!("refusing to restore: {e}")))?;
    let report = backup::restore(
        file,
        &config.database_path(),
        &config.backups_dir(),
        SystemClock.now(),
    )
    .map_err(|e| Failure::runtime(format!("restore failed: {e}")))?;
    println!(
        "restored {} into {} (schema version {version})",
        file.display(),
        config.database_path().display()
    );
    if let Some(previous) = report.previous {
        println!("the replaced database was kept at {}", previous.display());
    }
    Ok(())
}
