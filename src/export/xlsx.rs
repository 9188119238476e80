//! XLSX for the production index and the privilege log: one sheet, a bold
//! header row frozen in place, an autofilter over the data, capped column
//! widths.
//!
//! Every cell is a string cell unless it is PGCOUNT (a number) or DOC_DATE
//! (a date with a `yyyy-mm-dd` format); nothing is ever written as a formula
//! and nothing is added to a value, so Bates numbers, hashes and text such as
//! `=HYPERLINK(…)` stay inert text. A value longer than Excel's cell limit
//! (32,767 UTF-16 code units, which is how Excel counts characters) is cut
//! to 32,000 and followed by [`TRUNCATION_NOTE`]; every cut is reported.
//!
//! Output is reproducible: the creation and modification times are
//! [`XlsxProps::date`] at 00:00:00Z, no author, company, host or user name is
//! written, and rust_xlsxwriter stamps every zip entry with the fixed
//! 1980-01-01 zip epoch. Writing the same rows twice gives the same bytes.

use jiff::civil::Date;
use rust_xlsxwriter::{DocProperties, Format, Workbook, XlsxError};

use super::parse_ymd;
use super::row::{INDEX_COLUMNS, IndexRow, PRIVLOG_COLUMNS, PrivLogRow};

/// Excel's per-cell limit, in UTF-16 code units.
pub const CELL_LIMIT: usize = 32_767;
/// Length a value over [`CELL_LIMIT`] is cut to, before the note.
pub const TRUNCATED_LEN: usize = 32_000;
/// Appended to a cut value.
pub const TRUNCATION_NOTE: &str = "…[truncated; full value in the CSV]";

/// Workbook-level settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxProps {
    /// Document title property.
    pub title: String,
    /// Creation (and modification) date, written as this date at 00:00:00Z.
    pub date: Date,
    /// Name of the single worksheet.
    pub sheet_name: String,
}

/// The XLSX file's bytes and every value that had to be cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxOutput {
    pub bytes: Vec<u8>,
    pub truncations: Vec<Truncation>,
}

/// A value cut to fit an Excel cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    pub control_id: String,
    pub column: String,
}

/// The production index as XLSX. DOC_DATE is a date cell, blank when undated.
pub fn index_xlsx(rows: &[IndexRow], props: &XlsxProps) -> Result<XlsxOutput, String> {
    index_sheet(&INDEX_COLUMNS, rows.iter().map(|r| (r, None)), props)
}

/// The cumulative index: the index columns, then REPLACED_BY.
pub fn cumulative_index_xlsx(
    rows: &[(IndexRow, String)],
    props: &XlsxProps,
) -> Result<XlsxOutput, String> {
    let header = super::cumulative::index_header();
    index_sheet(
        &header,
        rows.iter().map(|(r, by)| (r, Some(by.as_str()))),
        props,
    )
}

fn index_sheet<'a>(
    header: &[&str],
    rows: impl Iterator<Item = (&'a IndexRow, Option<&'a str>)>,
    props: &XlsxProps,
) -> Result<XlsxOutput, String> {
    let cells = rows.map(|(row, extra)| {
        let mut cells: Vec<Cell> = row.values().into_iter().map(Cell::Text).collect();
        cells.extend(extra.map(|e| Cell::Text(e.to_string())));
        cells[INDEX_PGCOUNT] = match row.pgcount {
            Some(n) => Cell::Number(n),
            None => Cell::Blank,
        };
        cells[INDEX_DOC_DATE] = match row.doc_date.as_deref() {
            Some(d) => date_cell(d, &row.control_id)?,
            None => Cell::Blank,
        };
        Ok((row.control_id.as_str(), cells))
    });
    write_sheet(header, cells, props)
}

/// The privilege log as XLSX. DOC_DATE is a date cell, the string `Undated`
/// when undated.
pub fn privlog_xlsx(rows: &[PrivLogRow], props: &XlsxProps) -> Result<XlsxOutput, String> {
    let cells = rows.iter().map(|row| {
        let mut cells: Vec<Cell> = row.values().into_iter().map(Cell::Text).collect();
        if let Some(d) = row.doc_date.as_deref() {
            cells[PRIVLOG_DOC_DATE] = date_cell(d, &row.control_id)?;
        }
        Ok((row.control_id.as_str(), cells))
    });
    write_sheet(&PRIVLOG_COLUMNS, cells, props)
}

const INDEX_PGCOUNT: usize = 2;
const INDEX_DOC_DATE: usize = 8;
const PRIVLOG_DOC_DATE: usize = 5;

/// Widths in Excel character units: never narrower than the header plus its
/// filter button, never wider than the cap.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 50;
/// Hash columns are allowed to show a whole SHA-256.
const MAX_HASH_WIDTH: usize = 66;
const DATE_WIDTH: usize = 12;

enum Cell {
    Text(String),
    Number(u64),
    Date(Date),
    Blank,
}

/// A frozen DOC_DATE as a date cell. Excel cannot show a date before
/// 1900-01-01, so such a date stays a `YYYY-MM-DD` string cell.
fn date_cell(value: &str, control_id: &str) -> Result<Cell, String> {
    let date = parse_ymd(value)
        .ok_or_else(|| format!("{control_id}: DOC_DATE `{value}` is not a YYYY-MM-DD date"))?;
    if date < jiff::civil::date(1900, 1, 1) {
        Ok(Cell::Text(value.to_string()))
    } else {
        Ok(Cell::Date(date))
    }
}

/// Character count as Excel measures it.
fn excel_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Cuts `value` to fit a cell if needed; `true` when it was cut.
fn fit(value: &str) -> (std::borrow::Cow<'_, str>, bool) {
    if excel_len(value) <= CELL_LIMIT {
        return (value.into(), false);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in value.char_indices() {
        if units + c.len_utf16() > TRUNCATED_LEN {
            break;
        }
        units += c.len_utf16();
        end = i + c.len_utf8();
    }
    (format!("{}{TRUNCATION_NOTE}", &value[..end]).into(), true)
}

type RowCells<'a> = Result<(&'a str, Vec<Cell>), String>;

fn write_sheet<'a>(
    header: &[&str],
    rows: impl Iterator<Item = RowCells<'a>>,
    props: &XlsxProps,
) -> Result<XlsxOutput, String> {
    let rows: Vec<(&str, Vec<Cell>)> = rows.collect::<Result<_, _>>()?;
    let sheet = Sheet {
        name: &props.sheet_name,
        header,
        rows: &rows,
    };
    write_workbook(&[sheet], props).map_err(|e| format!("writing XLSX: {e}"))
}

/// Tables (a privilege log under a profile, a names legend) as the sheets
/// of one workbook, in the order given, with the same cell rules: dates as
/// date cells (`Undated` as text), counts as numbers, everything else text.
pub fn tables_xlsx(
    tables: &[(&str, &super::privlog_profile::Table)],
    props: &XlsxProps,
) -> Result<XlsxOutput, String> {
    use super::privlog_profile::Value;
    let mut converted = Vec::new();
    for (name, table) in tables {
        let rows = table
            .rows
            .iter()
            .map(|(key, values)| {
                let cells = values
                    .iter()
                    .map(|v| match v {
                        Value::Text(s) => Ok(Cell::Text(s.clone())),
                        Value::Date(Some(d)) => date_cell(d, key),
                        Value::Date(None) => Ok(Cell::Text("Undated".into())),
                        Value::Count(n) => Ok(Cell::Number(*n)),
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok((key.as_str(), cells))
            })
            .collect::<Result<Vec<_>, String>>()?;
        converted.push((*name, table.header.clone(), rows));
    }
    let sheets: Vec<Sheet<'_>> = converted
        .iter()
        .map(|(name, header, rows)| Sheet { name, header, rows })
        .collect();
    write_workbook(&sheets, props).map_err(|e| format!("writing XLSX: {e}"))
}

/// One worksheet: its name, header and rows (each with the key a cut is
/// reported under).
struct Sheet<'a> {
    name: &'a str,
    header: &'a [&'a str],
    rows: &'a [(&'a str, Vec<Cell>)],
}

fn write_workbook(sheets: &[Sheet<'_>], props: &XlsxProps) -> Result<XlsxOutput, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(props.title.as_str())
            .set_creation_datetime(&props.date),
    );
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let mut truncations = Vec::new();

    for Sheet { name, header, rows } in sheets {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(*name)?;

        for (col, width) in column_widths(header, rows).into_iter().enumerate() {
            sheet.set_column_width(col_num(col)?, width as f64)?;
        }
        let last_col = col_num(header.len().saturating_sub(1))?;
        let last_row = row_num(rows.len())?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, last_row, last_col)?;

        for (col, name) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col_num(col)?, *name, &bold)?;
        }
        for (i, (control_id, cells)) in rows.iter().enumerate() {
            let r = row_num(i + 1)?;
            for (col, cell) in cells.iter().enumerate() {
                let c = col_num(col)?;
                match cell {
                    Cell::Text(value) => {
                        let (value, cut) = fit(value);
                        if cut {
                            truncations.push(Truncation {
                                control_id: (*control_id).to_string(),
                                column: header.get(col).copied().unwrap_or_default().to_string(),
                            });
                        }
                        sheet.write_string(r, c, value.as_ref())?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                    }
                    Cell::Date(d) => {
                        sheet.write_datetime_with_format(r, c, d, &date_format)?;
                    }
                    Cell::Blank => {}
                }
            }
        }
    }

    let bytes = workbook.save_to_buffer()?;
    Ok(XlsxOutput { bytes, truncations })
}

fn column_widths(header: &[&str], rows: &[(&str, Vec<Cell>)]) -> Vec<usize> {
    header
        .iter()
        .enumerate()
        .map(|(col, name)| {
            let cap = if name.ends_with("SHA256") || name.ends_with("MD5") {
                MAX_HASH_WIDTH
            } else {
                MAX_WIDTH
            };
            let content = rows
                .iter()
                .filter_map(|(_, cells)| match cells.get(col)? {
                    Cell::Text(s) => Some(s.chars().count().min(cap)),
                    Cell::Number(n) => Some(n.to_string().len()),
                    Cell::Date(_) => Some(DATE_WIDTH),
                    Cell::Blank => None,
                })
                .max()
                .unwrap_or(0);
            // +3 leaves room for the autofilter button beside the header.
            (name.len() + 3).max(content + 1).clamp(MIN_WIDTH, cap)
        })
        .collect()
}

fn col_num(i: usize) -> Result<u16, XlsxError> {
    u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

fn row_num(i: usize) -> Result<u32, XlsxError> {
    u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_leaves_the_limit_alone_and_cuts_beyond_it() {
        let at_limit = "a".repeat(CELL_LIMIT);
        assert!(!fit(&at_limit).1);
        let over = "a".repeat(CELL_LIMIT + 1);
        let (cut, was_cut) = fit(&over);
        assert!(was_cut);
        assert_eq!(
            cut,
            format!("{}{TRUNCATION_NOTE}", "a".repeat(TRUNCATED_LEN))
        );
    }

    #[test]
    fn fit_counts_utf16_and_never_splits_a_character() {
        // 20,000 emoji are 40,000 UTF-16 units: over Excel's limit.
        let over = "😀".repeat(20_000);
        let (cut, was_cut) = fit(&over);
        assert!(was_cut);
        let kept = cut.strip_suffix(TRUNCATION_NOTE).unwrap();
        assert_eq!(kept, "😀".repeat(TRUNCATED_LEN / 2));
        assert!(excel_len(&cut) <= CELL_LIMIT);
    }

    #[test]
    fn bad_doc_date_is_an_error_naming_the_row() {
        let row = IndexRow {
            control_id: "DOC-000007".into(),
            doc_date: Some("14 March 2024".into()),
            ..Default::default()
        };
        let props = XlsxProps {
            title: "t".into(),
            date: jiff::civil::date(2024, 1, 2),
            sheet_name: "Index".into(),
        };
        let err = index_xlsx(&[row], &props).unwrap_err();
        assert!(
            err.contains("DOC-000007") && err.contains("14 March 2024"),
            "{err}"
        );
    }
}
