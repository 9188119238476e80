//! A privilege log written under its profile, file by file: the log, the
//! redaction log beside it and the names legend, as CSV or XLSX. The
//! default profile (itemized, redactions on the log, no legend) is written
//! by the SPEC's own writers, byte for byte as before profiles existed.

use super::privlog_profile::{
    Gathered, LogSettings, Part, RowIter, RowSource, Streamed, gather, itemized,
};
use super::row::{PRIVLOG_COLUMNS, PrivLogRow};
use super::xlsx::{Truncation, XlsxProps};
use std::collections::BTreeSet;

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Csv,
    Xlsx,
}

pub const LOG_SHEET: &str = "Privilege log";
pub const REDACTION_SHEET: &str = "Redaction log";
pub const LEGEND_SHEET: &str = "Names legend";

/// The first error reading a log's rows back, kept whole: a log writer sees
/// only its words, and the command reports it as it was, not as a failure
/// to write the file being written when it came.
#[derive(Debug, Default)]
pub struct Unread(std::cell::RefCell<Option<crate::error::Error>>);

impl Unread {
    /// The rows as a log writer reads them, the first error kept.
    pub fn source<'a>(
        &'a self,
        rows: impl Iterator<Item = Result<PrivLogRow, crate::error::Error>> + 'a,
    ) -> RowIter<'a> {
        Box::new(rows.map(|row| {
            row.map_err(|e| {
                let words = e.to_string();
                self.0.borrow_mut().get_or_insert(e);
                words
            })
        }))
    }

    /// The error reading the rows, if there was one, else `otherwise`.
    pub fn or(&self, otherwise: crate::error::Error) -> crate::error::Error {
        self.0.borrow_mut().take().unwrap_or(otherwise)
    }
}

/// A privilege log written file by file from rows read again for each (a
/// volume's spilled rows, or an export's): the default profile by the
/// SPEC's own writers, byte for byte as before profiles existed, any other
/// by [`ProfileLog`]. An itemized log's rows are never held.
pub enum LogWriter<'a> {
    /// Itemized, redactions on the log, no legend.
    Default(&'a RowSource<'a>),
    Profile(ProfileLog<'a>),
}

impl<'a> LogWriter<'a> {
    pub fn new(
        settings: &'a LogSettings,
        rows: &'a RowSource<'a>,
    ) -> Result<LogWriter<'a>, String> {
        Ok(if settings.is_default() {
            LogWriter::Default(rows)
        } else {
            LogWriter::Profile(ProfileLog::new(settings, rows)?)
        })
    }

    /// The files of `format`, in the order they are written.
    pub fn files(&self, format: LogFormat) -> Vec<LogFile> {
        match self {
            LogWriter::Default(_) => vec![LogFile::Log],
            LogWriter::Profile(log) => log.files(format),
        }
    }

    /// Writes `file` as `format` into `out`; the XLSX values cut.
    pub fn write(
        &self,
        file: LogFile,
        format: LogFormat,
        props: &XlsxProps,
        out: impl std::io::Write + Send,
    ) -> Result<Vec<Truncation>, String> {
        let rows = match self {
            LogWriter::Profile(log) => return log.write(file, format, props, out),
            LogWriter::Default(_) if file != LogFile::Log => return Err(not_asked_for(file)),
            LogWriter::Default(rows) => rows,
        };
        match format {
            LogFormat::Csv => {
                itemized_csv_into(rows(), out)?;
                Ok(Vec::new())
            }
            LogFormat::Xlsx => super::xlsx::privlog_xlsx_into(rows(), props, out),
        }
    }
}

fn not_asked_for(file: LogFile) -> String {
    let what = file.suffix().replace('_', " ");
    format!("this privilege-log profile has no {what}")
}

/// The default log as CSV, a record as each row is read: the same bytes as
/// [`super::csv::privlog_csv`] of the rows.
fn itemized_csv_into(rows: RowIter<'_>, mut out: impl std::io::Write) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    out.write_all(&super::csv::header_bytes(&PRIVLOG_COLUMNS)?)
        .map_err(io)?;
    for row in rows {
        out.write_all(&super::csv::record_bytes(row?.values())?)
            .map_err(io)?;
    }
    out.flush().map_err(io)
}

impl LogFormat {
    pub fn extension(self) -> &'static str {
        match self {
            LogFormat::Csv => "csv",
            LogFormat::Xlsx => "xlsx",
        }
    }
}

/// One file of a privilege log under its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFile {
    Log,
    /// `redactions = "separate"`.
    RedactionLog,
    /// `names_legend = true`, as CSV (in XLSX a sheet of the log's workbook).
    Legend,
}

impl LogFile {
    /// The file's name after its volume: `VOL001_redaction_log.csv`.
    pub fn suffix(self) -> &'static str {
        match self {
            LogFile::Log => "privilege_log",
            LogFile::RedactionLog => "redaction_log",
            LogFile::Legend => "names_legend",
        }
    }
}

/// A privilege log under its profile, written file by file from rows read
/// again for each: an itemized or metadata-only log's rows are made as
/// they are written and never held. A categorical log and the names legend
/// are gathered first, in one pass: the legend grows with the people named,
/// a categorical entry with its documents' Bates ranges, LOG_IDs and
/// distinct descriptions (what its cells show), never with whole rows.
pub struct ProfileLog<'a> {
    settings: &'a LogSettings,
    rows: &'a RowSource<'a>,
    attorneys: BTreeSet<String>,
    /// A categorical log's entries and the names legend, gathered once for
    /// both formats.
    gathered: Gathered,
}

impl<'a> ProfileLog<'a> {
    pub fn new(
        settings: &'a LogSettings,
        rows: &'a RowSource<'a>,
    ) -> Result<ProfileLog<'a>, String> {
        Ok(ProfileLog {
            settings,
            rows,
            attorneys: settings.attorneys(),
            gathered: gather(rows, settings)?,
        })
    }

    /// The files of `format`, in the order they are written: the log, the
    /// redaction log when separate, and the names legend (CSV only).
    pub fn files(&self, format: LogFormat) -> Vec<LogFile> {
        let mut files = vec![LogFile::Log];
        if self.settings.separate() {
            files.push(LogFile::RedactionLog);
        }
        if format == LogFormat::Csv && self.gathered.legend.is_some() {
            files.push(LogFile::Legend);
        }
        files
    }

    /// Writes `file` as `format` into `out`; the XLSX values cut.
    pub fn write(
        &self,
        file: LogFile,
        format: LogFormat,
        props: &XlsxProps,
        out: impl std::io::Write + Send,
    ) -> Result<Vec<Truncation>, String> {
        let legend = self.gathered.legend.as_ref();
        let (sheet, table) = match (file, legend) {
            (LogFile::Log, _) => (LOG_SHEET, self.table(Part::Log)),
            (LogFile::RedactionLog, _) if self.settings.separate() => {
                (REDACTION_SHEET, self.table(Part::RedactionLog))
            }
            (LogFile::Legend, Some(legend)) => (LEGEND_SHEET, legend.streamed()),
            (LogFile::RedactionLog | LogFile::Legend, _) => return Err(not_asked_for(file)),
        };
        match format {
            LogFormat::Csv => {
                csv_into(table, out)?;
                Ok(Vec::new())
            }
            LogFormat::Xlsx => {
                let mut sheets = vec![(sheet, table)];
                // The legend is the log workbook's second sheet.
                if let (LogFile::Log, Some(legend)) = (file, legend) {
                    sheets.push((LEGEND_SHEET, legend.streamed()));
                }
                super::xlsx::tables_xlsx_into(sheets, props, out)
            }
        }
    }

    fn table(&self, part: Part) -> Streamed<'_> {
        let entries = match part {
            Part::Log => &self.gathered.log_entries,
            Part::RedactionLog => &self.gathered.redaction_entries,
        };
        match entries {
            Some(entries) => entries.streamed(),
            None => itemized(self.rows, self.settings, part, &self.attorneys),
        }
    }
}

/// A table as CSV, a row at a time: the same bytes as the table written whole.
fn csv_into(table: Streamed<'_>, mut out: impl std::io::Write) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    out.write_all(&super::csv::header_bytes(&table.header)?)
        .map_err(io)?;
    for row in table.rows {
        let (_, values) = row?;
        let record = super::csv::record_bytes(values.iter().map(|v| v.text()))?;
        out.write_all(&record).map_err(io)?;
    }
    out.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::privlog_profile::{LogProfile, Redactions, Value};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    fn row(n: u64) -> PrivLogRow {
        PrivLogRow {
            log_id: format!("PRIV-{n:06}"),
            begbates: format!("A-{n:06}"),
            endbates: format!("A-{n:06}"),
            control_id: format!("DOC-{n:06}"),
            treatment: if n.is_multiple_of(10) {
                "Redacted"
            } else {
                "Withheld in Full"
            }
            .into(),
            doc_date: Some("2020-01-02".into()),
            author: "Doe, John".into(),
            recipients: "=HYPERLINK(\"x\"); Roe, Ann".into(),
            description: format!("advice, \"quoted\"\nline {n}"),
            ..Default::default()
        }
    }

    /// Notes how many rows had been read when each write arrived.
    struct Watch<'a> {
        read: &'a AtomicUsize,
        seen: Vec<usize>,
    }

    impl std::io::Write for Watch<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.seen.push(self.read.load(Relaxed));
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn an_itemized_profile_writes_each_row_as_it_is_read() {
        let rows: Vec<PrivLogRow> = (1..=1000).map(row).collect();
        let read = AtomicUsize::new(0);
        let source = || -> RowIter<'_> {
            Box::new(rows.iter().map(|r| {
                read.fetch_add(1, Relaxed);
                Ok(r.clone())
            }))
        };
        let settings = LogSettings {
            profile: LogProfile::MetadataOnly,
            redactions: Redactions::Separate,
            names_legend: true,
            persons: vec![("Doe, John".into(), "Counsel".into(), true)],
        };
        let log = ProfileLog::new(&settings, &source).unwrap();
        for (file, rows_on_it) in [(LogFile::Log, 900), (LogFile::RedactionLog, 100)] {
            read.store(0, Relaxed);
            let mut out = Watch {
                read: &read,
                seen: Vec::new(),
            };
            log.write(file, LogFormat::Csv, &props(), &mut out).unwrap();
            // The header, then each record as soon as its row is read: never
            // every row first.
            assert_eq!(out.seen.len(), rows_on_it + 1, "{file:?}");
            assert_eq!(out.seen[0], 0, "{file:?}");
            assert!(out.seen[1] <= 10, "{file:?}: {:?}", &out.seen[..3]);
            assert_eq!(read.load(Relaxed), 1000, "{file:?}");
        }
    }

    #[test]
    fn the_default_log_written_a_row_at_a_time_is_the_log_made_whole() {
        let rows: Vec<PrivLogRow> = (1..=30).map(row).collect();
        let source = || -> RowIter<'_> { Box::new(rows.iter().cloned().map(Ok)) };
        let settings = LogSettings::default();
        assert!(settings.is_default());
        let log = LogWriter::new(&settings, &source).unwrap();
        assert_eq!(log.files(LogFormat::Csv), [LogFile::Log]);
        assert_eq!(log.files(LogFormat::Xlsx), [LogFile::Log]);
        let mut csv = Vec::new();
        log.write(LogFile::Log, LogFormat::Csv, &props(), &mut csv)
            .unwrap();
        assert_eq!(csv, crate::export::csv::privlog_csv(&rows).unwrap());
        let mut xlsx = Vec::new();
        let cuts = log
            .write(LogFile::Log, LogFormat::Xlsx, &props(), &mut xlsx)
            .unwrap();
        let whole = crate::export::xlsx::privlog_xlsx(&rows, &props()).unwrap();
        assert_eq!((xlsx, cuts), (whole.bytes, whole.truncations));
        let e = log
            .write(LogFile::RedactionLog, LogFormat::Csv, &props(), Vec::new())
            .unwrap_err();
        assert!(e.contains("no redaction log"), "{e}");
    }

    #[test]
    fn a_row_that_does_not_read_back_is_reported_in_its_own_words() {
        use crate::error::Error;
        let unread = Unread::default();
        let rows = vec![
            Ok(row(1)),
            Err(Error::internal("the rows ended early")),
            Err(Error::internal("a second problem")),
        ];
        let words: Vec<String> = unread
            .source(rows.into_iter())
            .filter_map(Result::err)
            .collect();
        assert_eq!(words, ["the rows ended early", "a second problem"]);
        let writing = || Error::internal("could not write `log.xlsx`");
        assert_eq!(unread.or(writing()).to_string(), "the rows ended early");
        assert_eq!(
            unread.or(writing()).to_string(),
            "could not write `log.xlsx`"
        );
    }

    #[test]
    fn a_table_written_a_row_at_a_time_is_the_table_written_whole() {
        let rows: Vec<PrivLogRow> = (1..=30).map(row).collect();
        let source = || -> RowIter<'_> { Box::new(rows.iter().cloned().map(Ok)) };
        let settings = LogSettings {
            names_legend: true,
            persons: vec![("Doe, John".into(), "Counsel".into(), true)],
            ..Default::default()
        };
        let attorneys = settings.attorneys();
        let table = itemized(&source, &settings, Part::Log, &attorneys);
        let header = table.header.clone();
        let made: Vec<Vec<String>> = table
            .rows
            .map(|r| r.unwrap().1.iter().map(Value::text).collect())
            .collect();
        // The attorney is marked, and the formula and the line break survive
        // to be neutralised and quoted by the one CSV writer.
        assert_eq!(made[0][7], "Doe, John*");
        let whole = crate::export::csv::table_bytes(&header, made).unwrap();
        let mut streamed = Vec::new();
        csv_into(
            itemized(&source, &settings, Part::Log, &attorneys),
            &mut streamed,
        )
        .unwrap();
        assert_eq!(streamed, whole);
        let text = String::from_utf8(streamed).unwrap();
        assert!(
            text.contains("\"'=HYPERLINK(\"\"x\"\"); Roe, Ann\""),
            "{text}"
        );
        assert!(
            text.contains("\"advice, \"\"quoted\"\"\nline 1\""),
            "{text}"
        );
    }

    #[test]
    fn a_row_that_does_not_read_stops_the_log_with_its_words() {
        let source = || -> RowIter<'_> {
            Box::new(
                [
                    Ok(row(1)),
                    Err("could not read the spilled rows".to_string()),
                ]
                .into_iter(),
            )
        };
        let settings = metadata_only();
        let log = ProfileLog::new(&settings, &source).unwrap();
        for e in log_errors(&log, Vec::new) {
            assert_eq!(e, "could not read the spilled rows");
        }
        let categorical = LogSettings {
            profile: LogProfile::Categorical,
            ..Default::default()
        };
        assert_eq!(
            ProfileLog::new(&categorical, &source).err().as_deref(),
            Some("could not read the spilled rows")
        );
    }

    #[test]
    fn a_full_disk_or_a_file_not_asked_for_is_an_error_in_words() {
        let rows = [row(1), row(10)];
        let source = || -> RowIter<'_> { Box::new(rows.iter().cloned().map(Ok)) };
        let settings = metadata_only();
        let log = ProfileLog::new(&settings, &source).unwrap();
        for e in log_errors(&log, || crate::export::FullDisk) {
            assert!(e.contains("No space left on device"), "{e}");
        }
        assert_eq!(log.files(LogFormat::Csv), [LogFile::Log]);
        for (file, words) in [
            (LogFile::RedactionLog, "no redaction log"),
            (LogFile::Legend, "no names legend"),
        ] {
            let e = log
                .write(file, LogFormat::Csv, &props(), Vec::new())
                .unwrap_err();
            assert!(e.contains(words), "{e}");
        }
    }

    fn metadata_only() -> LogSettings {
        LogSettings {
            profile: LogProfile::MetadataOnly,
            ..Default::default()
        }
    }

    /// The errors writing the log as CSV, then as XLSX, into what `out` makes.
    fn log_errors<W: std::io::Write + Send>(
        log: &ProfileLog<'_>,
        out: impl Fn() -> W,
    ) -> Vec<String> {
        [LogFormat::Csv, LogFormat::Xlsx]
            .into_iter()
            .map(|format| {
                log.write(LogFile::Log, format, &props(), out())
                    .unwrap_err()
            })
            .collect()
    }

    fn props() -> XlsxProps {
        XlsxProps {
            title: "Privilege log".into(),
            date: jiff::civil::date(2024, 4, 12),
            sheet_name: LOG_SHEET.into(),
        }
    }
}
