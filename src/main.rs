use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    till::cli::run(till::cli::Cli::parse())
}
