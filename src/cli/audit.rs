//! `adrec audit DIR...`: audit a production made by any tool. Needs no matter.

use super::Ctx;
use crate::audit::{self, bates};
use crate::error::{Error, Outcome};
use crate::report::{self, Format};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Production folders: a volume (holding IMAGES/, NATIVES/, DATA/ …) or a folder of volumes.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The index: CSV, XLSX, XLS, ODS or Concordance DAT (default: found in DATA/ or at the top of the volume).
    #[arg(long, value_name = "F")]
    pub index: Option<PathBuf>,
    /// The privilege log: CSV, XLSX, XLS, ODS or DAT (default: a `*priv*` or `*_log` file in DATA/ or at the top).
    #[arg(long, value_name = "F")]
    pub privlog: Option<PathBuf>,
    /// The image cross-reference: Opticon OPT, IPRO LFP or Summation DII, told by content (default: every .opt, .lfp and .dii in DATA/ or at the top).
    #[arg(long, value_name = "F")]
    pub opt: Option<PathBuf>,
    /// The categories to expect: CSV/XLSX with `id` and `name` columns, or an adrec.toml.
    #[arg(long, value_name = "F")]
    pub categories: Option<PathBuf>,
    /// The matter's privileges, recognised beside the built-in list: CSV/XLSX with `code` and `name` columns, or an adrec.toml with `[[privilege]]` tables.
    #[arg(long, value_name = "F")]
    pub privileges: Option<PathBuf>,
    /// The volume's Bates pattern, e.g. `DHS-MPP-:6` (repeat for several prefixes); default: the one most numbers use.
    #[arg(long = "bates-pattern", value_name = "PREFIX:WIDTH")]
    pub bates_pattern: Vec<String>,
    /// A replacement (overlay) volume among those audited, by folder name: its rows replace the rows of every other volume with the same BEGBATES (repeat for several). adrec's own overlays are known from their manifest.
    #[arg(long = "overlay", value_name = "VOL")]
    pub overlay: Vec<String>,
    /// Also write the report to F: .csv, .xlsx, .json, .md or .html (by extension).
    #[arg(long, value_name = "F")]
    pub report: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let format = match &args.report {
        None => None,
        Some(path) => Some(Format::from_path(path).ok_or_else(|| {
            Error::input(format!(
                "cannot tell the report format of `{}` from its extension",
                path.display()
            ))
            .hint("name the report file .csv, .xlsx, .json, .md or .html")
        })?),
    };
    if let Some(dir) = args
        .report
        .as_deref()
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(Error::input(format!(
            "the report's folder `{}` does not exist",
            dir.display()
        ))
        .hint("create it first, or write the report elsewhere"));
    }
    let patterns = args
        .bates_pattern
        .iter()
        .map(|p| {
            bates::parse_pattern(p).map_err(|e| {
                Error::input(format!("--bates-pattern: {e}"))
                    .hint("write it as PREFIX:WIDTH, e.g. --bates-pattern DHS-MPP-:6")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let opts = audit::Options {
        dirs: args.dirs,
        index: args.index,
        privlog: args.privlog,
        opt: args.opt,
        categories: args.categories,
        privileges: args.privileges,
        patterns,
        overlays: args.overlay,
        exit_after: true,
    };
    let progress = crate::output::byte_progress("auditing");
    let report = audit::run(&opts, &progress)?;
    progress.finish_and_clear();
    if let (Some(path), Some(format)) = (&args.report, format) {
        let bytes = report::audit_bytes(&report, format).map_err(Error::internal)?;
        crate::files::write_atomic(path, &bytes)?;
    }
    if ctx.json {
        crate::output::print_json(&report)?;
    } else {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(report::text::audit(&report).as_bytes());
        if let Some(path) = &args.report {
            let _ = writeln!(out, "Report written to {}", path.display());
        }
    }
    Ok(Outcome::problems_if(!report.clean))
}
