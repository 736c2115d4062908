//! `till backup FILE [--with-key]`: an online backup, consistent while the
//! server keeps writing, verified with `integrity_check` before it is
//! reported done.
//!
//! The backup never holds the master key (an install that has not started
//! since the key moved to its own file has it in `settings`; the copy
//! leaves that row out), so a stolen backup opens no sealed secret. With
//! `--with-key` the key is written beside it as `FILE.key` (mode 0600),
//! which `till restore FILE` picks up.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::Failure;
use crate::{
    auth::{
        key_file,
        keys::{self, FINGERPRINT_SETTING, MASTER_KEY_SETTING},
    },
    clock::{Clock, SystemClock},
    config::Config,
    db::backup,
    domain::time::stamp,
    store::settings,
};

/// Take a master key kept in `settings` (an install that has not started
/// since the key moved to its file) out of the copy, leaving its
/// fingerprint, so the copy still says which key it needs.
fn leave_the_key_out(copy: &Connection, now: &str) -> rusqlite::Result<Option<[u8; 32]>> {
    let Some(key) = settings::get(copy, MASTER_KEY_SETTING)?.and_then(|h| keys::parse_master(&h))
    else {
        return Ok(None);
    };
    settings::delete(copy, MASTER_KEY_SETTING)?;
    settings::get_or_insert(copy, FINGERPRINT_SETTING, &keys::fingerprint(&key), now)?;
    Ok(Some(key))
}

/// Where `--with-key` puts the key of the backup at `file`.
pub fn key_beside(file: &Path) -> PathBuf {
    PathBuf::from(format!("{}.key", file.display()))
}

pub fn run(config: Config, file: &Path, with_key: bool) -> Result<(), Failure> {
    let source_path = config.database_path();
    if !source_path.is_file() {
        return Err(Failure::runtime(format!(
            "no database at {} (check --data-dir)",
            source_path.display()
        )));
    }
    let key_out = key_beside(file);
    for path in [Some(file), with_key.then_some(key_out.as_path())]
        .into_iter()
        .flatten()
    {
        if path.exists() {
            return Err(Failure::runtime(format!(
                "{} already exists; choose a new file name",
                path.display()
            )));
        }
    }
    let source = Connection::open_with_flags(&source_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Failure::runtime(format!("cannot open {}: {e}", source_path.display())))?;
    source
        .busy_timeout(std::time::Duration::from_millis(
            config.database.busy_timeout_ms,
        ))
        .map_err(Failure::runtime)?;
    let now = stamp(SystemClock.now());
    let legacy = backup::backup_edited(&source, file, |copy| leave_the_key_out(copy, &now))
        .map_err(|e| Failure::runtime(format!("backup failed: {e}")))?;
    let version = backup::verify(file).map_err(Failure::runtime)?;
    println!(
        "backup written to {} (schema version {version}, integrity ok)",
        file.display()
    );
    let key_path = config.master_key_path();
    if !with_key {
        println!(
            "the backup does not hold the master key ({}): the sealed secrets in it (server \
             and module credentials, two-factor secrets) open only with that key. Keep a copy \
             of the key apart from your backups, or back up with --with-key.",
            key_path.display()
        );
        return Ok(());
    }
    let key = match key_file::read(&key_path).map_err(Failure::runtime)? {
        Some(key) => key,
        None => legacy.ok_or_else(|| {
            Failure::runtime(format!(
                "there is no master key at {} to write beside the backup",
                key_path.display()
            ))
        })?,
    };
    if !key_file::write_new(&key_out, &key).map_err(Failure::runtime)? {
        return Err(Failure::runtime(format!(
            "{} appeared while backing up; nothing was written there",
            key_out.display()
        )));
    }
    println!(
        "the master key was written beside it to {} (mode 0600). Keep the two apart when \
         you copy them off this machine: whoever has both can open the sealed secrets. \
         `till restore {}` picks the key up.",
        key_out.display(),
        file.display()
    );
    Ok(())
}
