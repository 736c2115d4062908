//! SQLite access: one writer connection, a pool of read-only connections,
//! and `Db::run`, the one place where async code hands work to a blocking
//! thread.
//!
//! Writes take the writer mutex and run inside `BEGIN IMMEDIATE`, so two
//! writers never race for the lock and a write never fails half-way with
//! SQLITE_BUSY. Readers never block the writer (WAL).

pub mod backup;
mod connection;
pub mod lock;
pub mod migrations;
pub mod open;
pub mod queued;
mod upkeep;

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{AppError, Result};

pub use open::{OpenError, OpenReport, open};

/// A cheap, cloneable handle to the database.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    reads: r2d2::Pool<SqliteConnectionManager>,
    writer: Mutex<Connection>,
    wakeups: Arc<queued::Wakeups>,
}

impl Db {
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The doorbells of the workers that writes queue work for.
    pub fn wakeups(&self) -> &Arc<queued::Wakeups> {
        &self.inner.wakeups
    }

    /// Run `f` on a pooled read-only connection (blocking).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.inner.reads.get()?;
        f(&conn)
    }

    /// Run `f` inside one `BEGIN IMMEDIATE` transaction on the writer
    /// (blocking). Commits when `f` returns `Ok`, rolls back otherwise.
    /// Work it queued wakes its worker once committed (`queued`).
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        // A panic inside `f` drops the transaction, which rolls back, so a
        // poisoned lock still guards a clean connection.
        let mut conn = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        queued::take();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx);
        let committed = out.and_then(|out| Ok(tx.commit().map(|()| out)?));
        let marked = queued::take();
        if committed.is_ok() {
            self.inner.wakeups.ring(marked);
        }
        committed
    }

    /// Run `f` on the writer connection outside any transaction: for
    /// statements that cannot run in one (`VACUUM`, `PRAGMA optimize`).
    pub fn with_writer<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    }

    /// The one async-to-sync seam: run blocking database work off the async
    /// threads. The work finishes even if the caller stops waiting, so a
    /// transaction is never cut off half-way by a dropped request.
    pub async fn run<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Db) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(|e| AppError::internal(format!("database task failed: {e}")))?
    }
}

/// A database with every migration applied, in memory; for unit tests of
/// `store/` and `service/`.
#[cfg(test)]
pub fn test_connection() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    migrations::apply(&mut conn, migrations::MIGRATIONS).unwrap();
    conn
}
