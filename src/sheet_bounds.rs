//! Bounds for every workbook adrec reads as one box of cells (tag sheets;
//! XLS and ODS indexes and logs in the audit, which reads an XLSX row by
//! row instead: `audit/read/xlsx.rs`). A workbook's declared dimensions and
//! repeat counts are not trusted: what is read is sized by the cells
//! actually present, and a sheet whose filled cells span more than
//! [`MAX_CELLS`] cells is an input error naming the limit. An ODS whose `content.xml` stops mid-way is
//! refused before calamine parses it (calamine would loop forever).

use calamine::{Cell, Data, Range, Reader, Sheets};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read, Seek};

/// The most cells one sheet may span (rows × columns between its first and
/// last filled cells).
pub const MAX_CELLS: u64 = 2_000_000;

/// The limit as people read it.
pub fn limit_text() -> String {
    "2,000,000".to_string()
}

fn too_big(span: u64, far: Option<(u64, u64)>) -> String {
    let far = far
        .map(|(r, c)| {
            format!(
                "; its farthest filled cell is {}{}",
                column_name(c),
                r.saturating_add(1)
            )
        })
        .unwrap_or_default();
    format!(
        "the sheet spans {span} cells between its first and last filled cells, more than the {} adrec reads{far}; delete the stray far cells or split the sheet",
        limit_text()
    )
}

/// `0` → `A`, `16383` → `XFD`.
pub fn column_name(mut c: u64) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Bounding box of filled cells, tracked as cells are seen.
#[derive(Default)]
struct Span {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Span {
    fn add(&mut self, r0: u64, r1: u64, c0: u64, c1: u64) {
        self.rows = Some(self.rows.map_or((r0, r1), |(a, b)| (a.min(r0), b.max(r1))));
        self.cols = Some(self.cols.map_or((c0, c1), |(a, b)| (a.min(c0), b.max(c1))));
    }

    /// Cells in the box; `from_a` counts columns from column A (how
    /// calamine's ODS reader stores rows).
    fn area(&self, from_a: bool) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => {
                let c0 = if from_a { 0 } else { c0 };
                (r1 - r0 + 1).saturating_mul(c1 - c0 + 1)
            }
            _ => 0,
        }
    }

    fn far(&self) -> Option<(u64, u64)> {
        Some((self.rows?.1, self.cols?.1))
    }
}

/// Checks a workbook before calamine parses it: [`check_ods`] for ODS,
/// [`check_xls`] for the binary Excel format; XLSX is bounded as it is read
/// ([`worksheet`]).
pub fn check_workbook(bytes: &[u8]) -> Result<(), String> {
    check_ods(bytes)?;
    check_xls(bytes)
}

/// Checks a binary (BIFF8) Excel workbook: calamine sizes a sheet by the
/// box between its first and last cells, so a 5 KB file with one cell at
/// IV65536 would take a gigabyte. The cell records are walked first (row
/// and column only) and a sheet spanning more than [`MAX_CELLS`] is
/// refused. Anything that is not a compound file passes untouched.
pub fn check_xls(bytes: &[u8]) -> Result<(), String> {
    const MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut file = match cfb::CompoundFile::open(std::io::Cursor::new(bytes)) {
        Ok(file) => file,
        // A compound file the maintained reader cannot open is refused here,
        // before calamine's own reader (which can panic on one) sees it.
        Err(e) if bytes.starts_with(MAGIC) => {
            return Err(format!(
                "the XLS file is damaged: its compound-file structure cannot be read ({e})"
            ));
        }
        Err(_) => return Ok(()),
    };
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n));
    let Some(name) = name else {
        return Ok(());
    };
    let mut stream = Vec::new();
    file.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| format!("its workbook stream cannot be read ({e})"))?;
    let mut span = Span::default();
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = stream.get(at + 4..at + 4 + len).unwrap_or(&[]);
        at += 4 + len;
        let word = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match kind {
            // BOF: a new sheet (or the workbook globals) starts.
            0x0809 => span = Span::default(),
            // EOF: the sheet just read is complete.
            0x000A => check_span(&span)?,
            // FORMULA, BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST: row, column.
            0x0006 | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD => {
                if let (Some(r), Some(c)) = (word(0), word(2)) {
                    span.add(r, r, c, c);
                }
            }
            // MULRK, MULBLANK: row, first column, …, last column.
            0x00BD | 0x00BE if len >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) = (word(0), word(2), word(len - 2)) {
                    span.add(r, r, c0.min(c1), c0.max(c1));
                }
            }
            _ => {}
        }
    }
    check_span(&span)
}

fn check_span(span: &Span) -> Result<(), String> {
    let area = span.area(false);
    if area > MAX_CELLS {
        return Err(too_big(area, span.far()));
    }
    Ok(())
}

/// Checks an ODS workbook before calamine parses it: the XML must be
/// complete, and no sheet may span more than [`MAX_CELLS`] cells once
/// repeated rows and columns are counted. Anything that is not an ODS
/// passes untouched.
pub fn check_ods(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.index_for_name("content.xml").is_none() || zip.index_for_name("mimetype").is_none() {
        return Ok(());
    }
    let file = zip
        .by_name("content.xml")
        .map_err(|e| format!("its content.xml cannot be read ({e})"))?;
    scan_ods_content(BufReader::new(file))
}

fn attr_u64(e: &BytesStart<'_>, name: &str) -> Option<u64> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
}

fn has_attr(e: &BytesStart<'_>, name: &str) -> bool {
    e.attributes().flatten().any(|a| a.key.as_ref() == name)
}

fn scan_ods_content<R: std::io::BufRead>(input: R) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut depth: usize = 0;
    let mut finished = false;
    // Within a table: the next row index, and the box of filled cells.
    let mut row: u64 = 0;
    let mut span = Span::default();
    // Within a row: its repeat count, the next column, filled columns.
    let mut row_repeat: u64 = 1;
    let mut col: u64 = 0;
    let mut row_cols: Option<(u64, u64)> = None;
    // Within a cell element (Start … End): its first column and repeat.
    let mut open_cell: Option<(u64, u64)> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("its content.xml is not well-formed ({e})"))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    "table:table" => {
                        row = 0;
                        span = Span::default();
                    }
                    "table:table-row" => {
                        row_repeat = attr_u64(&e, "table:number-rows-repeated").unwrap_or(1);
                        col = 0;
                        row_cols = None;
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let n = attr_u64(&e, "table:number-columns-repeated")
                            .unwrap_or(1)
                            .max(1);
                        open_cell = Some((col, n));
                        col = col.saturating_add(n);
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = attr_u64(&e, "table:number-columns-repeated")
                        .unwrap_or(1)
                        .max(1);
                    if has_attr(&e, "office:value-type") {
                        let last = col.saturating_add(n - 1);
                        row_cols =
                            Some(row_cols.map_or((col, last), |(a, b)| (a.min(col), b.max(last))));
                    }
                    col = col.saturating_add(n);
                }
                "table:table-row" => {
                    let n = attr_u64(&e, "table:number-rows-repeated").unwrap_or(1);
                    row = row.saturating_add(n);
                }
                _ => {}
            },
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    "table:table-cell" | "table:covered-table-cell" => {
                        // A cell with content (text or a value) fills its columns.
                        if let Some((c0, n)) = open_cell.take() {
                            let last = c0.saturating_add(n - 1);
                            row_cols = Some(
                                row_cols.map_or((c0, last), |(a, b)| (a.min(c0), b.max(last))),
                            );
                        }
                    }
                    "table:table-row" => {
                        let n = row_repeat.max(1);
                        if let Some((c0, c1)) = row_cols.take() {
                            span.add(row, row.saturating_add(n - 1), c0, c1);
                            let area = span.area(true);
                            if area > MAX_CELLS {
                                return Err(too_big(area, span.far()));
                            }
                        }
                        row = row.saturating_add(n);
                        row_repeat = 1;
                    }
                    "office:document-content" => finished = true,
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
    if !finished || depth != 0 {
        return Err(
            "its content.xml stops mid-way (the file is cut short); save it again from your spreadsheet program"
                .to_string(),
        );
    }
    Ok(())
}

/// Reads one sheet into a calamine range sized by its filled cells. XLSX
/// is read cell by cell (its declared dimension is ignored); other formats
/// go through calamine's own reader (ODS after [`check_ods`]).
pub fn worksheet<RS: Read + Seek>(
    book: &mut Sheets<RS>,
    name: &str,
) -> Result<Range<Data>, String> {
    let Sheets::Xlsx(xlsx) = book else {
        return book.worksheet_range(name).map_err(|e| e.to_string());
    };
    let mut reader = match xlsx.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Range::empty()),
        Err(e) => return Err(e.to_string()),
    };
    let mut cells = Vec::new();
    let mut span = Span::default();
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        let (r, c) = cell.get_position();
        let (r, c) = (u64::from(r), u64::from(c));
        span.add(r, r, c, c);
        let area = span.area(false);
        if area > MAX_CELLS {
            // Keep reading positions only, to name the farthest cell.
            let mut far = span;
            while let Ok(Some(cell)) = reader.next_cell() {
                let (r, c) = cell.get_position();
                far.add(u64::from(r), u64::from(r), u64::from(c), u64::from(c));
            }
            return Err(too_big(far.area(false), far.far()));
        }
        cells.push(Cell::new(cell.get_position(), value));
    }
    Ok(Range::from_sparse(cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
    }

    fn ods(body: &str) -> Result<(), String> {
        let xml = format!(
            "<office:document-content><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
        );
        scan_ods_content(xml.as_bytes())
    }

    #[test]
    fn ods_small_sheet_passes() {
        assert!(ods("<table:table><table:table-row><table:table-cell office:value-type=\"string\"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048000\"/></table:table>").is_ok());
    }

    #[test]
    fn ods_repeated_cells_over_the_cap() {
        let e = ods("<table:table><table:table-row table:number-rows-repeated=\"1000\"><table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" office:value=\"1\"/></table:table-row></table:table>").unwrap_err();
        assert!(e.contains("2,000,000"), "{e}");
    }

    #[test]
    fn ods_cut_short() {
        let e = scan_ods_content(&b"<office:document-content><office:body><office:spreadsheet><table:table><table:table-row>"[..]).unwrap_err();
        assert!(e.contains("mid-way"), "{e}");
    }
}
