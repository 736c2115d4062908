//! The master key: in its own file (`auth::key_file`, mode 0600) in the
//! data directory, never in the database, so a copy of `till.db` alone
//! opens none of the secrets sealed under it. The database keeps only the
//! key's fingerprint, so till notices a missing or foreign key file and
//! refuses to run rather than make a new key that opens nothing.
//!
//! Installs from before the key file kept the key in `settings`. At start
//! it moves: the file is written and flushed first, then the row deleted
//! (with `secure_delete`, and the WAL truncated, so the key's bytes do not
//! linger in free pages). A crash in between leaves the row and a file
//! holding the same key, and the next start finishes the move.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::{
    auth::{
        key_file,
        keys::{self, AuthKeys, FINGERPRINT_SETTING, MASTER_KEY_SETTING},
    },
    db::Db,
    domain::time::stamp,
    error::AppError,
    store::{servers, settings},
};

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error(
        "{path} is missing, and this database's sealed secrets (server and module \
         credentials, two-factor secrets) need it. Put the key file back (a backup made \
         with `till backup --with-key` has it beside it as <backup>.key), or, if it is \
         lost for good, run `till master-key reset` and enter those secrets again"
    )]
    Missing { path: PathBuf },
    #[error(
        "{path} is not the master key of this database (its fingerprint differs). Put \
         this database's own key there; `till restore` sets the key that came with a backup"
    )]
    Mismatch { path: PathBuf },
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Failed(#[from] AppError),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> MasterKeyError + '_ {
    move |e| MasterKeyError::Unreadable(format!("{}: {e}", path.display()))
}

/// What the database says about its key.
struct Recorded {
    legacy: Option<String>,
    fingerprint: Option<String>,
}

fn recorded(db: &Db) -> Result<Recorded, MasterKeyError> {
    Ok(db.read(|c| {
        Ok(Recorded {
            legacy: settings::get(c, MASTER_KEY_SETTING)?,
            fingerprint: settings::get(c, FINGERPRINT_SETTING)?,
        })
    })?)
}

/// The instance's keys from the key file at `path`: made on first start,
/// moved out of the database on the first start after an upgrade, and
/// checked against the database's fingerprint on every start.
pub fn load(db: &Db, path: &Path, now: Timestamp) -> Result<AuthKeys, MasterKeyError> {
    let master = master(db, path, now)?;
    let keys = AuthKeys::from_master(&master)?;
    // Two-factor secrets an older till stored in the clear are sealed
    // before the first request can read one.
    let sealed = crate::service::accounts::two_factor::seal_stored_secrets(db, &keys)?;
    if sealed > 0 {
        tracing::info!(sealed, "sealed two-factor secrets stored in the clear");
    }
    Ok(keys)
}

fn master(db: &Db, path: &Path, now: Timestamp) -> Result<[u8; 32], MasterKeyError> {
    let found = recorded(db)?;
    let file = key_file::read(path).map_err(io(path))?;
    if let Some(legacy) = &found.legacy {
        let key = keys::parse_master(legacy)
            .ok_or_else(|| MasterKeyError::Unreadable("the stored master key is corrupt".into()))?;
        return move_out_of_database(db, path, file, key, now);
    }
    match (file, &found.fingerprint) {
        (Some(key), Some(fp)) if *fp == keys::fingerprint(&key) => Ok(key),
        (Some(_), Some(_)) => Err(MasterKeyError::Mismatch {
            path: path.to_path_buf(),
        }),
        (Some(key), None) => {
            record_fingerprint(db, &key, now)?;
            Ok(key)
        }
        (None, Some(_)) => Err(MasterKeyError::Missing {
            path: path.to_path_buf(),
        }),
        (None, None) => {
            // First start. Another process starting at the same moment may
            // win the file; then its key is the key.
            key_file::write_new(path, &keys::new_master()).map_err(io(path))?;
            let key = key_file::read(path)
                .map_err(io(path))?
                .ok_or_else(|| MasterKeyError::Unreadable("the new key file vanished".into()))?;
            record_fingerprint(db, &key, now)?;
            Ok(key)
        }
    }
}

fn record_fingerprint(db: &Db, key: &[u8; 32], now: Timestamp) -> Result<(), MasterKeyError> {
    let fp = keys::fingerprint(key);
    let stored = db.write(|tx| {
        Ok(settings::get_or_insert(
            tx,
            FINGERPRINT_SETTING,
            &fp,
            &stamp(now),
        )?)
    })?;
    if stored == fp {
        Ok(())
    } else {
        Err(MasterKeyError::Unreadable(
            "another key was recorded for this database at the same time".into(),
        ))
    }
}

fn move_out_of_database(
    db: &Db,
    path: &Path,
    file: Option<[u8; 32]>,
    key: [u8; 32],
    now: Timestamp,
) -> Result<[u8; 32], MasterKeyError> {
    match file {
        Some(existing) if existing != key => {
            return Err(MasterKeyError::Mismatch {
                path: path.to_path_buf(),
            });
        }
        Some(_) => {} // written before a crash; the row is what is left to do
        None => {
            if !key_file::write_new(path, &key).map_err(io(path))?
                && key_file::read(path).map_err(io(path))? != Some(key)
            {
                return Err(MasterKeyError::Mismatch {
                    path: path.to_path_buf(),
                });
            }
        }
    }
    // The file is on disk (flushed, its directory too); only now may the
    // database forget the key.
    db.write_erasing(|tx| {
        settings::delete(tx, MASTER_KEY_SETTING)?;
        settings::put(
            tx,
            FINGERPRINT_SETTING,
            &keys::fingerprint(&key),
            &stamp(now),
        )?;
        Ok(())
    })?;
    tracing::info!(path = %path.display(), "moved the master key out of the database into its own file");
    Ok(key)
}

/// Whether the key at `path` opens the database behind `conn` (read only):
/// `None` when it does, or will once till starts (a legacy key in the
/// database that the start moves out), else why not.
pub fn diagnose(conn: &rusqlite::Connection, path: &Path) -> Option<String> {
    let legacy = settings::get(conn, MASTER_KEY_SETTING).ok()?;
    let fingerprint = settings::get(conn, FINGERPRINT_SETTING).ok()?;
    let file = match key_file::read(path) {
        Ok(f) => f,
        Err(e) => return Some(e.to_string()),
    };
    let mismatch = || {
        Some(
            MasterKeyError::Mismatch {
                path: path.to_path_buf(),
            }
            .to_string(),
        )
    };
    match (
        legacy.as_deref().and_then(keys::parse_master),
        file,
        fingerprint,
    ) {
        (Some(l), Some(f), _) if l != f => mismatch(),
        (Some(_), _, _) => None,
        (None, Some(f), Some(fp)) if keys::fingerprint(&f) != fp => mismatch(),
        (None, None, Some(_)) => Some(
            MasterKeyError::Missing {
                path: path.to_path_buf(),
            }
            .to_string(),
        ),
        _ => None,
    }
}

/// `till master-key reset`: a lost key is lost, but the business can go
/// on. A new key replaces it (the old file, if any, is kept in
/// `keep_old_at`); the secrets sealed under the old key are cleared where
/// till knows them (server and module secrets, so their forms ask for them
/// again, and two-factor secrets, whose holders set it up again).
pub fn reset(
    db: &Db,
    path: &Path,
    keep_old_at: &Path,
    now: Timestamp,
) -> Result<Reset, MasterKeyError> {
    if path.exists() {
        if let Some(dir) = keep_old_at.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::rename(path, keep_old_at).map_err(io(path))?;
    }
    let key = keys::new_master();
    key_file::write_new(path, &key).map_err(io(path))?;
    let cleared = db.write(|tx| {
        settings::delete(tx, MASTER_KEY_SETTING)?;
        settings::put(
            tx,
            FINGERPRINT_SETTING,
            &keys::fingerprint(&key),
            &stamp(now),
        )?;
        let servers = servers::clear_sealed_secrets(tx, &stamp(now))?;
        let registrars = crate::store::registrars::clear_sealed_settings(tx, &stamp(now))?;
        let codes = crate::store::domains::clear_sealed_codes(tx, &stamp(now))?;
        // Two-factor secrets sealed under the old key cannot be opened:
        // their holders set two-factor up again (staff are made to when
        // it is required), rather than being locked out.
        let holders = crate::store::two_factor::all_secrets(tx)?;
        for (h, _) in &holders {
            crate::store::two_factor::disable(tx, *h, &stamp(now))?;
        }
        Ok(Reset {
            server_secrets: servers,
            registrar_settings: registrars,
            transfer_codes: codes,
            two_factor: holders.len(),
        })
    })?;
    Ok(cleared)
}

/// What a reset cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reset {
    /// Server and module secrets, to be entered again.
    pub server_secrets: usize,
    /// Registrars whose settings are to be entered again (disabled till then).
    pub registrar_settings: usize,
    /// Transfers whose auth code the customer gives again.
    pub transfer_codes: usize,
    /// Users and staff whose two-factor authentication was turned off.
    pub two_factor: usize,
}
