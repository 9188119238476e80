//! Spreadsheet indexes and logs (XLSX, XLSM, XLS, ODS) through calamine.
//! Every cell becomes text; merged header cells and error cells are reported
//! with their cell names.

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
/// non-empty sheet).
pub fn read(bytes: &[u8]) -> Result<Table, String> {
    crate::sheet_bounds::check_workbook(bytes)?;
    // calamine can panic on a damaged workbook: that becomes this error.
    crate::pdf::guarded("spreadsheet", || read_checked(bytes))
}

fn read_checked(bytes: &[u8]) -> Result<Table, String> {
    let format = format_name(bytes);
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a readable spreadsheet ({e}); save it again as .xlsx or .csv"))?;
    // (sheet, numbered rows, problems, header index)
    type Sheet = (String, Vec<(usize, Vec<String>)>, Vec<Problem>, usize);
    let mut chosen: Option<Sheet> = None;
    for name in book.sheet_names() {
        let range = match crate::sheet_bounds::worksheet(&mut book, &name) {
            Ok(r) => r,
            Err(e) => return Err(format!("sheet `{name}` cannot be read: {e}")),
        };
        let (row0, col0) = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut problems = Vec::new();
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let number = row0 + i + 1;
            let mut cells = vec![String::new(); col0];
            for (j, cell) in row.iter().enumerate() {
                match cell_text(cell) {
                    Ok(text) => cells.push(text),
                    Err(e) => {
                        problems.push(Problem::cell(
                            number,
                            format!("{}{number}", column_letters(col0 + j)),
                            format!("the cell holds the error {e} instead of a value; it was read as empty"),
                        ));
                        cells.push(String::new());
                    }
                }
            }
            rows.push((number, cells));
        }
        let cells: Vec<Vec<String>> = rows.iter().map(|(_, c)| c.clone()).collect();
        let Some(h) = header_index(&cells) else {
            continue;
        };
        let good = super::super::columns::Columns::new(&cells[h]).recognised() >= 2;
        if chosen.is_none() || good {
            chosen = Some((name.clone(), rows, problems, h));
        }
        if good {
            break;
        }
    }
    let (sheet, rows, mut problems, h) = chosen.ok_or("the workbook has no sheet with any data")?;
    let header_row = rows[h].0;
    let headers = rows[h].1.clone();
    let merged = match &mut book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
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
    let width = headers.len();
    let records = rows
        .into_iter()
        .skip(h + 1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(line, mut cells)| {
            cells.resize(width.max(cells.len()), String::new());
            while cells.len() > width && cells.last().is_some_and(|c| c.trim().is_empty()) {
                cells.pop();
            }
            Record {
                line,
                cells,
                malformed: false,
            }
        })
        .collect::<Vec<_>>();
    for r in &records {
        if r.cells.len() > width {
            problems.push(Problem::line(
                r.line,
                format!(
                    "the row has values beyond the last headed column ({})",
                    column_letters(width)
                ),
            ));
        }
    }
    problems.sort_by_key(|p| p.line);
    Ok(Table {
        format: format.into(),
        sheet: Some(sheet),
        spreadsheet: true,
        headers,
        header_line: header_row,
        records,
        problems,
        ..Default::default()
    })
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
}
