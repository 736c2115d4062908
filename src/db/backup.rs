//! Online backups (consistent while the server writes), verification, and
//! restore.
//!
//! A backup copies every page in one step of SQLite's backup API. In WAL
//! mode that step reads one snapshot while the writer carries on, so the
//! copy holds exactly the transactions committed before it started.

use std::{
    fs::File,
    path::{Path, PathBuf},
};

use jiff::Timestamp;
use rusqlite::{
    Connection, OpenFlags,
    backup::{Backup, StepResult},
};

use super::{
    connection::integrity_check,
    migrations::{self, MIGRATIONS},
    open::BackupPolicy,
};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{path} fails its integrity check: {problems}")]
    Corrupt { path: PathBuf, problems: String },
    #[error("{0} is not a till database")]
    NotTill(PathBuf),
    #[error("{path} has schema version {found}, newer than this till's {supported}")]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
}

/// Copy the database behind `src` to `dest`, verified with
/// `integrity_check`. The file appears at `dest` only once complete.
pub fn backup_to(src: &Connection, dest: &Path) -> Result<(), BackupError> {
    backup_edited(src, dest, |_| Ok(()))
}

/// `backup_to`, letting `edit` change the copy before it is checked and
/// put in place (`till backup` takes the master key out of it). Deleted
/// content is overwritten (`secure_delete`), not left in free pages.
pub fn backup_edited<T>(
    src: &Connection,
    dest: &Path,
    edit: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> Result<T, BackupError> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let partial = partial_path(dest);
    let _ = std::fs::remove_file(&partial);
    let result = copy_verified(src, &partial, edit);
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    let edited = result?;
    std::fs::rename(&partial, dest)?;
    sync_parent(dest)?;
    Ok(edited)
}

fn copy_verified<T>(
    src: &Connection,
    partial: &Path,
    edit: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> Result<T, BackupError> {
    {
        let mut dst = Connection::open(partial)?;
        let backup = Backup::new(src, &mut dst)?;
        // -1: every page in one step, from one read snapshot. Busy or Locked
        // means a writer held a lock at that instant: wait and step again.
        let mut attempts = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More | StepResult::Busy | StepResult::Locked if attempts < 600 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => {
                    return Err(BackupError::Sqlite(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some("the database stayed locked for 30 seconds".into()),
                    )));
                }
            }
        }
    }
    let dst = Connection::open(partial)?;
    // The copy keeps WAL mode in its header; make it a single self-contained
    // file so it can be moved and copied alone.
    dst.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    dst.pragma_update(None, "secure_delete", true)?;
    let edited = edit(&dst)?;
    let problems = integrity_check(&dst)?;
    drop(dst);
    if !problems.is_empty() {
        return Err(BackupError::Corrupt {
            path: partial.to_path_buf(),
            problems: problems.join("; "),
        });
    }
    File::open(partial)?.sync_all()?;
    Ok(edited)
}

/// Check a backup file: a till database, intact, not from a newer till.
/// Answers its schema version.
pub fn verify(path: &Path) -> Result<u32, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} does not exist", path.display()),
        )));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let problems = integrity_check(&conn).map_err(|_| BackupError::NotTill(path.to_path_buf()))?;
    if !problems.is_empty() {
        return Err(BackupError::Corrupt {
            path: path.to_path_buf(),
            problems: problems.join("; "),
        });
    }
    let found = migrations::current_version(&conn)?;
    let supported = migrations::latest(MIGRATIONS);
    let has_settings: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'settings')",
        [],
        |r| r.get(0),
    )?;
    if found == 0 || !has_settings {
        return Err(BackupError::NotTill(path.to_path_buf()));
    }
    if found > supported {
        return Err(BackupError::Newer {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    Ok(found)
}

/// What a restore did.
#[derive(Debug)]
pub struct RestoreReport {
    pub schema_version: u32,
    /// The database that was replaced, kept here.
    pub previous: Option<PathBuf>,
}

/// Replace the database at `db_path` with the backup at `from`. The caller
/// must hold the data-directory lock. The current database is first backed
/// up into `backups_dir`.
pub fn restore(
    from: &Path,
    db_path: &Path,
    backups_dir: &Path,
    now: Timestamp,
) -> Result<RestoreReport, BackupError> {
    let schema_version = verify(from)?;
    let previous = if db_path.exists() {
        let keep = backups_dir.join(format!("till-before-restore-{}.db", file_stamp(now)));
        let current = Connection::open(db_path)?;
        backup_to(&current, &keep)?;
        Some(keep)
    } else {
        None
    };

    let staged = partial_path(db_path);
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    backup_to(&source, &staged)?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", db_path.display()));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    std::fs::rename(&staged, db_path)?;
    sync_parent(db_path)?;
    Ok(RestoreReport {
        schema_version,
        previous,
    })
}

/// Back up before migrating from schema `from` to `to`; keeps the newest
/// `policy.keep` such backups.
pub fn pre_migration(
    src: &Connection,
    policy: &BackupPolicy,
    from: u32,
    to: u32,
    now: Timestamp,
) -> Result<PathBuf, BackupError> {
    let file = policy.dir.join(format!(
        "{PRE_MIGRATION_PREFIX}{}-v{from}-to-v{to}.db",
        file_stamp(now)
    ));
    backup_to(src, &file)?;
    prune(&policy.dir, policy.keep.max(1))?;
    Ok(file)
}

const PRE_MIGRATION_PREFIX: &str = "till-pre-migration-";

/// Delete all but the newest `keep` pre-migration backups. Names start with
/// a sortable timestamp, so name order is age order.
fn prune(dir: &Path, keep: usize) -> std::io::Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PRE_MIGRATION_PREFIX) && n.ends_with(".db"))
        })
        .collect();
    files.sort();
    let excess = files.len().saturating_sub(keep);
    for old in &files[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

/// `20261122T153142Z`: sortable and safe in a file name.
fn file_stamp(now: Timestamp) -> String {
    now.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn partial_path(dest: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", dest.display()))
}

fn sync_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn till_db(path: &Path) -> Connection {
        let mut conn = Connection::open(path).unwrap();
        migrations::apply(&mut conn, MIGRATIONS).unwrap();
        conn
    }

    #[test]
    fn a_backup_verifies_and_restores_over_the_live_file() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("till.db");
        let conn = till_db(&live);
        conn.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('k', 'before', 'now')",
            [],
        )
        .unwrap();
        let copy = dir.path().join("copy.db");
        backup_to(&conn, &copy).unwrap();
        assert_eq!(verify(&copy).unwrap(), migrations::latest(MIGRATIONS));

        conn.execute("UPDATE settings SET value = 'after'", [])
            .unwrap();
        drop(conn);
        let now: Timestamp = "2026-01-02T03:04:05Z".parse().unwrap();
        let report = restore(&copy, &live, &dir.path().join("backups"), now).unwrap();
        let previous = report.previous.unwrap();
        assert!(previous.ends_with("till-before-restore-20260102T030405Z.db"));

        let value = |p: &Path| -> String {
            Connection::open(p)
                .unwrap()
                .query_row("SELECT value FROM settings", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(value(&live), "before");
        assert_eq!(value(&previous), "after");
    }

    #[test]
    fn verify_refuses_files_that_are_not_till_databases() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"this is not sqlite at all, not even close........").unwrap();
        assert!(verify(&junk).is_err());

        let empty = dir.path().join("empty.db");
        Connection::open(&empty)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER)")
            .unwrap();
        assert!(matches!(verify(&empty), Err(BackupError::NotTill(_))));
        assert!(verify(&dir.path().join("missing.db")).is_err());
    }

    #[test]
    fn verify_refuses_a_backup_from_a_newer_till() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newer.db");
        let conn = till_db(&path);
        conn.pragma_update(None, "user_version", migrations::latest(MIGRATIONS) + 1)
            .unwrap();
        drop(conn);
        assert!(matches!(verify(&path), Err(BackupError::Newer { .. })));
    }

    #[test]
    fn only_the_newest_pre_migration_backups_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let conn = till_db(&dir.path().join("till.db"));
        let policy = BackupPolicy {
            dir: dir.path().join("backups"),
            keep: 2,
        };
        let mut made = Vec::new();
        for day in 1..=4 {
            let now: Timestamp = format!("2026-03-0{day}T00:00:00Z").parse().unwrap();
            made.push(pre_migration(&conn, &policy, 1, 2, now).unwrap());
        }
        assert!(!made[0].exists() && !made[1].exists());
        assert!(made[2].exists() && made[3].exists());
    }
}
