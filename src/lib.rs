//! adrec: produce an agency's administrative record and its privilege logs,
//! and audit productions received from others.
#![forbid(unsafe_code)]
// No unwrap() or expect() outside tests: a panic shown to a user is a defect,
// so every failure on input or I/O is an error that names what failed.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod certify;
pub mod clawback;
pub mod cli;
pub mod error;
pub mod export;
pub mod extract;
pub mod files;
pub mod image;
pub mod ingest;
pub mod matter;
pub mod model;
pub mod originals;
pub mod output;
pub mod pdf;
pub mod produce;
pub mod report;
pub mod review;
pub mod sheet_bounds;
pub mod status;

pub use error::{Error, Outcome};

/// Runs one parsed command line.
pub fn run(cli: cli::Cli) -> Result<Outcome, Error> {
    cli::dispatch(cli)
}
