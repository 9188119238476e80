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

fn index_sheet<'a>(
    header: &'a [&'a str],
    rows: impl Iterator<Item = (&'a IndexRow, Option<&'a str>)> + 'a,
    props: &'a XlsxProps,
) -> Result<XlsxOutput, String> {
    let cells = rows.map(|(row, extra)| index_cells(row, extra));
    write_sheet(header, cells, props)
}

fn index_cells(row: &IndexRow, extra: Option<&str>) -> RowCells {
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
    Ok((row.control_id.clone(), cells))
}

/// The privilege log as XLSX. DOC_DATE is a date cell, the string `Undated`
/// when undated.
pub fn privlog_xlsx(rows: &[PrivLogRow], props: &XlsxProps) -> Result<XlsxOutput, String> {
    write_sheet(&PRIVLOG_COLUMNS, rows.iter().map(privlog_cells), props)
}

/// The privilege log as XLSX (the same bytes as [`privlog_xlsx`]), its rows
/// read one at a time and the workbook saved into `out` as it is zipped: a
/// volume's log is never held whole. An error writing `out` keeps its words.
pub fn privlog_xlsx_into(
    rows: impl Iterator<Item = Result<PrivLogRow, String>>,
    props: &XlsxProps,
    out: impl std::io::Write + Send,
) -> Result<Vec<Truncation>, String> {
    let sheet = Sheet {
        name: &props.sheet_name,
        header: &PRIVLOG_COLUMNS,
        rows: Box::new(rows.map(|row| privlog_cells(&row?))),
    };
    filled(vec![sheet], props)?
        .save_into(out)
        .map_err(xlsx_error)
}

/// A privilege-log row's cells: DOC_DATE a date cell, `Undated` as text.
fn privlog_cells(row: &PrivLogRow) -> RowCells {
    let mut cells: Vec<Cell> = row.values().into_iter().map(Cell::Text).collect();
    if let Some(d) = row.doc_date.as_deref() {
        cells[PRIVLOG_DOC_DATE] = date_cell(d, &row.control_id)?;
    }
    Ok((row.control_id.clone(), cells))
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

/// The rows one sheet holds under its header: Excel's 1,048,576 less one.
/// Every table is one sheet (the SPEC), so a longer one cannot be XLSX.
pub const SHEET_ROWS: usize = 1_048_575;

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

/// A row's cells and the key a cut is reported under.
type RowCells = Result<(String, Vec<Cell>), String>;

fn write_sheet<'a>(
    header: &'a [&'a str],
    rows: impl Iterator<Item = RowCells> + 'a,
    props: &'a XlsxProps,
) -> Result<XlsxOutput, String> {
    let sheet = Sheet {
        name: &props.sheet_name,
        header,
        rows: Box::new(rows),
    };
    write_workbook(vec![sheet], props)
}

/// Tables (a privilege log under a profile, a names legend) as the sheets
/// of one workbook, in the order given, with the same cell rules: dates as
/// date cells (`Undated` as text), counts as numbers, everything else text.
/// Each sheet's rows are written as they are made, and the workbook saved
/// into `out` as it is zipped; the values cut.
pub fn tables_xlsx_into(
    tables: Vec<(&str, super::privlog_profile::Streamed<'_>)>,
    props: &XlsxProps,
    out: impl std::io::Write + Send,
) -> Result<Vec<Truncation>, String> {
    use super::privlog_profile::Value;
    // A sheet borrows its header: the headers are kept apart from the rows.
    let (tables, headers): (Vec<_>, Vec<_>) = tables
        .into_iter()
        .map(|(name, table)| ((name, table.rows), table.header))
        .unzip();
    let sheets: Vec<Sheet<'_>> = tables
        .into_iter()
        .zip(&headers)
        .map(|((name, rows), header)| {
            let rows = rows.map(|row| {
                let (key, values) = row?;
                let cells = values
                    .into_iter()
                    .map(|v| match v {
                        Value::Text(s) => Ok(Cell::Text(s)),
                        Value::Date(Some(d)) => date_cell(&d, &key),
                        Value::Date(None) => Ok(Cell::Text("Undated".into())),
                        Value::Count(n) => Ok(Cell::Number(n)),
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok((key, cells))
            });
            Sheet {
                name,
                header,
                rows: Box::new(rows),
            }
        })
        .collect();
    filled(sheets, props)?.save_into(out).map_err(xlsx_error)
}

/// One worksheet: its name, header and rows (each with the key a cut is
/// reported under). The rows are made as they are written and sized on the
/// way, so a sheet of 100,000 rows is never held as cells.
struct Sheet<'a> {
    name: &'a str,
    header: &'a [&'a str],
    rows: Box<dyn Iterator<Item = RowCells> + 'a>,
}

fn xlsx_error(e: XlsxError) -> String {
    format!("writing XLSX: {e}")
}

fn write_workbook(sheets: Vec<Sheet<'_>>, props: &XlsxProps) -> Result<XlsxOutput, String> {
    filled(sheets, props)?.save()
}

/// A workbook of `sheets`, their rows written, not yet saved.
fn filled(sheets: Vec<Sheet<'_>>, props: &XlsxProps) -> Result<Book, String> {
    let mut book = Book::new(props);
    for Sheet { name, header, rows } in sheets {
        let mut sheet = book.begin_sheet(name, header)?;
        for row in rows {
            book.write_row(&mut sheet, row?)?;
        }
        book.end_sheet(sheet)?;
    }
    Ok(book)
}

/// A workbook being written: its formats and the cuts made so far.
struct Book {
    workbook: Workbook,
    bold: Format,
    date_format: Format,
    truncations: Vec<Truncation>,
}

/// A constant-memory worksheet being written a row at a time: its columns
/// are sized as the rows go by; its widths, panes and filter are written
/// when the workbook is saved, so they are set after the rows.
struct SheetState<'h> {
    index: usize,
    header: &'h [&'h str],
    widths: Widths<'h>,
    rows: usize,
}

impl Book {
    fn new(props: &XlsxProps) -> Book {
        let mut workbook = Workbook::new();
        // Excel's own level: about 30 % faster to save than the zip default (6)
        // for about 5 % more bytes (rust_xlsxwriter's measurements).
        workbook.set_zip_compression_level(3);
        workbook.set_properties(
            &DocProperties::new()
                .set_title(props.title.as_str())
                .set_creation_datetime(&props.date),
        );
        Book {
            workbook,
            bold: Format::new().set_bold(),
            date_format: Format::new().set_num_format("yyyy-mm-dd"),
            truncations: Vec::new(),
        }
    }

    /// A new sheet with its bold header row.
    fn begin_sheet<'h>(
        &mut self,
        name: &str,
        header: &'h [&'h str],
    ) -> Result<SheetState<'h>, String> {
        let index = self.workbook.worksheets().len();
        let sheet = self
            .workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name(name).map_err(xlsx_error)?;
        for (col, name) in header.iter().enumerate() {
            sheet
                .write_string_with_format(0, col_num(col).map_err(xlsx_error)?, *name, &self.bold)
                .map_err(xlsx_error)?;
        }
        Ok(SheetState {
            index,
            header,
            widths: Widths::new(header),
            rows: 0,
        })
    }

    /// The next row of `state`'s sheet.
    fn write_row(
        &mut self,
        state: &mut SheetState<'_>,
        (control_id, cells): (String, Vec<Cell>),
    ) -> Result<(), String> {
        if state.rows == SHEET_ROWS {
            return Err(format!(
                "more than {SHEET_ROWS} rows, the most one XLSX sheet holds under its header: write it as CSV (--format csv), or a volume at a time (--volume)"
            ));
        }
        state.widths.add(&cells);
        state.rows += 1;
        let r = row_num(state.rows).map_err(xlsx_error)?;
        let sheet = self
            .workbook
            .worksheet_from_index(state.index)
            .map_err(xlsx_error)?;
        for (col, cell) in cells.iter().enumerate() {
            let c = col_num(col).map_err(xlsx_error)?;
            match cell {
                Cell::Text(value) => {
                    let (value, cut) = fit(value);
                    if cut {
                        self.truncations.push(Truncation {
                            control_id: control_id.to_string(),
                            column: state
                                .header
                                .get(col)
                                .copied()
                                .unwrap_or_default()
                                .to_string(),
                        });
                    }
                    sheet
                        .write_string(r, c, value.as_ref())
                        .map_err(xlsx_error)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n as f64).map_err(xlsx_error)?;
                }
                Cell::Date(d) => {
                    sheet
                        .write_datetime_with_format(r, c, d, &self.date_format)
                        .map_err(xlsx_error)?;
                }
                Cell::Blank => {}
            }
        }
        Ok(())
    }

    /// The sheet's column widths, frozen header and filter over its rows.
    fn end_sheet(&mut self, state: SheetState<'_>) -> Result<(), String> {
        let sheet = self
            .workbook
            .worksheet_from_index(state.index)
            .map_err(xlsx_error)?;
        for (col, width) in state.widths.finish().into_iter().enumerate() {
            sheet
                .set_column_width(col_num(col).map_err(xlsx_error)?, width as f64)
                .map_err(xlsx_error)?;
        }
        let last_col = col_num(state.header.len().saturating_sub(1)).map_err(xlsx_error)?;
        let last_row = row_num(state.rows).map_err(xlsx_error)?;
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        sheet
            .autofilter(0, 0, last_row, last_col)
            .map_err(xlsx_error)?;
        Ok(())
    }

    fn save(mut self) -> Result<XlsxOutput, String> {
        let bytes = self.workbook.save_to_buffer().map_err(xlsx_error)?;
        Ok(XlsxOutput {
            bytes,
            truncations: self.truncations,
        })
    }

    /// Saves the workbook into `out` as it is zipped (the same bytes as
    /// [`Book::save`]); the values cut.
    fn save_into(mut self, out: impl std::io::Write + Send) -> Result<Vec<Truncation>, XlsxError> {
        self.workbook.save_to_writer(out)?;
        Ok(self.truncations)
    }
}

/// A row of the production index as the cells of its XLSX row, made where
/// the row is (a volume's writers make them in parallel).
pub struct IndexCells(RowCells);

impl IndexCells {
    pub fn of(row: &IndexRow) -> IndexCells {
        IndexCells(index_cells(row, None))
    }

    /// A row of the cumulative index: its cells, then REPLACED_BY.
    pub fn replaced(row: &IndexRow, by: &str) -> IndexCells {
        IndexCells(index_cells(row, Some(by)))
    }
}

/// The production index as XLSX, written a row at a time as a volume's
/// documents are appended in Bates order (constant memory: the rows go to
/// a temporary file until the workbook is saved).
pub struct IndexWorkbook {
    book: Book,
    sheet: SheetState<'static>,
}

impl IndexWorkbook {
    pub fn new(props: &XlsxProps) -> Result<IndexWorkbook, String> {
        IndexWorkbook::with_header(props, &INDEX_COLUMNS)
    }

    /// The cumulative index: its rows are [`IndexCells::replaced`].
    pub fn cumulative(props: &XlsxProps) -> Result<IndexWorkbook, String> {
        IndexWorkbook::with_header(props, &super::cumulative::CUMULATIVE_INDEX_COLUMNS)
    }

    fn with_header(
        props: &XlsxProps,
        header: &'static [&'static str],
    ) -> Result<IndexWorkbook, String> {
        let mut book = Book::new(props);
        let sheet = book.begin_sheet(&props.sheet_name, header)?;
        Ok(IndexWorkbook { book, sheet })
    }

    pub fn push(&mut self, cells: IndexCells) -> Result<(), String> {
        self.book.write_row(&mut self.sheet, cells.0?)
    }

    /// Saves the workbook into `out` as it is zipped, so a volume's index is
    /// never held whole in memory (about 2.4 MB every 20,000 rows); the values cut.
    /// An error writing `out` (a full disk) keeps its words.
    pub fn finish_into(
        mut self,
        out: impl std::io::Write + Send,
    ) -> Result<Vec<Truncation>, String> {
        self.book.end_sheet(self.sheet)?;
        self.book.save_into(out).map_err(xlsx_error)
    }
}

/// Column widths in Excel character units, from each row's cells as they
/// go by: never narrower than the header plus its filter button, never
/// wider than the cap.
struct Widths<'a> {
    header: &'a [&'a str],
    content: Vec<usize>,
}

impl<'a> Widths<'a> {
    fn new(header: &'a [&'a str]) -> Widths<'a> {
        Widths {
            header,
            content: vec![0; header.len()],
        }
    }

    fn cap(name: &str) -> usize {
        if name.ends_with("SHA256") || name.ends_with("MD5") {
            MAX_HASH_WIDTH
        } else {
            MAX_WIDTH
        }
    }

    fn add(&mut self, cells: &[Cell]) {
        for ((name, widest), cell) in self.header.iter().zip(&mut self.content).zip(cells) {
            let width = match cell {
                Cell::Text(s) => s.chars().count().min(Self::cap(name)),
                Cell::Number(n) => n.to_string().len(),
                Cell::Date(_) => DATE_WIDTH,
                Cell::Blank => continue,
            };
            *widest = (*widest).max(width);
        }
    }

    fn finish(self) -> Vec<usize> {
        self.header
            .iter()
            .zip(self.content)
            // +3 leaves room for the autofilter button beside the header.
            .map(|(name, content)| {
                (name.len() + 3)
                    .max(content + 1)
                    .clamp(MIN_WIDTH, Self::cap(name))
            })
            .collect()
    }
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
    fn a_sheet_takes_rows_to_excels_last_and_refuses_the_next_in_words() {
        let mut book = Book::new(&index_props());
        let header: &[&str] = &["CONTROL_ID"];
        let mut sheet = book.begin_sheet("Index", header).unwrap();
        // As if all but one of the rows a sheet holds were written.
        sheet.rows = SHEET_ROWS - 1;
        let row = || ("DOC-000001".to_string(), vec![Cell::Text("x".into())]);
        book.write_row(&mut sheet, row()).unwrap();
        let err = book.write_row(&mut sheet, row()).unwrap_err();
        assert!(
            err.contains("more than 1048575 rows") && err.contains("--format csv"),
            "{err}"
        );
        assert_eq!(sheet.rows, SHEET_ROWS);
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

    fn index_props() -> XlsxProps {
        XlsxProps {
            title: "VOL001".into(),
            date: jiff::civil::date(2024, 4, 19),
            sheet_name: "Index".into(),
        }
    }

    fn streamed(
        rows: &[IndexRow],
        out: impl std::io::Write + Send,
    ) -> Result<Vec<Truncation>, String> {
        let mut book = IndexWorkbook::new(&index_props())?;
        for row in rows {
            book.push(IndexCells::of(row))?;
        }
        book.finish_into(out)
    }

    /// A workbook saved into a writer is the one made whole, byte for byte,
    /// with the same (one) value cut.
    fn saved_whole(bytes: &[u8], cuts: &[Truncation], whole: &XlsxOutput) {
        assert!(bytes.starts_with(b"PK"), "a zip");
        assert!(bytes == whole.bytes, "the same bytes, saved into a writer");
        assert_eq!(cuts, whole.truncations);
        assert_eq!(cuts.len(), 1);
    }

    #[test]
    fn the_index_saved_into_its_file_is_the_workbook_held_whole() {
        let rows: Vec<IndexRow> = (1..=300)
            .map(|i| IndexRow {
                control_id: format!("DOC-{i:06}"),
                begbates: format!("ABC{i:06}"),
                doc_date: Some("2024-03-14".into()),
                pgcount: Some(1),
                title: if i == 7 {
                    "x".repeat(CELL_LIMIT + 5)
                } else {
                    format!("Memo {i}")
                },
                ..Default::default()
            })
            .collect();
        let whole = index_xlsx(&rows, &index_props()).unwrap();
        let mut bytes = Vec::new();
        let cuts = streamed(&rows, &mut bytes).unwrap();
        saved_whole(&bytes, &cuts, &whole);
    }

    #[test]
    fn a_full_disk_saving_the_index_is_its_io_error() {
        let row = IndexRow {
            control_id: "DOC-000001".into(),
            ..Default::default()
        };
        let err = streamed(&[row], crate::export::FullDisk).unwrap_err();
        assert!(err.contains("No space left on device"), "{err}");
    }

    fn log_rows() -> Vec<PrivLogRow> {
        (1..=300)
            .map(|i| PrivLogRow {
                log_id: format!("PRIV-{i:04}"),
                control_id: format!("DOC-{i:06}"),
                treatment: "Withheld in Full".into(),
                // Undated, before 1900 (a string cell) and a date cell.
                doc_date: match i % 3 {
                    0 => None,
                    1 => Some("1899-12-31".into()),
                    _ => Some("2023-05-02".into()),
                },
                description: if i == 9 {
                    "y".repeat(CELL_LIMIT + 1)
                } else {
                    format!("=Legal advice {i}")
                },
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn the_log_read_a_row_at_a_time_is_the_log_made_whole() {
        let rows = log_rows();
        let props = index_props();
        let whole = privlog_xlsx(&rows, &props).unwrap();
        let mut bytes = Vec::new();
        let cuts = privlog_xlsx_into(rows.iter().cloned().map(Ok), &props, &mut bytes).unwrap();
        saved_whole(&bytes, &cuts, &whole);
    }

    #[test]
    fn a_log_row_that_does_not_read_back_or_a_full_disk_stops_the_log() {
        let rows = log_rows();
        let props = index_props();
        let broken = rows
            .iter()
            .cloned()
            .map(Ok)
            .chain([Err("a row could not be read back".to_string())]);
        let err = privlog_xlsx_into(broken, &props, Vec::new()).unwrap_err();
        assert_eq!(err, "a row could not be read back");
        let err = privlog_xlsx_into(rows.into_iter().map(Ok), &props, crate::export::FullDisk)
            .unwrap_err();
        assert!(err.contains("No space left on device"), "{err}");
    }
}
