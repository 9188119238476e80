//! The `adrec` binary: parse the command line, run it, turn the outcome into an exit code.
// The binary is its own crate: the library's ban on unwrap/expect outside
// tests (src/lib.rs) is repeated here so it covers this file too.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use std::process::ExitCode;

// jemalloc, not the system's malloc: glibc kept memory the audit's threads
// had freed resident (an audit of 100,000 documents peaked at 502 MB with
// it, 371 MB with jemalloc as configured in .cargo/config.toml, before the
// audit's own records were made smaller), and jemalloc is as fast or faster
// for produce and audit.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
