//! Where things live: the base URL for links and the files under the data
//! directory.

use std::path::PathBuf;

use super::{Config, MASTER_KEY_FILE};

impl Config {
    /// The base URL for links, without a trailing slash.
    pub fn base_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.bind)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("till.db")
    }

    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// The master key that seals credentials (`auth::key_file`).
    pub fn master_key_path(&self) -> PathBuf {
        self.data_dir.join(MASTER_KEY_FILE)
    }

    /// The lock file a running server holds, so `restore` can refuse.
    pub fn lock_path(&self) -> PathBuf {
        self.data_dir.join("till.lock")
    }
}
