use super::Ctx;
use crate::error::{Error, Outcome};
use crate::export::privlog_render::LogFile;
use crate::export::stored::StoredRows;
use crate::matter::Matter;
use crate::output::Destination;
use std::path::{Path, PathBuf};

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
    let rows = StoredRows::new(&*matter.store, &volumes);
    let volume = args.volume.as_deref();
    let mut out = Destination::open(args.output.as_deref())?;
    let extra = match args.what {
        What::Index => {
            index(&rows, volume, args.format, &props, &mut out)?;
            out.finish(ctx.json)?;
            Vec::new()
        }
        What::Privlog => privlog(&rows, volume, &matter.config, args.format, &props, out, ctx)?,
    };
    if !extra.is_empty() && !ctx.json {
        eprintln!(
            "note: [privilege_log] also asks for the {}, written beside the log only with -o FILE",
            extra.join(" and ")
        );
    }
    Ok(Outcome::Success)
}

/// The production index, one volume's or cumulative (with REPLACED_BY),
/// written a row at a time as the stored rows are read.
fn index(
    rows: &StoredRows<'_>,
    volume: Option<&str>,
    format: Format,
    props: &crate::export::XlsxProps,
    out: &mut Destination,
) -> Result<(), Error> {
    use crate::export::cumulative::CUMULATIVE_INDEX_COLUMNS;
    use crate::export::row::INDEX_COLUMNS;
    use crate::export::xlsx::{IndexCells, IndexWorkbook};
    let cumulative = volume.is_none();
    match format {
        Format::Csv => {
            let header: &[&str] = if cumulative {
                &CUMULATIVE_INDEX_COLUMNS
            } else {
                &INDEX_COLUMNS
            };
            out.put(&crate::export::csv::header_bytes(header).map_err(Error::internal)?)?;
            rows.index(volume, |row, by| {
                let values = row.values().into_iter();
                let record = if cumulative {
                    crate::export::csv::record_bytes(values.chain([by]))
                } else {
                    crate::export::csv::record_bytes(values)
                };
                out.put(&record.map_err(Error::internal)?)
            })?;
        }
        Format::Xlsx => {
            let book = if cumulative {
                IndexWorkbook::cumulative(props)
            } else {
                IndexWorkbook::new(props)
            };
            let mut book = book.map_err(Error::internal)?;
            rows.index(volume, |row, by| {
                let cells = if cumulative {
                    IndexCells::replaced(&row, &by)
                } else {
                    IndexCells::of(&row)
                };
                book.push(cells).map_err(|e| out.failed(e))
            })?;
            book.finish_into(&mut *out).map_err(|e| out.failed(e))?;
        }
    }
    Ok(())
}

/// The privilege log under `[privilege_log]`, one volume's or cumulative
/// (in LOG_ID order), into `out`, and with `-o FILE` the files its profile
/// puts beside it. Without `-o`, what would have gone beside it.
fn privlog(
    stored: &StoredRows<'_>,
    volume: Option<&str>,
    config: &crate::matter::Config,
    format: Format,
    props: &crate::export::XlsxProps,
    mut out: Destination,
    ctx: &Ctx,
) -> Result<Vec<String>, Error> {
    use crate::export::privlog_profile::LogSettings;
    use crate::export::privlog_render::{LogFormat, LogWriter, Unread};
    let settings = LogSettings::from_config(config);
    let format = match format {
        Format::Csv => LogFormat::Csv,
        Format::Xlsx => LogFormat::Xlsx,
    };
    let rows = stored.privlog(volume, &out.spill_folder())?;
    // A row that does not read back is reported in its own words.
    let unread = Unread::default();
    let source = || unread.source(rows.rows());
    let log = LogWriter::new(&settings, &source).map_err(|e| unread.or(Error::internal(e)))?;
    let files = log.files(format);
    let beside_log = |file: &LogFile| file.suffix().replace('_', " ");
    let Some(path) = out.path().map(Path::to_path_buf) else {
        log.write(LogFile::Log, format, props, &mut out)
            .map_err(|e| unread.or(out.failed(e)))?;
        out.finish(ctx.json)?;
        return Ok(files[1..].iter().map(beside_log).collect());
    };
    // The log first, into `out`; then each file beside it. None is named
    // until all are written: a log never stands without its companions.
    let mut log_out = Some(out);
    let mut written = Vec::new();
    for file in files {
        let mut out = match log_out.take() {
            Some(out) => out,
            None => Destination::open(Some(&beside(&path, &beside_log(&file))))?,
        };
        log.write(file, format, props, &mut out)
            .map_err(|e| unread.or(out.failed(e)))?;
        written.push(out);
    }
    for out in written {
        out.finish(ctx.json)?;
    }
    Ok(Vec::new())
}

/// `log.csv` + `redaction log` → `log_redaction_log.csv`.
fn beside(path: &Path, what: &str) -> PathBuf {
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
