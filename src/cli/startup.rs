//! What every command that opens the database does first: logging, the data
//! directory, its lock, opening and migrating, and the first admin.

use std::sync::Arc;

use crate::{
    auth::keys::AuthKeys,
    clock::{Clock, SystemClock},
    config::{Config, LogFormat},
    db::{self, Db, lock::DataDirLock, open::BackupPolicy},
    service::{
        accounts::master_key::{self, MasterKeyError},
        bootstrap::{self, FirstAdminInput},
    },
};

use super::Failure;

pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::new(&config.log.level);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // try_init: a second call (tests, or a command that re-enters) is fine.
    let _ = match config.log.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The data directory created, locked, and its database opened and migrated.
pub struct Opened {
    pub db: Db,
    pub lock: DataDirLock,
    pub clock: Arc<dyn Clock>,
}

/// For commands that may run beside a server (`admin`, `api-key`): with
/// the server stopped, open and migrate as usual; while it runs, open the
/// database as it is (it must be current).
pub fn open_beside_server(config: &Config) -> Result<(Db, Arc<dyn Clock>), Failure> {
    crate::config::ensure_dir(&config.data_dir).map_err(Failure::runtime)?;
    match DataDirLock::acquire(&config.lock_path()) {
        Ok(lock) => {
            drop(lock);
            let opened = open_data_dir(config)?;
            Ok((opened.db, opened.clock))
        }
        Err(_) => {
            let db = db::open::open_current(&config.database_path(), &config.database)
                .map_err(Failure::runtime)?;
            Ok((db, Arc::new(SystemClock)))
        }
    }
}

/// The master key (`service::accounts::master_key::load`): a missing or foreign key
/// file is the operator's to fix, so it is exit code 2 like a config error.
pub fn load_keys(config: &Config, db: &Db, clock: &Arc<dyn Clock>) -> Result<AuthKeys, Failure> {
    master_key::load(db, &config.master_key_path(), clock.now()).map_err(|e| match e {
        MasterKeyError::Failed(e) => Failure::runtime(e),
        other => Failure::config(other),
    })
}

pub fn open_data_dir(config: &Config) -> Result<Opened, Failure> {
    crate::config::ensure_dir(&config.data_dir).map_err(|e| {
        Failure::runtime(format!(
            "cannot create data directory {}: {e}",
            config.data_dir.display()
        ))
    })?;
    let lock = DataDirLock::acquire(&config.lock_path()).map_err(Failure::runtime)?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let policy = BackupPolicy {
        dir: config.backups_dir(),
        keep: config.database.keep_migration_backups,
    };
    let (db, report) = db::open(
        &config.database_path(),
        &config.database,
        &policy,
        clock.now(),
    )
    .map_err(Failure::runtime)?;
    if report.created {
        tracing::info!(path = %db.path().display(), version = report.schema_version, "created database");
    }
    if let Some(from) = report.migrated_from {
        tracing::info!(from, to = report.schema_version, "migrated database");
    }
    if let Some(backup) = &report.backup {
        eprintln!(
            "till: backed up the database before migrating it, to {}",
            backup.display()
        );
    }

    let input = FirstAdminInput {
        email: std::env::var("TILL_ADMIN_EMAIL").ok(),
        password: std::env::var("TILL_ADMIN_PASSWORD").ok(),
    };
    let admin = bootstrap::ensure_first_admin(&db, clock.now(), input).map_err(|e| match e {
        crate::error::AppError::Validation(errors) => Failure::config(format!(
            "first admin: {}",
            errors
                .iter()
                .map(|(k, v)| format!("{k} {}", v.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        other => Failure::runtime(other),
    })?;
    if let Some(admin) = &admin
        && report.created
        && config.sample_data
    {
        let staff_id = db
            .read(|c| Ok(crate::store::staff::find_by_email(c, &admin.email)?))
            .map_err(Failure::runtime)?
            .map(|s| s.id);
        if let Some(staff_id) = staff_id {
            crate::service::catalog::sample::install(&db, staff_id, clock.now())
                .map_err(Failure::runtime)?;
            crate::service::knowledge::sample::install(&db, staff_id, clock.now())
                .map_err(Failure::runtime)?;
            crate::service::support::departments::install_samples(&db, clock.now())
                .map_err(Failure::runtime)?;
            tracing::info!("added the sample catalog (sample_data = false turns this off)");
        }
    }
    if let Some(admin) = admin {
        match admin.generated_password {
            Some(password) => eprintln!(
                "\ntill: created the first admin. This password is shown only once:\n\n    \
                 email:    {}\n    password: {password}\n\nLog in at /admin and change it.\n",
                admin.email
            ),
            None => eprintln!("till: created the first admin {}", admin.email),
        }
    }
    Ok(Opened { db, lock, clock })
}
