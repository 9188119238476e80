//! A privilege log written under its profile: the bytes of the log, of the
//! redaction log beside it and of the names legend, as CSV or XLSX. The
//! default profile (itemized, redactions on the log, no legend) is written
//! by the SPEC's own writers, byte for byte as before profiles existed.

use super::privlog_profile::{LogSettings, LogTables, Table, build};
use super::row::PrivLogRow;
use super::xlsx::{Truncation, XlsxProps};

/// Files by name (or by what they are) with their bytes.
pub type NamedFiles = Vec<(String, Vec<u8>)>;

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Csv,
    Xlsx,
}

/// The files of one privilege log.
#[derive(Debug, Clone, Default)]
pub struct RenderedLog {
    pub log: Vec<u8>,
    /// `redactions = "separate"`: the redaction log, same format.
    pub redaction_log: Option<Vec<u8>>,
    /// `names_legend = true`: the legend as CSV (in XLSX it is also a sheet
    /// of the log's workbook).
    pub legend_csv: Option<Vec<u8>>,
    /// XLSX values cut to fit a cell.
    pub truncations: Vec<Truncation>,
}

pub const LOG_SHEET: &str = "Privilege log";
pub const REDACTION_SHEET: &str = "Redaction log";
pub const LEGEND_SHEET: &str = "Names legend";

/// Writes `rows` as the profile in `settings` asks.
pub fn render(
    rows: &[PrivLogRow],
    settings: &LogSettings,
    format: LogFormat,
    props: &XlsxProps,
) -> Result<RenderedLog, String> {
    if settings.is_default() {
        return Ok(match format {
            LogFormat::Csv => RenderedLog {
                log: super::csv::privlog_csv(rows)?,
                ..Default::default()
            },
            LogFormat::Xlsx => {
                let out = super::xlsx::privlog_xlsx(rows, props)?;
                RenderedLog {
                    log: out.bytes,
                    truncations: out.truncations,
                    ..Default::default()
                }
            }
        });
    }
    let LogTables {
        log,
        redaction_log,
        legend,
    } = build(rows, settings);
    let legend_csv = legend.as_ref().map(csv).transpose()?;
    match format {
        LogFormat::Csv => Ok(RenderedLog {
            log: csv(&log)?,
            redaction_log: redaction_log.as_ref().map(csv).transpose()?,
            legend_csv,
            truncations: Vec::new(),
        }),
        LogFormat::Xlsx => {
            let mut sheets = vec![(LOG_SHEET, &log)];
            if let Some(legend) = &legend {
                sheets.push((LEGEND_SHEET, legend));
            }
            let main = super::xlsx::tables_xlsx(&sheets, props)?;
            let mut truncations = main.truncations;
            let redaction_log = match &redaction_log {
                Some(table) => {
                    let out = super::xlsx::tables_xlsx(&[(REDACTION_SHEET, table)], props)?;
                    truncations.extend(out.truncations);
                    Some(out.bytes)
                }
                None => None,
            };
            Ok(RenderedLog {
                log: main.bytes,
                redaction_log,
                legend_csv,
                truncations,
            })
        }
    }
}

fn csv(table: &Table) -> Result<Vec<u8>, String> {
    super::csv::table_bytes(
        &table.header,
        table
            .rows
            .iter()
            .map(|(_, values)| values.iter().map(|v| v.text()).collect::<Vec<_>>()),
    )
}
