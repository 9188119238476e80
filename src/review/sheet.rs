//! Reading a tagging sheet: CSV (UTF-8 with or without BOM, UTF-16 with BOM,
//! or Windows-1252; comma, semicolon or tab separated) and XLSX, XLS or ODS
//! workbooks (calamine). The result is a header row and numbered rows of
//! cells; what the cells mean is decided elsewhere.

use super::cell::Cell;
use super::field::{Column, column_for_header};
use crate::error::Error;
use calamine::{Data, Reader, SheetType, SheetVisible};
use std::path::Path;

/// A sheet as read: headers as written and the rows under them.
#[derive(Debug)]
pub struct Sheet {
    /// How messages name it: `` `tags.xlsx`, sheet "Tags" ``.
    pub label: String,
    pub headers: Vec<String>,
    /// Spreadsheet index (0 = A) of the first header's column.
    pub first_column: usize,
    pub header_row: usize,
    /// Non-blank rows below the header, in order.
    pub rows: Vec<Row>,
    /// Facts the reviewer should hear: the encoding guessed, hidden sheets skipped.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct Row {
    /// The row number the spreadsheet shows (CSV: the line the record starts on).
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// Reads `path`; `sheet` picks a workbook sheet by name (else the first
/// visible worksheet).
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, Error> {
    let bytes = crate::files::read_regular(path).map_err(|e| {
        Error::input(format!("cannot read the sheet `{}`: {e}", path.display()))
            .hint("check the path given to --from; nothing was changed")
    })?;
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if is_ole || is_zip {
        return read_workbook(path, bytes, sheet);
    }
    if let Some(name) = sheet {
        return Err(Error::input(format!(
            "--sheet {name:?} was given, but `{}` is a CSV file, which has no sheets",
            path.display()
        ))
        .hint("leave out --sheet for a CSV file"));
    }
    read_csv(path, &bytes)
}

fn bad_file(path: &Path, what: String) -> Error {
    Error::input(format!("cannot read the sheet `{}`: {what}", path.display())).hint(
        "save it as CSV (UTF-8), XLSX, XLS or ODS from your spreadsheet program; nothing was changed",
    )
}

fn read_csv(path: &Path, bytes: &[u8]) -> Result<Sheet, Error> {
    let (text, encoding) = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut notes = Vec::new();
    if let Some(enc) = encoding {
        notes.push(format!(
            "`{}` is not UTF-8: read it as {enc}",
            path.display()
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The line a record starts on, counted from its byte offset (the csv
    // crate's own line count lags behind on CRLF files).
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| bad_file(path, e.to_string()))?;
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .min(text.len());
        // The offset may point at the previous line's terminator.
        while start < text.len() && matches!(text.as_bytes()[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > counted_to {
            line += text.as_bytes()[counted_to..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = start;
        }
        let number = line;
        let cells: Vec<Cell> = record.iter().map(|s| Cell::Text(s.to_string())).collect();
        if !cells.iter().all(Cell::is_blank) {
            rows.push(Row { number, cells });
        }
    }
    let label = format!("`{}`", path.display());
    split_header(rows, label, 0, notes)
        .ok_or_else(|| bad_file(path, "it is empty (no header row)".into()))
}

/// How many of the top rows may be a title or notes above the header.
const HEADER_SEARCH: usize = 10;

/// The header is the first row, among the top few, that names a key column
/// (docid, sha256 or path); rows above it (a title, instructions) are skipped
/// and said so. With no such row, the first row is the header, and the
/// missing key column is reported when the headers are checked.
fn split_header(
    mut rows: Vec<Row>,
    label: String,
    first_column: usize,
    mut notes: Vec<String>,
) -> Option<Sheet> {
    let is_key = |c: &Cell| {
        c.text()
            .ok()
            .flatten()
            .is_some_and(|t| matches!(column_for_header(&t), Some(Column::Key(_))))
    };
    let at = rows
        .iter()
        .take(HEADER_SEARCH)
        .position(|r| r.cells.iter().any(is_key))
        .unwrap_or(0);
    if rows.is_empty() {
        return None;
    }
    let header = rows.remove(at);
    let skipped: Vec<Row> = rows.drain(..at).collect();
    if let (Some(first), Some(last)) = (skipped.first(), skipped.last()) {
        let which = if first.number == last.number {
            format!("row {}", first.number)
        } else {
            format!("rows {}-{}", first.number, last.number)
        };
        notes.push(format!(
            "{label}: skipped {which} above the header row {}",
            header.number
        ));
    }
    Some(Sheet {
        label,
        headers: header
            .cells
            .iter()
            .map(|c| c.text().ok().flatten().unwrap_or_default())
            .collect(),
        first_column,
        header_row: header.number,
        rows,
        notes,
    })
}

/// The text of a CSV file and, when it was not UTF-8, the encoding used.
fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => (s.to_string(), None),
            Err(_) => (
                encoding_rs::UTF_8
                    .decode_with_bom_removal(rest)
                    .0
                    .into_owned(),
                None,
            ),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, enc, _) = encoding_rs::UTF_16LE.decode(bytes);
        return (text.into_owned(), Some(enc.name()));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Some("Windows-1252"))
        }
    }
}

/// Comma, semicolon or tab: whichever the header line uses most.
fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

/// calamine can panic on a damaged workbook (fuzzing found one in its
/// compound-file reader): that becomes an error naming the file.
fn read_workbook(path: &Path, bytes: Vec<u8>, wanted: Option<&str>) -> Result<Sheet, Error> {
    crate::sheet_bounds::check_workbook(&bytes).map_err(|e| bad_file(path, e))?;
    crate::pdf::guarded("spreadsheet", || {
        Ok::<_, crate::pdf::Damaged>(read_checked_workbook(path, bytes, wanted))
    })
    .map_err(|d| bad_file(path, d.0))?
}

fn read_checked_workbook(
    path: &Path,
    bytes: Vec<u8>,
    wanted: Option<&str>,
) -> Result<Sheet, Error> {
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| bad_file(path, format!("not a readable workbook ({e})")))?;
    let sheets = workbook.sheets_metadata().to_vec();
    let names = || {
        sheets
            .iter()
            .map(|s| format!("{:?}", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut notes = Vec::new();
    let chosen = match wanted {
        Some(name) => sheets
            .iter()
            .find(|s| s.name == name)
            .or_else(|| {
                sheets
                    .iter()
                    .find(|s| s.name.trim().eq_ignore_ascii_case(name.trim()))
            })
            .ok_or_else(|| {
                Error::input(format!("`{}` has no sheet {name:?}", path.display()))
                    .hint(format!("its sheets are: {}", names()))
            })?,
        None => {
            let first = sheets
                .iter()
                .find(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
                .ok_or_else(|| {
                    Error::input(format!("`{}` has no visible worksheet", path.display())).hint(
                        format!("name the sheet with --sheet; its sheets are: {}", names()),
                    )
                })?;
            let skipped: Vec<String> = sheets
                .iter()
                .take_while(|s| s.name != first.name)
                .map(|s| format!("{:?}", s.name))
                .collect();
            if !skipped.is_empty() {
                notes.push(format!(
                    "read sheet {:?}; skipped the hidden sheet(s) before it: {} (use --sheet to pick another)",
                    first.name,
                    skipped.join(", ")
                ));
            }
            first
        }
    };
    let name = chosen.name.clone();
    let range = crate::sheet_bounds::worksheet(&mut workbook, &name)
        .map_err(|e| bad_file(path, format!("sheet {name:?} could not be read ({e})")))?;
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<Cell> = row.iter().map(cell_of).collect();
        if !cells.iter().all(Cell::is_blank) {
            rows.push(Row {
                number: start_row as usize + i + 1,
                cells,
            });
        }
    }
    let label = format!("`{}`, sheet {name:?}", path.display());
    split_header(rows, label, start_col as usize, notes)
        .ok_or_else(|| bad_file(path, format!("sheet {name:?} is empty (no header row)")))
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match jiff::civil::Date::new(y as i16, m as i8, d as i8) {
                Ok(date) => Cell::Date(date),
                Err(_) => Cell::Float(dt.as_f64()),
            }
        }
        Data::DateTime(dt) => Cell::Float(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("docid,status\n"), b',');
        assert_eq!(sniff_delimiter("docid;status;category\n"), b';');
        assert_eq!(sniff_delimiter("docid\tstatus\n"), b'\t');
        assert_eq!(sniff_delimiter("docid\n"), b',');
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), b',');
    }

    #[test]
    fn encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBFdocid").0, "docid");
        assert_eq!(
            decode(b"caf\xE9 \x96 x"),
            ("café – x".to_string(), Some("Windows-1252"))
        );
        assert_eq!(decode("café".as_bytes()), ("café".to_string(), None));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é,x".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).0, "é,x");
    }

    #[test]
    fn csv_rows_are_numbered_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(
            &path,
            "docid;status\r\nDOC-1;\"multi\r\nline\"\r\n\r\nDOC-2;x\r\n",
        )
        .unwrap();
        let sheet = read(&path, None).unwrap();
        assert_eq!(sheet.header_row, 1);
        let numbers: Vec<usize> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 5]);
    }

    #[test]
    fn a_title_above_the_header_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(
            &path,
            "Review batch 3,,\nprepared by J. Doe,,\n\nDocID,Status\nDOC-1,produce\n",
        )
        .unwrap();
        let sheet = read(&path, None).unwrap();
        assert_eq!(
            (sheet.header_row, sheet.headers.clone()),
            (4, vec!["DocID".to_string(), "Status".to_string()])
        );
        assert_eq!(sheet.rows.len(), 1);
        assert!(
            sheet.notes[0].contains("skipped rows 1-2 above the header row 4"),
            "{:?}",
            sheet.notes
        );
        // Without a key column anywhere, the first row stays the header.
        std::fs::write(&path, "status\nproduce\n").unwrap();
        assert_eq!(read(&path, None).unwrap().headers, ["status"]);
    }
}
