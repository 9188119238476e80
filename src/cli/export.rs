use super::Ctx;
use crate::error::{Error, Outcome};
use crate::export::cumulative;
use crate::export::row::thawed;
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
    let overlays: Vec<String> = volumes
        .iter()
        .filter(|v| v.overlay_of.is_some())
        .map(|v| v.name.clone())
        .collect();
    let (bytes, extra) = match (args.what, args.format) {
        // Cumulative: replacements in place of what was clawed back.
        (What::Index, format) if volume.is_none() => {
            let rows = cumulative::index(
                thawed::<IndexRow>(matter.store.volume_rows(None, RowKind::Index)?)?,
                &overlays,
            );
            let bytes = match format {
                Format::Csv => crate::export::csv::cumulative_index_csv(&rows),
                Format::Xlsx => {
                    crate::export::xlsx::cumulative_index_xlsx(&rows, &props).map(|x| x.bytes)
                }
            };
            (bytes.map_err(Error::internal)?, Vec::new())
        }
        (What::Privlog, format) if volume.is_none() => {
            let rows = cumulative::privlog(
                thawed::<PrivLogRow>(matter.store.volume_rows(None, RowKind::Privlog)?)?,
                &overlays,
            );
            privlog(&rows, &matter.config, format, &props)?
        }
        (What::Index, Format::Csv) => (
            crate::export::csv::index_csv(&thawed::<IndexRow>(
                matter.store.volume_rows(volume, RowKind::Index)?,
            )?)
            .map_err(Error::internal)?,
            Vec::new(),
        ),
        (What::Index, Format::Xlsx) => (
            crate::export::xlsx::index_xlsx(
                &thawed::<IndexRow>(matter.store.volume_rows(volume, RowKind::Index)?)?,
                &props,
            )
            .map_err(Error::internal)?
            .bytes,
            Vec::new(),
        ),
        (What::Privlog, format) => {
            let rows = thawed::<PrivLogRow>(matter.store.volume_rows(volume, RowKind::Privlog)?)?;
            privlog(&rows, &matter.config, format, &props)?
        }
    };
    match &args.output {
        None => {
            let _ = std::io::stdout().lock().write_all(&bytes);
            if !extra.is_empty() && !ctx.json {
                let names: Vec<&str> = extra.iter().map(|(suffix, _)| suffix.as_str()).collect();
                eprintln!(
                    "note: [privilege_log] also asks for the {}, written beside the log only with -o FILE",
                    names.join(" and ")
                );
            }
        }
        Some(path) => {
            crate::files::write_atomic(path, &bytes)?;
            if !ctx.json {
                eprintln!("Wrote {}", path.display());
            }
            for (suffix, extra_bytes) in &extra {
                let beside = beside(path, suffix);
                crate::files::write_atomic(&beside, extra_bytes)?;
                if !ctx.json {
                    eprintln!("Wrote {}", beside.display());
                }
            }
        }
    }
    Ok(Outcome::Success)
}

/// The privilege log under `[privilege_log]`, and the files written beside
/// it: (what it is, e.g. `redaction log`, bytes).
fn privlog(
    rows: &[PrivLogRow],
    config: &crate::matter::Config,
    format: Format,
    props: &crate::export::XlsxProps,
) -> Result<(Vec<u8>, crate::export::privlog_render::NamedFiles), Error> {
    use crate::export::privlog_render::{LogFormat, render};
    let settings = crate::export::privlog_profile::LogSettings::from_config(config);
    let format = match format {
        Format::Csv => LogFormat::Csv,
        Format::Xlsx => LogFormat::Xlsx,
    };
    let out = render(rows, &settings, format, props).map_err(Error::internal)?;
    let mut extra = Vec::new();
    if let Some(bytes) = out.redaction_log {
        extra.push(("redaction log".to_string(), bytes));
    }
    // Only beside a CSV log: in XLSX the legend is a sheet of the log.
    if let Some(bytes) = out.legend_csv {
        extra.push(("names legend".to_string(), bytes));
    }
    Ok((out.log, extra))
}

/// `log.csv` + `redaction log` → `log_redaction_log.csv`.
fn beside(path: &std::path::Path, what: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!("{stem}_{}{ext}", what.replace(' ', "_")))
}
