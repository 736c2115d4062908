//! `till migrate`: create or upgrade the database (backing it up first when
//! it has data), create the first admin if there is none, and exit.

use super::{Failure, startup};
use crate::{config::Config, db::migrations};

pub fn run(config: Config) -> Result<(), Failure> {
    startup::init_logging(&config);
    let opened = startup::open_data_dir(&config)?;
    // Make the master key (first run) or move it out of the database (an
    // older install), as `serve` would.
    startup::load_keys(&config, &opened.db, &opened.clock)?;
    let version = opened
        .db
        .read(|c| Ok(migrations::current_version(c)?))
        .map_err(Failure::runtime)?;
    println!(
        "database {} is at schema version {version}",
        opened.db.path().display()
    );
    Ok(())
}
