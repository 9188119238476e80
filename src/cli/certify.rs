//! `adrec certify`: the figures and draft text of a certifying declaration.

use super::Ctx;
use crate::certify::output::{self, Format};
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One volume (default: every volume).
    #[arg(long, conflicts_with = "all")]
    pub volume: Option<String>,
    /// Every volume (the default).
    #[arg(long)]
    pub all: bool,
    /// Output file: .pdf, .md or .csv (Markdown goes to stdout without it).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let format = match &args.output {
        Some(path) => Format::of(path)?,
        None => Format::Markdown,
    };
    let root = Matter::discover(ctx.matter.as_deref())?;
    let matter = Matter::open_read(&root)?;
    let volumes = output::gather(&matter, args.volume.as_deref())?;
    let cert = crate::certify::compute(&matter.config, &volumes);
    let bytes = output::bytes(&cert, format)?;
    match &args.output {
        Some(path) => {
            crate::files::write_atomic(path, &bytes)?;
            if !ctx.json {
                eprintln!("Wrote {}", path.display());
            }
        }
        None if !ctx.json => {
            let _ = std::io::stdout().lock().write_all(&bytes);
        }
        None => {}
    }
    if ctx.json {
        crate::output::print_json(&cert)?;
    }
    for problem in &cert.problems {
        eprintln!("warning: {problem}");
    }
    Ok(Outcome::problems_if(!cert.problems.is_empty()))
}
