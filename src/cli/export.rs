use super::Ctx;
use crate::error::{Error, Outcome};
use crate::export::{IndexRow, PrivLogRow};
use crate::matter::Matter;
use crate::matter::store::RowKind;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to export.
    #[arg(value_enum)]
    pub what: What,
    /// One volume (default: every volume).
    #[arg(long, conflicts_with = "all")]
    pub volume: Option<String>,
    /// Every volume, cumulatively (the default).
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Output file (CSV goes to stdout without it).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Index,
    Privlog,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

fn parse<T: serde::de::DeserializeOwned>(rows: Vec<String>) -> Result<Vec<T>, Error> {
    rows.iter()
        .map(|r| {
            serde_json::from_str(r)
                .map_err(|e| Error::internal(format!("a stored row is unreadable: {e}")))
        })
        .collect()
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    if args.format == Format::Xlsx && args.output.is_none() {
        return Err(Error::input("--format xlsx needs -o FILE")
            .hint("e.g. adrec export index --format xlsx -o index.xlsx"));
    }
    let root = Matter::discover(ctx.matter.as_deref())?;
    let matter = Matter::open_read(&root)?;
    let volumes = matter.store.volumes()?;
    if let Some(v) = &args.volume
        && !volumes.iter().any(|x| &x.name == v)
    {
        return Err(
            Error::input(format!("there is no volume {v:?} in this matter")).hint(format!(
                "produced volumes: {}",
                volumes
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    let date = volumes
        .iter()
        .filter(|v| args.volume.as_ref().is_none_or(|n| *n == v.name))
        .filter_map(|v| v.date.parse::<jiff::civil::Date>().ok())
        .max()
        .unwrap_or_else(|| jiff::civil::date(1970, 1, 1));
    let title = match (&args.volume, args.what) {
        (Some(v), What::Index) => format!("{v} production index"),
        (Some(v), What::Privlog) => format!("{v} privilege log"),
        (None, What::Index) => "Cumulative production index".to_string(),
        (None, What::Privlog) => "Cumulative privilege log".to_string(),
    };
    let props = crate::export::xlsx::XlsxProps {
        title,
        date,
        sheet_name: if args.what == What::Index {
            "Index".into()
        } else {
            "Privilege log".into()
        },
    };
    let volume = args.volume.as_deref();
    let bytes = match (args.what, args.format) {
        (What::Index, Format::Csv) => crate::export::csv::index_csv(&parse::<IndexRow>(
            matter.store.volume_rows(volume, RowKind::Index)?,
        )?)
        .map_err(Error::internal)?,
        (What::Privlog, Format::Csv) => crate::export::csv::privlog_csv(&parse::<PrivLogRow>(
            matter.store.volume_rows(volume, RowKind::Privlog)?,
        )?)
        .map_err(Error::internal)?,
        (What::Index, Format::Xlsx) => {
            crate::export::xlsx::index_xlsx(
                &parse::<IndexRow>(matter.store.volume_rows(volume, RowKind::Index)?)?,
                &props,
            )
            .map_err(Error::internal)?
            .bytes
        }
        (What::Privlog, Format::Xlsx) => {
            crate::export::xlsx::privlog_xlsx(
                &parse::<PrivLogRow>(matter.store.volume_rows(volume, RowKind::Privlog)?)?,
                &props,
            )
            .map_err(Error::internal)?
            .bytes
        }
    };
    match &args.output {
        None => {
            let _ = std::io::stdout().lock().write_all(&bytes);
        }
        Some(path) => {
            crate::files::write_atomic(path, &bytes)?;
            if !ctx.json {
                eprintln!("Wrote {}", path.display());
            }
        }
    }
    Ok(Outcome::Success)
}
