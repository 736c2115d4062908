//! `till config check`: what would stop `till serve`, printed without
//! starting anything. `serve` refuses to start on the same findings.

use rusqlite::{Connection, OpenFlags};

use super::Failure;
use crate::{
    auth::key_file,
    config::{Config, check::Finding},
    service::accounts::master_key,
};

/// Every finding for `config` and its data directory (read only: a check
/// creates nothing).
pub fn findings(config: &Config) -> Vec<Finding> {
    let mut found = crate::config::check::findings(config);
    let key = config.master_key_path();
    if let Some(problem) = key_file::permission_problem(&key) {
        found.push(Finding {
            key: "data_dir",
            problem,
        });
    }
    let db = config.database_path();
    if db.is_file()
        && let Ok(conn) = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        && let Some(problem) = master_key::diagnose(&conn, &key)
    {
        found.push(Finding {
            key: "data_dir",
            problem,
        });
    }
    found
}

pub fn run(config: Config) -> Result<(), Failure> {
    let found = findings(&config);
    if found.is_empty() {
        println!("till: configuration check: no findings");
        return Ok(());
    }
    for f in &found {
        println!("{f}");
    }
    Err(Failure::config(format!(
        "configuration check: {} finding(s); `till serve` refuses to start until they are fixed",
        found.len()
    )))
}

/// For `serve`: the findings as one refusal. (A key that does not fit the
/// database is found when the key is loaded, with a fuller message.)
pub fn refuse_unsafe(config: &Config) -> Result<(), Failure> {
    let mut found = crate::config::check::findings(config);
    if let Some(problem) = key_file::permission_problem(&config.master_key_path()) {
        found.push(Finding {
            key: "data_dir",
            problem,
        });
    }
    if found.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = found.iter().map(|f| format!("  {f}")).collect();
    Err(Failure::config(format!(
        "refusing to start (see `till config check`):\n{}",
        list.join("\n")
    )))
}
