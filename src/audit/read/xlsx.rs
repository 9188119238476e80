//! Spreadsheet indexes and logs (XLSX, XLSM, XLS, ODS) through calamine.
//! Every cell becomes text; merged header cells and error cells are reported
//! with their cell names.

use super::{Problem, Record, Table, column_letters, header_index};
use calamine::{Data, Range, Reader, Sheets, XlsxCellReader, open_workbook_auto_from_rs};
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

fn cell_text(cell: &Data) -> Result<String, String> {
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
    let (mut table, records) = read_from(bytes, |_, _| Vec::new(), Vec::push)?;
    table.records = records;
    Ok(table)
}

/// Reads a workbook as [`super::dat::read_from`] reads a DAT: the records
/// after the header are handed to `push` as they are read, and the table
/// returned holds none. An XLSX sheet is read cell by cell in its rows'
/// order, never as the box between its first and last cells, so a sheet of
/// any length (an index of 100,000 rows spans millions of cells) reads in
/// the memory of its rows, and a stray far cell costs only its own row.
/// XLS and ODS go through calamine's range, bounded by [`crate::sheet_bounds`].
pub fn read_from<S>(
    bytes: &[u8],
    start: impl FnOnce(&[String], usize) -> S,
    push: impl FnMut(&mut S, Record),
) -> Result<(Table, S), String> {
    crate::sheet_bounds::check_workbook(bytes)?;
    // calamine can panic on a damaged workbook: that becomes this error.
    crate::pdf::guarded("spreadsheet", || read_checked(bytes, start, push))
}

/// The most columns a spreadsheet has (A to XFD): a cell said to be past
/// them is damage, not a row 16,384 cells wide to make room for.
const MAX_COLUMNS: u32 = 16_384;

/// A row's 1-based number and its cells as text.
type SheetRow = (usize, Vec<String>);

/// One sheet's rows that hold a cell, in order, each with its 1-based number
/// and its cells as text (none past its last filled cell).
enum SheetRows<'a, RS: std::io::Read + std::io::Seek> {
    Cells {
        /// Boxed: the reader is large beside a range.
        reader: Box<XlsxCellReader<'a, RS>>,
        /// The first cell of the next row, read ahead.
        pending: Option<(u32, u32, Data)>,
        last_row: Option<u32>,
        /// The reader said the sheet ended (it must not be asked again).
        ended: bool,
    },
    /// XLS and ODS: calamine's range (bounded by [`crate::sheet_bounds`]),
    /// listed at once, with its error cells' problems to hand on.
    Listed {
        rows: std::vec::IntoIter<SheetRow>,
        problems: Vec<Problem>,
    },
}

impl<'a, RS: std::io::Read + std::io::Seek> SheetRows<'a, RS> {
    fn open(book: &'a mut Sheets<RS>, name: &str) -> Result<SheetRows<'a, RS>, String> {
        let cannot = |e: String| in_sheet(name, e);
        match book {
            Sheets::Xlsx(xlsx) => match xlsx.worksheet_cells_reader(name) {
                Ok(reader) => Ok(SheetRows::Cells {
                    reader: Box::new(reader),
                    pending: None,
                    last_row: None,
                    ended: false,
                }),
                Err(calamine::XlsxError::NotAWorksheet(_)) => Ok(listed(&Range::empty())),
                Err(e) => Err(cannot(e.to_string())),
            },
            _ => Ok(listed(
                &crate::sheet_bounds::worksheet(book, name).map_err(cannot)?,
            )),
        }
    }

    /// The next row holding a cell, its error cells reported in `problems`.
    fn next(&mut self, problems: &mut Vec<Problem>) -> Result<Option<SheetRow>, String> {
        match self {
            SheetRows::Listed {
                rows,
                problems: own,
            } => {
                problems.append(own);
                Ok(rows.next())
            }
            SheetRows::Cells {
                reader,
                pending,
                last_row,
                ended,
            } => {
                let mut row: Option<(u32, Vec<String>)> = None;
                loop {
                    let cell = match pending.take() {
                        Some(cell) => Some(cell),
                        None if *ended => None,
                        None => match reader.next_cell().map_err(|e| e.to_string())? {
                            Some(cell) => {
                                let (r, c) = cell.get_position();
                                Some((r, c, Data::from(cell.get_value().clone())))
                            }
                            None => {
                                *ended = true;
                                None
                            }
                        },
                    };
                    let Some((r, c, value)) = cell else {
                        return Ok(row.map(|(r, mut cells)| {
                            trim_end(&mut cells);
                            (r as usize + 1, cells)
                        }));
                    };
                    if value == Data::Empty {
                        continue;
                    }
                    if c >= MAX_COLUMNS {
                        return Err(format!(
                            "a cell of row {} lies past column XFD, the last a spreadsheet has: the file is damaged; save it again from your spreadsheet program",
                            u64::from(r) + 1
                        ));
                    }
                    match &mut row {
                        Some((current, _)) if r > *current => {
                            *pending = Some((r, c, value));
                            *last_row = Some(*current);
                            return Ok(row.map(|(r, mut cells)| {
                                trim_end(&mut cells);
                                (r as usize + 1, cells)
                            }));
                        }
                        Some((current, _)) if r < *current => return Err(out_of_order(r)),
                        Some(_) => {}
                        None if last_row.is_some_and(|last| r <= last) => {
                            return Err(out_of_order(r));
                        }
                        None => row = Some((r, Vec::new())),
                    }
                    if let Some((_, cells)) = &mut row {
                        let c = c as usize;
                        if cells.len() <= c {
                            cells.resize(c + 1, String::new());
                        }
                        cells[c] = text_of(&value, r as usize + 1, c, problems);
                    }
                }
            }
        }
    }
}

/// A range's rows that hold a cell, and its error cells' problems.
fn listed<'a, RS: std::io::Read + std::io::Seek>(range: &Range<Data>) -> SheetRows<'a, RS> {
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        if row.iter().all(|c| *c == Data::Empty) {
            continue;
        }
        let number = row0 + i + 1;
        let mut cells = vec![String::new(); col0];
        for (j, cell) in row.iter().enumerate() {
            cells.push(text_of(cell, number, col0 + j, &mut problems));
        }
        trim_end(&mut cells);
        rows.push((number, cells));
    }
    SheetRows::Listed {
        rows: rows.into_iter(),
        problems,
    }
}

fn in_sheet(name: &str, e: String) -> String {
    format!("sheet `{name}` cannot be read: {e}")
}

fn out_of_order(r: u32) -> String {
    format!(
        "its rows are not stored in order (row {} comes after a later one); save it again from your spreadsheet program",
        u64::from(r) + 1
    )
}

/// A cell as text; an error cell is reported and read as empty.
fn text_of(cell: &Data, row: usize, col: usize, problems: &mut Vec<Problem>) -> String {
    cell_text(cell).unwrap_or_else(|e| {
        problems.push(Problem::cell(
            row,
            format!("{}{row}", column_letters(col)),
            format!("the cell holds the error {e} instead of a value; it was read as empty"),
        ));
        String::new()
    })
}

fn trim_end(cells: &mut Vec<String>) {
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
}

/// How many rows after the first row with a value the header is looked
/// for in ([`header_index`] takes the first of ten that names two columns).
const HEADER_ROWS: usize = 10;

/// A sheet's first rows, as [`header_index`] reads them: from its first
/// row with a value, each row (empty ones too) up to the ten it looks at;
/// and its header's place among them, if it has any value.
fn head_of<RS: std::io::Read + std::io::Seek>(
    rows: &mut SheetRows<'_, RS>,
    problems: &mut Vec<Problem>,
) -> Result<(Vec<SheetRow>, Option<usize>), String> {
    let mut head: Vec<SheetRow> = Vec::new();
    let mut first: Option<usize> = None;
    loop {
        if first.is_some_and(|f| head.last().is_some_and(|(n, _)| *n + 1 >= f + HEADER_ROWS)) {
            break;
        }
        let Some((number, cells)) = rows.next(problems)? else {
            break;
        };
        if first.is_none() && cells.iter().any(|c| !c.trim().is_empty()) {
            first = Some(number);
        }
        // Rows with nothing in them are rows to the header search too.
        if let Some(last) = head.last().map(|(n, _)| *n) {
            let gap = number.saturating_sub(last + 1).min(HEADER_ROWS + 1);
            head.extend((1..=gap).map(|i| (last + i, Vec::new())));
        }
        head.push((number, cells));
    }
    let cells: Vec<Vec<String>> = head.iter().map(|(_, c)| c.clone()).collect();
    let h = header_index(&cells);
    Ok((head, h))
}

fn read_checked<S>(
    bytes: &[u8],
    start: impl FnOnce(&[String], usize) -> S,
    mut push: impl FnMut(&mut S, Record),
) -> Result<(Table, S), String> {
    let format = format_name(bytes);
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a readable spreadsheet ({e}); save it again as .xlsx or .csv"))?;
    // The first sheet with a value, unless a later one has a recognisable
    // header; its header is found again when it is read.
    let mut chosen: Option<String> = None;
    for name in book.sheet_names() {
        let (head, h) = head_of(&mut SheetRows::open(&mut book, &name)?, &mut Vec::new())
            .map_err(|e| in_sheet(&name, e))?;
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
    let mut rows = SheetRows::open(&mut book, &sheet)?;
    let (head, h) = head_of(&mut rows, &mut problems).map_err(|e| in_sheet(&sheet, e))?;
    let h = h.ok_or("the workbook has no sheet with any data")?;
    let (header_row, headers) = head[h].clone();
    let mut state = start(&headers, 0);
    let mut hand_on = |line: usize, cells: Vec<String>| {
        if cells.iter().any(|c| !c.trim().is_empty()) {
            let record = Record {
                line,
                cells,
                malformed: false,
            };
            push(&mut state, record);
        }
    };
    for (line, cells) in head.into_iter().skip(h + 1) {
        hand_on(line, cells);
    }
    while let Some((line, cells)) = rows.next(&mut problems).map_err(|e| in_sheet(&sheet, e))? {
        hand_on(line, cells);
    }
    drop(rows);
    problems.extend(merged_cells(&mut book, &sheet, header_row));
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
        let lines: Vec<usize> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![5, 1_048_576]);
        assert_eq!(t.records[0].cells, vec!["A1", "A2", "", "x"]);
        assert_eq!(t.records[1].cells.len(), 16_384);
        assert_eq!(t.records[1].cells[16_383], "stray");
        assert!(t.problems.is_empty(), "{:?}", t.problems);
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
