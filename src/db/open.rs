//! Opening the database at start-up: check it, refuse what we must, back it
//! up before changing its schema, migrate, and build the pools.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use jiff::Timestamp;

use super::{
    Db, Inner, backup,
    connection::{open_writer, quick_check, read_manager},
    migrations::{self, Migration, MigrationError, SchemaState},
};
use crate::config::DatabaseConfig;

/// What opening the database did, for the operator to read.
#[derive(Debug, Default, Clone)]
pub struct OpenReport {
    pub created: bool,
    pub migrated_from: Option<u32>,
    pub schema_version: u32,
    pub backup: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "database {path} has schema version {found}, but this till only knows up to {supported}: \
         it was written by a newer till. Upgrade till, or restore a backup made by this version."
    )]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("database {path} failed its integrity check: {problems}")]
    Corrupt { path: PathBuf, problems: String },
    #[error("could not back up {path} before migrating, so nothing was changed: {source}")]
    Backup {
        path: PathBuf,
        #[source]
        source: backup::BackupError,
    },
    #[error(
        "{source}; the database is at schema version {at}{}",
        backup.as_ref().map(|b| format!(", and the backup taken before migrating is {}", b.display())).unwrap_or_default()
    )]
    Migration {
        #[source]
        source: MigrationError,
        at: u32,
        backup: Option<PathBuf>,
    },
    #[error(
        "the database is at schema version {from} and needs {to}: stop the server and run `till migrate`"
    )]
    Pending { from: u32, to: u32 },
    #[error("cannot build the read pool: {0}")]
    Pool(#[from] r2d2::Error),
}

/// Where automatic pre-migration backups go and how many are kept.
#[derive(Debug, Clone)]
pub struct BackupPolicy {
    pub dir: PathBuf,
    pub keep: usize,
}

/// Open (creating if missing) and migrate the database at `path`.
pub fn open(
    path: &Path,
    config: &DatabaseConfig,
    backups: &BackupPolicy,
    now: Timestamp,
) -> Result<(Db, OpenReport), OpenError> {
    open_with(path, config, backups, now, migrations::MIGRATIONS)
}

/// Open a database that must already be at this till's schema, changing
/// nothing: for commands that run beside a server.
pub fn open_current(path: &Path, config: &DatabaseConfig) -> Result<Db, OpenError> {
    if !path.is_file() {
        return Err(OpenError::Open {
            path: path.to_path_buf(),
            source: rusqlite::Error::InvalidPath(path.to_path_buf()),
        });
    }
    let open_err = |source| OpenError::Open {
        path: path.to_path_buf(),
        source,
    };
    let writer = open_writer(path, config).map_err(open_err)?;
    match migrations::state(&writer, migrations::MIGRATIONS).map_err(open_err)? {
        SchemaState::UpToDate(_) => {}
        SchemaState::Newer { found, supported } => {
            return Err(OpenError::Newer {
                path: path.to_path_buf(),
                found,
                supported,
            });
        }
        SchemaState::Pending { from, to } => {
            return Err(OpenError::Pending { from, to });
        }
    }
    let reads = r2d2::Pool::builder()
        .max_size(2)
        .test_on_check_out(false)
        .build(read_manager(path, config))?;
    Ok(Db {
        inner: Arc::new(Inner {
            path: path.to_path_buf(),
            reads,
            writer: Mutex::new(writer),
            wakeups: Default::default(),
        }),
    })
}

/// `open` with an explicit migration list (tests use a broken one).
pub fn open_with(
    path: &Path,
    config: &DatabaseConfig,
    backups: &BackupPolicy,
    now: Timestamp,
    list: &[Migration],
) -> Result<(Db, OpenReport), OpenError> {
    let open_err = |source| OpenError::Open {
        path: path.to_path_buf(),
        source,
    };
    let mut writer = open_writer(path, config).map_err(open_err)?;
    let problems = quick_check(&writer).map_err(open_err)?;
    if !problems.is_empty() {
        return Err(OpenError::Corrupt {
            path: path.to_path_buf(),
            problems: problems.join("; "),
        });
    }

    let mut report = OpenReport::default();
    match migrations::state(&writer, list).map_err(open_err)? {
        SchemaState::Newer { found, supported } => {
            return Err(OpenError::Newer {
                path: path.to_path_buf(),
                found,
                supported,
            });
        }
        SchemaState::UpToDate(v) => report.schema_version = v,
        SchemaState::Pending { from, to } => {
            report.created = from == 0;
            if from > 0 {
                let file =
                    backup::pre_migration(&writer, backups, from, to, now).map_err(|source| {
                        OpenError::Backup {
                            path: path.to_path_buf(),
                            source,
                        }
                    })?;
                report.backup = Some(file);
                report.migrated_from = Some(from);
            }
            migrations::apply(&mut writer, list).map_err(|source| OpenError::Migration {
                source,
                at: migrations::current_version(&writer).unwrap_or(0),
                backup: report.backup.clone(),
            })?;
            report.schema_version = to;
        }
    }

    let reads = r2d2::Pool::builder()
        .max_size(config.read_pool_size)
        .min_idle(Some(1))
        // A local file connection cannot go stale; skipping r2d2's `SELECT 1`
        // on every checkout is measurably faster.
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .build(read_manager(path, config))?;

    let db = Db {
        inner: Arc::new(Inner {
            path: path.to_path_buf(),
            reads,
            writer: Mutex::new(writer),
            wakeups: Default::default(),
        }),
    };
    Ok((db, report))
}
