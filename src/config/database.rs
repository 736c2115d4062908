//! `[database]`: the SQLite pool and its durability setting.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// Read-only connections in the pool (writes use one dedicated connection).
    pub read_pool_size: u32,
    /// How long a connection waits for a lock before giving up, in ms.
    pub busy_timeout_ms: u64,
    pub synchronous: Synchronous,
    /// Automatic pre-migration backups kept in `<data_dir>/backups`.
    pub keep_migration_backups: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    /// Every commit is flushed to disk: a power cut loses nothing committed.
    Full,
    /// Faster; a power cut (not a crash) may lose the last commits.
    Normal,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            read_pool_size: 8,
            busy_timeout_ms: 5000,
            synchronous: Synchronous::Full,
            keep_migration_backups: 5,
        }
    }
}
