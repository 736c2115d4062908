//! The database looking after itself: a health check on both kinds of
//! connection, the periodic optimize and checkpoint, and a write that
//! leaves no trace of what it deleted.

use rusqlite::Transaction;

use super::Db;
use crate::error::Result;

impl Db {
    /// Both a reader and the writer answer (`GET /healthz`).
    pub fn ping(&self) -> Result<()> {
        self.read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))?;
        self.with_writer(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))?;
        Ok(())
    }

    /// `PRAGMA optimize` and a passive checkpoint; answers the pages
    /// checkpointed.
    pub fn optimize(&self) -> Result<u64> {
        self.with_writer(|conn| {
            conn.execute_batch("PRAGMA optimize;")?;
            let pages: i64 = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(2))?;
            Ok(pages.max(0) as u64)
        })
    }

    /// `write`, with the pages it frees overwritten (`secure_delete`) and
    /// the WAL, which still holds them as they were, folded into the file
    /// and emptied: for forgetting a secret.
    pub fn write_erasing<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.with_writer(|c| Ok(c.pragma_update(None, "secure_delete", true)?))?;
        let out = self.write(f);
        self.with_writer(|c| {
            c.pragma_update(None, "secure_delete", false)?;
            let _: i64 = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            Ok(())
        })?;
        out
    }
}
