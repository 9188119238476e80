//! Spreadsheet indexes and logs (XLSX, XLSM, XLS, ODS) through calamine.
//! Every cell becomes text; merged header cells and error cells are reported
//! with their cell names.

use super::sheet_rows::{MAX_COLUMNS, SheetRows, dense, has_value};
use super::{Problem, Record, Table, column_letters, header_index};
use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};
use std::io::Cursor;

/// An Excel serial date as `YYYY-MM-DD` (1900 date system).
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = jiff::civil::date(1899, 12, 30);
    let date = base
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()?;
    Some(date.to_string())
}

pub(super) fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("{e:?}")),
    })
}

fn format_name(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "XLS"
    } else if bytes.windows(8).take(200).any(|w| w == b"mimetype")
        && bytes.windows(11).take(400).any(|w| w == b"opendocumen")
    {
        "ODS"
    } else {
        "XLSX"
    }
}

/// Reads the first sheet that has a recognisable header (else the first
/// non-empty sheet), whole.
pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let (mut table, records) = read_from(bytes, KEPT_CELLS, |_, _| Vec::new(), Vec::push)?;
    table.records = records;
    Ok(table)
}

/// The most cells a sheet read whole may keep (as many as a sheet read as
/// one box may span, [`crate::sheet_bounds::MAX_CELLS`]).
const KEPT_CELLS: usize = crate::sheet_bounds::MAX_CELLS as usize;

/// The most cells made of an index read row by row, each row dropped once
/// handed on: a bound on the time a hostile sheet can take, far above any
/// index (1,000,000 rows of 25 columns are 25 million).
pub const STREAMED_CELLS: usize = 200_000_000;

/// Reads a workbook as [`super::dat::read_from`] reads a DAT: the records
/// after the header are handed to `push` as they are read, and the table
/// returned holds none. An XLSX sheet is read cell by cell in its rows'
/// order, never as the box between its first and last cells
/// ([`super::sheet_rows`]), so a sheet of any length (an index of 100,000
/// rows spans millions of cells) reads in the memory of a row, and a
/// stray far cell costs one cell. A record keeps its cells up to the
/// header's last column; more than `cells_at_most` of them in all is an
/// input error.
pub fn read_from<S>(
    bytes: &[u8],
    cells_at_most: usize,
    start: impl FnOnce(&[String], usize) -> S,
    push: impl FnMut(&mut S, Record),
) -> Result<(Table, S), String> {
    crate::sheet_bounds::check_workbook(bytes)?;
    read_checked(bytes, cells_at_most, start, push)
}

/// calamine can panic on a damaged workbook: each call into it is guarded,
/// the panic becoming this error (adrec's own code, such as `push`, is not).
fn guard<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    crate::pdf::guarded("spreadsheet", f)
}

/// A row's 1-based number and its cells, a column each.
type SheetRow = (usize, Vec<String>);

/// How many rows from the first row with a value the header is looked for
/// in ([`header_index`] takes the first of ten that names two columns).
const HEADER_ROWS: usize = 10;

/// A sheet's first rows, as [`header_index`] reads them: from its first
/// row with a value, each row (empty ones too) up to the ten it looks at;
/// and its header's place among them, if any row has a value.
fn head_of<RS: std::io::Read + std::io::Seek>(
    rows: &mut SheetRows<'_, RS>,
    problems: &mut Vec<Problem>,
) -> Result<(Vec<SheetRow>, Option<usize>), String> {
    let mut head: Vec<SheetRow> = Vec::new();
    loop {
        let first = head.first().map(|(n, _)| *n);
        let last = head.last().map(|(n, _)| *n);
        if let (Some(first), Some(last)) = (first, last)
            && last + 1 >= first + HEADER_ROWS
        {
            break;
        }
        let Some((number, cells)) = guard(|| rows.next(problems))? else {
            break;
        };
        // Rows before the first with a value are not looked at (nor kept).
        if head.is_empty() && !has_value(&cells) {
            continue;
        }
        // Rows with nothing in them are rows to the header search too.
        if let Some(last) = last {
            let gap = number.saturating_sub(last + 1).min(HEADER_ROWS + 1);
            head.extend((1..=gap).map(|i| (last + i, Vec::new())));
        }
        head.push((number, dense(&cells, MAX_COLUMNS)));
    }
    let cells: Vec<Vec<String>> = head.iter().map(|(_, c)| c.clone()).collect();
    let h = header_index(&cells);
    Ok((head, h))
}

fn in_sheet(name: &str, e: String) -> String {
    format!("sheet `{name}` cannot be read: {e}")
}

/// `2000000` as `2,000,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

fn read_checked<S>(
    bytes: &[u8],
    cells_at_most: usize,
    start: impl FnOnce(&[String], usize) -> S,
    mut push: impl FnMut(&mut S, Record),
) -> Result<(Table, S), String> {
    let format = format_name(bytes);
    let mut book = guard(|| {
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
            format!("not a readable spreadsheet ({e}); save it again as .xlsx or .csv")
        })
    })?;
    // The first sheet with a value, unless a later one has a recognisable
    // header; its header is found again when it is read.
    let mut chosen: Option<String> = None;
    for name in book.sheet_names() {
        let mut rows =
            guard(|| SheetRows::open(&mut book, &name)).map_err(|e| in_sheet(&name, e))?;
        let (head, h) = head_of(&mut rows, &mut Vec::new()).map_err(|e| in_sheet(&name, e))?;
        let Some(h) = h else { continue };
        let good = super::super::columns::Columns::new(&head[h].1).recognised() >= 2;
        if chosen.is_none() || good {
            chosen = Some(name.clone());
        }
        if good {
            break;
        }
    }
    let sheet = chosen.ok_or("the workbook has no sheet with any data")?;
    let mut problems = Vec::new();
    let mut rows = guard(|| SheetRows::open(&mut book, &sheet)).map_err(|e| in_sheet(&sheet, e))?;
    let (head, h) = head_of(&mut rows, &mut problems).map_err(|e| in_sheet(&sheet, e))?;
    let h = h.ok_or("the workbook has no sheet with any data")?;
    let (header_row, headers) = head[h].clone();
    let width = headers.len();
    let mut state = start(&headers, 0);
    let mut made = 0usize;
    // Rows with values past the last headed column (left out), and the
    // first such cell.
    let mut past: (usize, Option<(usize, String)>) = (0, None);
    let mut note_past = |line: usize, col: Option<usize>| {
        if let Some(col) = col {
            past.0 += 1;
            past.1
                .get_or_insert_with(|| (line, format!("{}{line}", column_letters(col))));
        }
    };
    let mut hand_on = |line: usize, mut cells: Vec<String>| -> Result<(), String> {
        cells.truncate(width);
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        if !cells.iter().any(|c| !c.trim().is_empty()) {
            return Ok(());
        }
        made += cells.len();
        if made > cells_at_most {
            return Err(format!(
                "sheet `{sheet}` holds more than the {} cells adrec reads from a sheet (up to its last headed column, {}); split it, or save it as CSV",
                thousands(cells_at_most),
                column_letters(width.saturating_sub(1))
            ));
        }
        cells.shrink_to_fit();
        push(
            &mut state,
            Record {
                line,
                cells,
                malformed: false,
            },
        );
        Ok(())
    };
    for (line, cells) in head.into_iter().skip(h + 1) {
        let beyond = cells.iter().skip(width).position(|c| !c.trim().is_empty());
        note_past(line, beyond.map(|i| width + i));
        hand_on(line, cells)?;
    }
    while let Some((line, cells)) =
        guard(|| rows.next(&mut problems)).map_err(|e| in_sheet(&sheet, e))?
    {
        let beyond = cells
            .iter()
            .find(|(c, t)| *c >= width && !t.trim().is_empty());
        note_past(line, beyond.map(|(c, _)| *c));
        hand_on(line, dense(&cells, width))?;
    }
    drop(rows);
    // One problem for them all: a column without a header is the sheet's
    // defect, not each row's.
    if let (n, Some((line, cell))) = past {
        let last = column_letters(width.saturating_sub(1));
        let message = match n {
            1 => format!(
                "a value past the last headed column ({last}) was not read: give its column a header, or delete it"
            ),
            _ => format!(
                "values past the last headed column ({last}), here and in {} more row(s), were not read: give their column a header, or delete them",
                n - 1
            ),
        };
        problems.push(Problem::cell(line, cell, message));
    }
    problems.extend(guard(|| Ok(merged_cells(&mut book, &sheet, header_row)))?);
    problems.sort_by_key(|p| p.line);
    let table = Table {
        format: format.into(),
        sheet: Some(sheet),
        spreadsheet: true,
        headers,
        header_line: header_row,
        problems,
        ..Default::default()
    };
    Ok((table, state))
}

/// Merged cells: in the header, columns without a name; below it, cells
/// read as empty.
fn merged_cells<RS: std::io::Read + std::io::Seek>(
    book: &mut Sheets<RS>,
    sheet: &str,
    header_row: usize,
) -> Vec<Problem> {
    let merged = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut problems = Vec::new();
    for m in merged {
        let (r1, c1, r2, c2) = (
            m.start.0 as usize + 1,
            m.start.1 as usize,
            m.end.0 as usize + 1,
            m.end.1 as usize,
        );
        let span = format!("{}{r1}:{}{r2}", column_letters(c1), column_letters(c2));
        if (r1..=r2).contains(&header_row) {
            problems.push(Problem::cell(
                header_row,
                span.clone(),
                format!(
                    "header cells {span} are merged, so only {}{r1} has a name and the other merged columns were read without a header; unmerge them and give each column its own header",
                    column_letters(c1)
                ),
            ));
        } else if r2 > header_row {
            problems.push(Problem::cell(
                r1,
                span.clone(),
                format!("cells {span} are merged: only the first holds a value, the others were read as empty; unmerge them and fill every cell"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates() {
        assert_eq!(serial_date(45000.0).as_deref(), Some("2023-03-15"));
        assert_eq!(serial_date(-1.0), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read(b"not a workbook").is_err());
        assert!(read(b"").is_err());
    }

    /// An XLSX of one sheet whose `<sheetData>` is `rows`, as written (cells
    /// of inline text: `cell("B2", "x")`).
    fn workbook(rows: &str) -> Vec<u8> {
        use std::io::Write;
        const TYPES: &str = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>";
        const RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
        const BOOK: &str = "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Index\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
        const BOOK_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
        let sheet = format!(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData></worksheet>"
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, body) in [
            ("[Content_Types].xml", TYPES),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", BOOK),
            ("xl/_rels/workbook.xml.rels", BOOK_RELS),
            ("xl/worksheets/sheet1.xml", &sheet),
        ] {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn cell(at: &str, text: &str) -> String {
        format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
    }

    fn row(n: u32, cells: &[(&str, &str)]) -> String {
        let cells: String = cells.iter().map(|(at, t)| cell(at, t)).collect();
        format!("<row r=\"{n}\">{cells}</row>")
    }

    #[test]
    fn an_xlsx_is_read_row_by_row_as_its_rows_are_stored() {
        // A title, two empty rows, the header, a row, a far stray note.
        let rows = [
            row(1, &[("A1", "Production index")]),
            row(4, &[("A4", "BEGBATES"), ("B4", "ENDBATES"), ("D4", "NOTE")]),
            row(5, &[("A5", "A1"), ("B5", "A2"), ("D5", "x")]),
            row(1_048_576, &[("XFD1048576", "stray")]),
        ]
        .concat();
        let t = read(&workbook(&rows)).unwrap();
        assert_eq!((t.sheet.as_deref(), t.header_line), (Some("Index"), 4));
        assert_eq!(t.headers, vec!["BEGBATES", "ENDBATES", "", "NOTE"]);
        // The note past the last headed column is left out, and said so.
        let lines: Vec<usize> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![5]);
        assert_eq!(t.records[0].cells, vec!["A1", "A2", "", "x"]);
        assert_eq!(t.problems.len(), 1, "{:?}", t.problems);
        let p = &t.problems[0];
        assert_eq!(
            (p.line, p.cell.as_deref()),
            (Some(1_048_576), Some("XFD1048576"))
        );
        assert_eq!(
            p.message,
            "a value past the last headed column (D) was not read: give its column a header, or delete it"
        );
    }

    #[test]
    fn a_sheet_keeps_at_most_the_cells_it_is_given_up_to_its_last_headed_column() {
        // Three headed columns, four rows: twelve cells kept (the far note
        // is not one of them).
        let rows = [
            row(
                1,
                &[("A1", "BEGBATES"), ("B1", "ENDBATES"), ("C1", "TITLE")],
            ),
            row(
                2,
                &[("A2", "A1"), ("B2", "A1"), ("C2", "x"), ("XFD2", "note")],
            ),
            row(3, &[("A3", "A2"), ("B3", "A2"), ("C3", "y")]),
            row(4, &[("A4", "A3"), ("B4", "A3"), ("C4", "z")]),
            row(5, &[("A5", "A4"), ("B5", "A4"), ("C5", "w")]),
        ]
        .concat();
        let bytes = workbook(&rows);
        let count = |at_most| read_from(&bytes, at_most, |_, _| 0, |n: &mut usize, _| *n += 1);
        assert_eq!(count(12).unwrap().1, 4);
        let e = count(11).unwrap_err();
        assert_eq!(
            e,
            "sheet `Index` holds more than the 11 cells adrec reads from a sheet (up to its last headed column, C); split it, or save it as CSV"
        );
        // A sheet read whole keeps as many as a sheet read as one box spans.
        assert_eq!(KEPT_CELLS, 2_000_000);
        assert_eq!(thousands(KEPT_CELLS), "2,000,000");
        assert_eq!(thousands(STREAMED_CELLS), "200,000,000");
    }

    #[test]
    fn the_sheet_read_is_the_first_with_a_header_else_the_first_with_a_value() {
        let book = |sheets: &[(&str, &[&str])]| {
            let mut book = rust_xlsxwriter::Workbook::new();
            for (name, cells) in sheets {
                let ws = book.add_worksheet().set_name(*name).unwrap();
                for (c, text) in cells.iter().enumerate() {
                    ws.write_string(0, c as u16, *text).unwrap();
                }
                ws.write_string(1, 0, "A1").unwrap();
            }
            book.save_to_buffer().unwrap()
        };
        let cover: (&str, &[&str]) = ("Cover", &["Production of the agency"]);
        let index: (&str, &[&str]) = ("Index", &["BEGBATES", "ENDBATES"]);
        let other: (&str, &[&str]) = ("Other", &["x"]);
        let sheet = |sheets: &[(&str, &[&str])]| read(&book(sheets)).unwrap().sheet;
        assert_eq!(sheet(&[cover, index]).as_deref(), Some("Index"));
        assert_eq!(sheet(&[cover, other]).as_deref(), Some("Cover"));
        assert_eq!(sheet(&[("Values", &[]), other]).as_deref(), Some("Values"));
    }

    #[test]
    fn values_in_a_column_without_a_header_are_one_problem() {
        let rows = [
            row(1, &[("A1", "BEGBATES"), ("B1", "ENDBATES")]),
            row(2, &[("A2", "A1"), ("B2", "A1"), ("D2", "see memo")]),
            row(3, &[("A3", "A2"), ("B3", "A2")]),
            row(4, &[("A4", "A3"), ("B4", "A3"), ("C4", "note")]),
        ]
        .concat();
        let t = read(&workbook(&rows)).unwrap();
        assert_eq!(t.records.len(), 3);
        assert_eq!(t.records[2].cells, vec!["A3", "A3"]);
        assert_eq!(t.problems.len(), 1, "{:?}", t.problems);
        let p = &t.problems[0];
        assert_eq!((p.line, p.cell.as_deref()), (Some(2), Some("D2")));
        assert_eq!(
            p.message,
            "values past the last headed column (B), here and in 1 more row(s), were not read: give their column a header, or delete them"
        );
    }

    #[test]
    fn an_error_cell_is_read_as_empty_and_named() {
        let rows = [
            row(
                1,
                &[("A1", "BEGBATES"), ("B1", "ENDBATES"), ("C1", "PGCOUNT")],
            ),
            format!(
                "<row r=\"2\">{}{}<c r=\"C2\" t=\"e\"><v>#DIV/0!</v></c></row>",
                cell("A2", "A1"),
                cell("B2", "A1")
            ),
        ]
        .concat();
        let t = read(&workbook(&rows)).unwrap();
        assert_eq!(t.records[0].cells, vec!["A1", "A1"]);
        assert_eq!(t.problems.len(), 1, "{:?}", t.problems);
        assert_eq!(t.problems[0].cell.as_deref(), Some("C2"));
        assert!(
            t.problems[0]
                .message
                .starts_with("the cell holds the error")
        );
    }

    #[test]
    fn rows_of_blanks_before_any_value_are_not_kept() {
        // 20,000 rows of a space at column XFD, then the header: read a
        // cell at a time, none of them is made 16,384 columns wide and kept
        // (that would be 7.9 GB).
        let blank = |n: usize| row(n as u32, &[(&format!("XFD{n}"), " ")]);
        let rows: String = (1..=20_000).map(blank).collect();
        let header = row(20_001, &[("A20001", "BEGBATES"), ("B20001", "ENDBATES")]);
        let t = read(&workbook(&format!(
            "{rows}{header}{}",
            row(20_002, &[("A20002", "A1")])
        )))
        .unwrap();
        assert_eq!(t.header_line, 20_001);
        assert_eq!(t.records.len(), 1);
    }

    #[test]
    fn the_header_is_looked_for_in_the_ten_rows_from_the_first_with_a_value() {
        // Ten rows on from the title (rows 1-10), empty ones counted: a
        // header on row 11 is not the header, as when the sheet was read as
        // one box; the title is.
        let title = row(1, &[("A1", "Production index")]);
        let header = |n: u32| {
            row(
                n,
                &[
                    (&format!("A{n}"), "BEGBATES"),
                    (&format!("B{n}"), "ENDBATES"),
                ],
            )
        };
        let t = read(&workbook(&[title.clone(), header(10)].concat())).unwrap();
        assert_eq!(t.header_line, 10);
        let t = read(&workbook(&[title, header(11)].concat())).unwrap();
        assert_eq!(t.header_line, 1);
    }

    #[test]
    fn rows_out_of_order_or_cells_past_xfd_are_refused_with_what_to_do() {
        let rows = [
            row(1, &[("A1", "BEGBATES"), ("B1", "ENDBATES")]),
            row(3, &[("A3", "A3"), ("B3", "A3")]),
            row(2, &[("A2", "A2"), ("B2", "A2")]),
        ]
        .concat();
        let e = read(&workbook(&rows)).unwrap_err();
        assert!(
            e.starts_with("sheet `Index` cannot be read: its rows"),
            "{e}"
        );
        assert!(e.contains("row 2 comes after a later one"), "{e}");
        assert!(e.contains("save it again"), "{e}");
        let rows = [
            row(1, &[("A1", "BEGBATES"), ("B1", "ENDBATES")]),
            row(2, &[("A2", "A2"), ("XFE2", "far")]),
        ]
        .concat();
        let e = read(&workbook(&rows)).unwrap_err();
        assert!(e.contains("past column XFD"), "{e}");
    }
}
