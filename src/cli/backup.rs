//! `till backup FILE`: an online backup, consistent while the server keeps
//! writing, verified with `integrity_check` before it is reported done.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::Failure;
use crate::{config::Config, db::backup};

pub fn run(config: Config, file: &Path) -> Result<(), Failure> {
    let source_path = config.database_path();
    if !source_path.is_file() {
        return Err(Failure::runtime(format!(
            "no database at {} (check --data-dir)",
            source_path.display()
        )));
    }
    if file.exists() {
        return Err(Failure::runtime(format!(
            "{} already exists; choose a new file name",
            file.display()
        )));
    }
    let source = Connection::open_with_flags(&source_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Failure::runtime(format!("cannot open {}: {e}", source_path.display())))?;
    source
        .busy_timeout(std::time::Duration::from_millis(
            config.database.busy_timeout_ms,
        ))
        .map_err(Failure::runtime)?;
    backup::backup_to(&source, file)
        .map_err(|e| Failure::runtime(format!("backup failed: {e}")))?;
    let version = backup::verify(file).map_err(Failure::runtime)?;
    println!(
        "backup written to {} (schema version {version}, integrity ok)",
        file.display()
    );
    Ok(())
}
