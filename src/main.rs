//! The `adrec` binary: parse the command line, run it, turn the outcome into an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = adrec::cli::Cli::parse();
    match adrec::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            adrec::error::print(&err);
            err.exit_code()
        }
    }
}
