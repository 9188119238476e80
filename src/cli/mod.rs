//! The command line: clap derive, one module per subcommand. Dispatch opens
//! the matter only for the commands that need it.

mod audit;
mod certify;
mod clawback;
mod demo;
mod docs;
mod export;
mod ingest;
mod init;
mod migrate;
mod produce;
mod show;
mod status;
mod tag;
mod templates;

use crate::error::{Error, Outcome};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Produce an agency's administrative record and privilege logs, and audit
/// productions received from others.
#[derive(Debug, Parser)]
#[command(name = "adrec", version, about, long_about = None)]
pub struct Cli {
    /// The matter folder (else $ADREC_MATTER, else the nearest adrec.toml upward).
    #[arg(long, global = true, value_name = "DIR")]
    pub matter: Option<PathBuf>,

    /// Print the result as JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create adrec.toml and .adrec/ in DIR (default: here); never overwrites.
    Init(init::Args),
    /// List the bundled matter templates.
    Templates(templates::Args),
    /// Add files to the matter: hash, page-count and read their metadata.
    Ingest(ingest::Args),
    /// List documents.
    Docs(docs::Args),
    /// Everything known about one document, with its history.
    Show(show::Args),
    /// Record review decisions: category, status, privilege, log fields.
    Tag(Box<tag::Args>),
    /// Number and write a volume (or, with --dry-run, print the plan).
    Produce(produce::Args),
    /// Export the production index or privilege log, cumulative or per volume.
    Export(export::Args),
    /// Audit a production made by any tool: gaps, overlaps, missing and unindexed files, hashes, logs.
    Audit(audit::Args),
    /// Deadline dry run: what would go out today, what blocks it, and the pace.
    Status(status::Args),
    /// Run the whole pipeline on the bundled sample record.
    Demo(demo::Args),
    /// Recall produced documents (Rule 26(b)(5)(B), FRE 502); `produce VOLUME --overlay` replaces them.
    Clawback(clawback::Args),
    /// The figures and draft text of a certifying declaration: volumes, ranges, counts, gaps, hashes.
    Certify(certify::Args),
    /// Move the matter's state into an empty PostgreSQL database, verified table by table.
    MigrateToPostgres(migrate::Args),
}

/// Global options every command sees.
pub struct Ctx {
    pub matter: Option<PathBuf>,
    pub json: bool,
}

pub fn dispatch(cli: Cli) -> Result<Outcome, Error> {
    crate::pdf::install_panic_hook();
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::pdf::WORKER_STACK)
        .build_global();
    let ctx = Ctx {
        matter: cli.matter,
        json: cli.json,
    };
    match cli.command {
        Command::Init(args) => init::run(args, &ctx),
        Command::Templates(args) => templates::run(args, &ctx),
        Command::Ingest(args) => ingest::run(args, &ctx),
        Command::Docs(args) => docs::run(args, &ctx),
        Command::Show(args) => show::run(args, &ctx),
        Command::Produce(args) => produce::run(args, &ctx),
        Command::Export(args) => export::run(args, &ctx),
        Command::Status(args) => status::run(args, &ctx),
        Command::Tag(args) => tag::run(*args, &ctx),
        Command::Demo(args) => demo::run(args, &ctx),
        Command::Audit(args) => audit::run(args, &ctx),
        Command::Clawback(args) => clawback::run(args, &ctx),
        Command::Certify(args) => certify::run(args, &ctx),
        Command::MigrateToPostgres(args) => migrate::run(args, &ctx),
    }
}

/// Parses a `YYYY-MM-DD` argument (`--date`, `--as-of`): exactly ten
/// characters and a real calendar date.
pub fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("{text:?} is not a date: write it as YYYY-MM-DD, e.g. 2024-04-19"))
}

/// The reviewer or operator recorded in history: `$USER`, else "unknown".
pub fn current_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}
