//! adrec: produce an agency's administrative record and its privilege logs,
//! and audit productions received from others.
#![forbid(unsafe_code)]

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
